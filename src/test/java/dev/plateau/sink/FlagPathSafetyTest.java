package dev.plateau.sink;

import static dev.plateau.sink.FlagSinkTest.tree;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plateau.detect.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A name built from a run or experiment can never put a flag outside the base directory: the logdir
 * is laid out inside a temporary root, with a sibling directory "outside" that must stay as it was.
 */
class FlagPathSafetyTest {
  private static final ObjectNode CONTENT = new ObjectMapper().createObjectNode().put("x", 1);

  @TempDir Path root;
  private Path logdir;
  private Path outside;

  @BeforeEach
  void layout() throws IOException {
    logdir = Files.createDirectories(root.resolve("logs"));
    outside = Files.createDirectories(root.resolve("outside"));
    Files.createDirectories(logdir.resolve("a/b"));
  }

  private void assertRefusedAndNothingWritten(FlagOutcome outcome, String mentioned)
      throws IOException {
    assertThat(outcome).isInstanceOf(FlagOutcome.Failed.class);
    assertThat(((FlagOutcome.Failed) outcome).reason()).contains(mentioned);
    assertThat(tree(root)).containsExactlyInAnyOrderElementsOf(expectedTree());
  }

  private List<String> expectedTree() {
    return List.of("logs", "logs/a", "logs/a/b", "outside");
  }

  @ParameterizedTest
  @ValueSource(strings = {"../x", "a/../../b", "a/..", "..", "../outside", "a/b/../../../x"})
  void experimentWithDotDotSegmentIsRefused(String experiment) throws Exception {
    FlagSink sink = new FlagSink(logdir, FlagConfig.defaults());

    assertRefusedAndNothingWritten(sink.apply(experiment, Status.CONVERGED, CONTENT), "'..'");
  }

  @Test
  void absoluteExperimentIsRefusedAndNothingIsWrittenThere() throws Exception {
    FlagSink sink = new FlagSink(logdir, FlagConfig.defaults());
    boolean etcFlagBefore = Files.exists(Paths.get("/etc/CONVERGED"));

    assertRefusedAndNothingWritten(sink.apply("/etc", Status.CONVERGED, CONTENT), "absolute");
    assertRefusedAndNothingWritten(
        sink.apply(outside.toString(), Status.CONVERGED, CONTENT), "absolute");
    assertThat(Files.exists(Paths.get("/etc/CONVERGED"))).isEqualTo(etcFlagBefore);
  }

  @Test
  void experimentWithNulByteIsRefused() throws Exception {
    FlagSink sink = new FlagSink(logdir, FlagConfig.defaults());

    assertRefusedAndNothingWritten(sink.apply("a\0b", Status.CONVERGED, CONTENT), "NUL");
  }

  @Test
  void refusedNamesAreRefusedForRemovalToo() throws Exception {
    Files.writeString(root.resolve("CONVERGED"), "not a flag of ours\n");
    FlagSink sink = new FlagSink(logdir, FlagConfig.defaults());

    assertThat(sink.apply("..", Status.TRAINING, CONTENT)).isInstanceOf(FlagOutcome.Failed.class);
    assertThat(sink.removeAll("../logs/..")).isInstanceOf(FlagOutcome.Failed.class);
    assertThat(root.resolve("CONVERGED")).hasContent("not a flag of ours");
  }

  @Test
  void runDirectoryThatIsASymlinkOutOfTheBaseIsRefused() throws Exception {
    Files.createSymbolicLink(logdir.resolve("linked"), outside);
    FlagSink sink = new FlagSink(logdir, FlagConfig.defaults());

    FlagOutcome outcome = sink.apply("linked", Status.CONVERGED, CONTENT);
    FlagOutcome nested = sink.apply("linked/deeper", Status.CONVERGED, CONTENT);

    assertThat(outcome).isInstanceOf(FlagOutcome.Failed.class);
    assertThat(((FlagOutcome.Failed) outcome).reason())
        .contains(logdir.resolve("linked").toString())
        .contains("outside the base directory");
    // Nothing there under the link: no flag (the run is gone, or the name is refused), nothing
    // outside.
    assertThat(nested).isNotInstanceOf(FlagOutcome.Written.class);
    assertThat(tree(outside)).isEmpty();
  }

  @Test
  void symlinkOutOfTheBaseIsNotFollowedToRemoveAFile() throws Exception {
    Files.writeString(outside.resolve("CONVERGED"), "someone else's\n");
    Files.createSymbolicLink(logdir.resolve("linked"), outside);
    FlagSink sink = new FlagSink(logdir, FlagConfig.defaults());

    assertThat(sink.apply("linked", Status.TRAINING, CONTENT))
        .isInstanceOf(FlagOutcome.Failed.class);
    assertThat(outside.resolve("CONVERGED")).hasContent("someone else's");
  }

  @Test
  void danglingSymlinkOnTheWayIsRefused() throws Exception {
    Files.createSymbolicLink(logdir.resolve("dangling"), root.resolve("nowhere"));
    FlagSink sink = new FlagSink(logdir, FlagConfig.defaults());

    FlagOutcome outcome = sink.apply("dangling", Status.CONVERGED, CONTENT);

    assertThat(outcome).isInstanceOf(FlagOutcome.Failed.class);
    assertThat(((FlagOutcome.Failed) outcome).reason()).contains("missing target");
    assertThat(Files.exists(root.resolve("nowhere"))).isFalse();
  }

  @Test
  void symlinkThatStaysInsideTheBaseIsFollowed() throws Exception {
    Files.createSymbolicLink(logdir.resolve("alias"), logdir.resolve("a/b"));
    FlagSink sink = new FlagSink(logdir, FlagConfig.defaults());

    FlagOutcome outcome = sink.apply("alias", Status.CONVERGED, CONTENT);

    assertThat(outcome).isEqualTo(new FlagOutcome.Written(logdir.resolve("alias/CONVERGED")));
    assertThat(Files.exists(logdir.resolve("a/b/CONVERGED"))).isTrue();
  }

  @Test
  void flagDirRefusesASymlinkOutOfItEvenWhenTheLogdirHasNone() throws Exception {
    Path flagDir = Files.createDirectories(root.resolve("flags"));
    Files.createSymbolicLink(flagDir.resolve("a"), outside);
    FlagSink sink = new FlagSink(logdir, FlagConfig.defaults().withFlagDir(flagDir));

    FlagOutcome outcome = sink.apply("a/b", Status.CONVERGED, CONTENT);

    assertThat(outcome).isInstanceOf(FlagOutcome.Failed.class);
    assertThat(tree(outside)).isEmpty();
  }

  @Test
  void flagDirMirroringPutsNestedExperimentFlagUnderTheFlagDirOnly() throws Exception {
    Path flagDir = root.resolve("flags");
    FlagSink sink = new FlagSink(logdir, FlagConfig.defaults().withFlagDir(flagDir));

    FlagOutcome outcome = sink.apply("exp/sub", Status.CONVERGED, CONTENT);

    assertThat(outcome).isEqualTo(new FlagOutcome.Written(flagDir.resolve("exp/sub/CONVERGED")));
    assertThat(tree(root))
        .containsExactlyInAnyOrder(
            "flags",
            "flags/exp",
            "flags/exp/sub",
            "flags/exp/sub/CONVERGED",
            "logs",
            "logs/a",
            "logs/a/b",
            "outside");
  }

  @Test
  void templateWhoseSubstitutionMakesDotDotIsRefusedPerExperiment() throws Exception {
    FlagSink sink =
        new FlagSink(logdir, FlagConfig.defaults().withTemplate(".{experiment}./{STATUS}"));

    assertRefusedAndNothingWritten(sink.apply(".", Status.CONVERGED, CONTENT), "'..'");
    assertThat(sink.apply("a", Status.CONVERGED, CONTENT))
        .isEqualTo(new FlagOutcome.Written(logdir.resolve(".a./CONVERGED")));
  }

  @Test
  void oneRefusedExperimentDoesNotStopTheNextOne() throws Exception {
    FlagSink sink = new FlagSink(logdir, FlagConfig.defaults());

    assertThat(sink.apply("../x", Status.CONVERGED, CONTENT))
        .isInstanceOf(FlagOutcome.Failed.class);
    assertThat(sink.apply("../x", Status.CONVERGED, CONTENT))
        .isInstanceOf(FlagOutcome.Failed.class);
    assertThat(sink.apply("a/b", Status.CONVERGED, CONTENT))
        .isEqualTo(new FlagOutcome.Written(logdir.resolve("a/b/CONVERGED")));
  }

  @Test
  void flagFileThatIsASymlinkOutOfTheBaseIsReplacedNotWrittenThrough() throws Exception {
    Path precious = Files.writeString(outside.resolve("precious"), "someone else's\n");
    Files.createSymbolicLink(logdir.resolve("a/b/CONVERGED"), precious);
    FlagSink sink = new FlagSink(logdir, FlagConfig.defaults());

    FlagOutcome outcome = sink.apply("a/b", Status.CONVERGED, CONTENT);

    assertThat(outcome).isEqualTo(new FlagOutcome.Written(logdir.resolve("a/b/CONVERGED")));
    assertThat(precious).hasContent("someone else's");
    assertThat(Files.isSymbolicLink(logdir.resolve("a/b/CONVERGED"))).isFalse();
    assertThat(logdir.resolve("a/b/CONVERGED")).content().contains("\"x\"");
  }

  @Test
  void flagFileThatIsASymlinkOutOfTheBaseIsRemovedNotFollowed() throws Exception {
    Path precious = Files.writeString(outside.resolve("precious"), "someone else's\n");
    Files.createSymbolicLink(logdir.resolve("a/b/DIVERGED"), precious);
    FlagSink sink = new FlagSink(logdir, FlagConfig.defaults());

    assertThat(sink.apply("a/b", Status.TRAINING, CONTENT))
        .isNotInstanceOf(FlagOutcome.Failed.class);

    assertThat(
            Files.exists(logdir.resolve("a/b/DIVERGED"), java.nio.file.LinkOption.NOFOLLOW_LINKS))
        .isFalse();
    assertThat(precious).hasContent("someone else's");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"><script>alert(1)</script>",
        "-rf",
        "new\nline",
        " spaced ",
        "~",
        "$HOME",
        "a\\..\\b"
      })
  void oddButLegalExperimentNamesStayInsideTheBase(String experiment) throws Exception {
    Files.createDirectories(logdir.resolve(experiment)); // the run's directory, as its job made it
    FlagSink sink = new FlagSink(logdir, FlagConfig.defaults());

    FlagOutcome outcome = sink.apply(experiment, Status.CONVERGED, CONTENT);

    assertThat(outcome).isInstanceOf(FlagOutcome.Written.class);
    Path written = ((FlagOutcome.Written) outcome).path();
    assertThat(written.toRealPath()).startsWith(logdir.toRealPath());
    assertThat(tree(outside)).isEmpty();
    assertThat(tree(root)).allMatch(p -> p.startsWith("logs") || p.equals("outside"));
  }
}
