package dev.plateau.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plateau.detect.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlagSinkTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path root;
  private Path logdir;

  @BeforeEach
  void makeLogdir() throws IOException {
    logdir = Files.createDirectories(root.resolve("logs"));
    Files.createDirectories(logdir.resolve("exp/sub/train"));
    Files.createDirectories(logdir.resolve("exp/sub/validation"));
  }

  private static ObjectNode verdict(String status, long bestStep) {
    return MAPPER
        .createObjectNode()
        .put("run", "exp/sub/validation")
        .put("status", status)
        .put("best_step", bestStep);
  }

  /** Every entry under the directory, relative and '/' separated, sorted; links not followed. */
  static List<String> tree(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(p -> !p.equals(dir))
          .map(p -> dir.relativize(p).toString().replace('\\', '/'))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  @Test
  void convergedExperimentGetsFlagNamedForStatusHoldingTheVerdictAsPrettyJson() throws Exception {
    FlagSink sink = new FlagSink(logdir, FlagConfig.defaults());
    ObjectNode content = verdict("converged", 1200);

    FlagOutcome outcome = sink.apply("exp/sub", Status.CONVERGED, content);

    Path flag = logdir.resolve("exp/sub/CONVERGED");
    assertThat(outcome).isEqualTo(new FlagOutcome.Written(flag));
    String text = Files.readString(flag, StandardCharsets.UTF_8);
    assertThat(text).endsWith("}\n").contains("\n  \"best_step\" : 1200");
    // Through text on both sides: 1200 put as a long reads back as an int node.
    assertThat(MAPPER.readTree(text))
        .isEqualTo(MAPPER.readTree(MAPPER.writeValueAsString(content)));
    assertThat(tree(logdir.resolve("exp/sub"))).containsExactly("CONVERGED", "train", "validation");
  }

  @Test
  void changeOfStoppingStatusReplacesTheOldFlagWithTheNewOne() throws Exception {
    FlagSink sink = new FlagSink(logdir, FlagConfig.defaults());
    sink.apply("exp/sub", Status.CONVERGED, verdict("converged", 1200));

    FlagOutcome outcome = sink.apply("exp/sub", Status.DIVERGED, verdict("diverged", 1100));

    assertThat(outcome).isEqualTo(new FlagOutcome.Written(logdir.resolve("exp/sub/DIVERGED")));
    assertThat(tree(logdir.resolve("exp/sub"))).containsExactly("DIVERGED", "train", "validation");
    assertThat(MAPPER.readTree(logdir.resolve("exp/sub/DIVERGED").toFile()).get("status").asText())
        .isEqualTo("diverged");
  }

  @Test
  void staleFlagLeftByAnEarlierProcessIsRemovedOnTheNextStatus() throws Exception {
    new FlagSink(logdir, FlagConfig.defaults())
        .apply("exp/sub", Status.CONVERGED, verdict("converged", 1200));
    FlagSink restarted = new FlagSink(logdir, FlagConfig.defaults());

    restarted.apply("exp/sub", Status.OVERFITTING, verdict("overfitting", 900));

    assertThat(tree(logdir.resolve("exp/sub")))
        .containsExactly("OVERFITTING", "train", "validation");
  }

  @Test
  void backToTrainingRemovesTheFlag() throws Exception {
    FlagSink sink = new FlagSink(logdir, FlagConfig.defaults());
    sink.apply("exp/sub", Status.STALLED, verdict("stalled", 10));

    FlagOutcome outcome = sink.apply("exp/sub", Status.TRAINING, verdict("training", 10));

    assertThat(outcome).isEqualTo(new FlagOutcome.Removed(logdir.resolve("exp/sub/STALLED")));
    assertThat(tree(logdir.resolve("exp/sub"))).containsExactly("train", "validation");
    assertThat(sink.apply("exp/sub", Status.TRAINING, verdict("training", 10)))
        .isEqualTo(new FlagOutcome.Unchanged());
  }

  @Test
  void backToTrainingKeepsTheFlagWhenRemoveOnTrainingIsFalse() throws Exception {
    FlagSink sink = new FlagSink(logdir, FlagConfig.defaults().withRemoveOnTraining(false));
    sink.apply("exp/sub", Status.TARGET_REACHED, verdict("target_reached", 10));

    FlagOutcome outcome = sink.apply("exp/sub", Status.TRAINING, verdict("training", 10));

    assertThat(outcome).isEqualTo(new FlagOutcome.Unchanged());
    assertThat(tree(logdir.resolve("exp/sub")))
        .containsExactly("TARGET_REACHED", "train", "validation");
  }

  @Test
  void sameStatusWithIdenticalBytesLeavesTheFileUntouched() throws Exception {
    FlagSink sink = new FlagSink(logdir, FlagConfig.defaults());
    sink.apply("exp/sub", Status.CONVERGED, verdict("converged", 1200));
    Path flag = logdir.resolve("exp/sub/CONVERGED");
    FileTime marked = FileTime.fromMillis(1_000_000L);
    Files.setLastModifiedTime(flag, marked);

    FlagOutcome outcome = sink.apply("exp/sub", Status.CONVERGED, verdict("converged", 1200));

    assertThat(outcome).isEqualTo(new FlagOutcome.Unchanged());
    assertThat(Files.getLastModifiedTime(flag)).isEqualTo(marked);
  }

  @Test
  void sameStatusWithNewContentRewritesTheFlag() throws Exception {
    FlagSink sink = new FlagSink(logdir, FlagConfig.defaults());
    sink.apply("exp/sub", Status.CONVERGED, verdict("converged", 1200));

    FlagOutcome outcome = sink.apply("exp/sub", Status.CONVERGED, verdict("converged", 1500));

    Path flag = logdir.resolve("exp/sub/CONVERGED");
    assertThat(outcome).isEqualTo(new FlagOutcome.Written(flag));
    assertThat(MAPPER.readTree(flag.toFile()).get("best_step").asLong()).isEqualTo(1500);
  }

  @Test
  void staleFlagIsRemovedEvenWhenTheCurrentFlagIsAlreadyRight() throws Exception {
    FlagSink sink = new FlagSink(logdir, FlagConfig.defaults());
    sink.apply("exp/sub", Status.CONVERGED, verdict("converged", 1200));
    Files.writeString(logdir.resolve("exp/sub/DIVERGED"), "{}\n"); // as a crash could leave it

    FlagOutcome outcome = sink.apply("exp/sub", Status.CONVERGED, verdict("converged", 1200));

    assertThat(outcome).isEqualTo(new FlagOutcome.Removed(logdir.resolve("exp/sub/DIVERGED")));
    assertThat(tree(logdir.resolve("exp/sub"))).containsExactly("CONVERGED", "train", "validation");
  }

  @Test
  void removeAllRemovesEveryFlagOfTheExperimentOnly() throws Exception {
    FlagSink sink = new FlagSink(logdir, FlagConfig.defaults());
    Files.createDirectories(logdir.resolve("other"));
    sink.apply("exp/sub", Status.CONVERGED, verdict("converged", 1));
    sink.apply("other", Status.CONVERGED, verdict("converged", 1));

    assertThat(sink.removeAll("exp/sub"))
        .isEqualTo(new FlagOutcome.Removed(logdir.resolve("exp/sub/CONVERGED")));
    assertThat(sink.removeAll("exp/sub")).isEqualTo(new FlagOutcome.Unchanged());
    assertThat(Files.exists(logdir.resolve("other/CONVERGED"))).isTrue();
  }

  @Test
  void experimentThatIsTheLogdirItselfGetsItsFlagInTheLogdir() throws Exception {
    FlagSink sink = new FlagSink(logdir, FlagConfig.defaults());

    FlagOutcome outcome = sink.apply(".", Status.CONVERGED, verdict("converged", 1));

    assertThat(outcome).isEqualTo(new FlagOutcome.Written(logdir.resolve("CONVERGED")));
    assertThat(sink.flagPathFor(".", Status.CONVERGED))
        .isEqualTo(logdir.resolve("CONVERGED").toString());
  }

  @Test
  void flagDirMirrorsTheLogdirLayoutAndIsCreatedWhenMissing() throws Exception {
    Path flagDir = root.resolve("flags/not/yet");
    FlagSink sink = new FlagSink(logdir, FlagConfig.defaults().withFlagDir(flagDir));

    FlagOutcome outcome = sink.apply("exp/sub", Status.CONVERGED, verdict("converged", 1));

    assertThat(outcome).isEqualTo(new FlagOutcome.Written(flagDir.resolve("exp/sub/CONVERGED")));
    assertThat(tree(flagDir)).containsExactly("exp", "exp/sub", "exp/sub/CONVERGED");
    assertThat(tree(logdir.resolve("exp/sub"))).containsExactly("train", "validation");
    assertThat(sink.base()).isEqualTo(flagDir);
  }

  @Test
  void hiddenDirectoryTemplatePutsLowerCaseJsonFlagsInsideTheExperiment() throws Exception {
    FlagSink sink =
        new FlagSink(
            logdir, FlagConfig.defaults().withTemplate("{experiment}/.plateau/{status}.json"));

    sink.apply("exp/sub", Status.CONVERGED, verdict("converged", 1));
    sink.apply("exp/sub", Status.TARGET_REACHED, verdict("target_reached", 2));

    assertThat(tree(logdir.resolve("exp/sub")))
        .containsExactly(".plateau", ".plateau/target_reached.json", "train", "validation");
    assertThat(sink.flagPathFor("exp/sub", Status.DIVERGED))
        .isEqualTo(logdir.resolve("exp/sub/.plateau/diverged.json").toString());
  }

  @Test
  void prefixedTemplateWithFlagDirNestsUnderThePrefix() throws Exception {
    Path flagDir = Files.createDirectories(root.resolve("flagdir"));
    FlagSink sink =
        new FlagSink(
            logdir,
            FlagConfig.defaults().withFlagDir(flagDir).withTemplate("flags/{experiment}/{STATUS}"));

    FlagOutcome outcome = sink.apply("exp/sub", Status.DIVERGED, verdict("diverged", 3));

    assertThat(outcome)
        .isEqualTo(new FlagOutcome.Written(flagDir.resolve("flags/exp/sub/DIVERGED")));
    assertThat(tree(flagDir))
        .containsExactly("flags", "flags/exp", "flags/exp/sub", "flags/exp/sub/DIVERGED");
  }

  @Test
  void flagPathForNamesTheDefaultPathAndRefusesTraining() {
    FlagSink sink = new FlagSink(logdir, FlagConfig.defaults());

    assertThat(sink.flagPathFor("exp/sub", Status.OVERFITTING))
        .isEqualTo(logdir.resolve("exp/sub/OVERFITTING").toString());
    assertThatThrownBy(() -> sink.flagPathFor("exp/sub", Status.TRAINING))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> sink.flagPathFor("../x", Status.CONVERGED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'..'");
  }

  @Test
  void contentOverTheLimitIsRefusedAndNothingIsWritten() throws Exception {
    FlagSink sink = new FlagSink(logdir, FlagConfig.defaults().withMaxContentBytes(100));
    ObjectNode big = verdict("converged", 1).put("reason", "x".repeat(200));

    FlagOutcome outcome = sink.apply("exp/sub", Status.CONVERGED, big);

    assertThat(outcome).isInstanceOf(FlagOutcome.Failed.class);
    assertThat(((FlagOutcome.Failed) outcome).reason())
        .contains(logdir.resolve("exp/sub/CONVERGED").toString())
        .contains("limit of 100");
    assertThat(tree(logdir.resolve("exp/sub"))).containsExactly("train", "validation");
  }

  @Test
  void contentLimitMustBePositive() {
    assertThatThrownBy(() -> FlagConfig.defaults().withMaxContentBytes(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 0");
  }

  @Test
  void noTemporaryFileIsLeftAfterManyWrites() throws Exception {
    FlagSink sink = new FlagSink(logdir, FlagConfig.defaults());
    Status[] cycle = {Status.CONVERGED, Status.DIVERGED, Status.TRAINING, Status.STALLED};

    for (int i = 0; i < 40; i++) {
      Status status = cycle[i % cycle.length];
      assertThat(sink.apply("exp/sub", status, verdict(status.jsonName(), i)))
          .isNotInstanceOf(FlagOutcome.Failed.class);
    }

    assertThat(tree(logdir)).noneMatch(name -> name.contains(FlagFileWriter.TEMP_MARKER));
    assertThat(tree(logdir.resolve("exp/sub"))).containsExactly("STALLED", "train", "validation");
  }

  @Test
  void notLearningWritesNoFlagUnlessConfiguredAsAStop() throws Exception {
    FlagSink informational = new FlagSink(logdir, FlagConfig.defaults());
    informational.apply("exp/sub", Status.NOT_LEARNING, verdict("not_learning", 30));
    assertThat(Files.exists(logdir.resolve("exp/sub/NOT_LEARNING"))).isFalse();

    FlagSink asStop = new FlagSink(logdir, FlagConfig.defaults().withNotLearningFlags(true));
    FlagOutcome outcome = asStop.apply("exp/sub", Status.NOT_LEARNING, verdict("not_learning", 30));
    assertThat(outcome).isEqualTo(new FlagOutcome.Written(logdir.resolve("exp/sub/NOT_LEARNING")));
    // Learning begins and the run converges later: the stale flag goes.
    asStop.apply("exp/sub", Status.CONVERGED, verdict("converged", 900));
    assertThat(tree(logdir.resolve("exp/sub"))).containsExactly("CONVERGED", "train", "validation");
  }

  @Test
  void laggingWritesNoFlagUnlessConfiguredAsAStop() throws Exception {
    FlagSink informational = new FlagSink(logdir, FlagConfig.defaults());
    informational.apply("exp/sub", Status.LAGGING, verdict("lagging", 12));
    assertThat(Files.exists(logdir.resolve("exp/sub/LAGGING"))).isFalse();

    FlagSink asStop = new FlagSink(logdir, FlagConfig.defaults().withLaggingFlags(true));
    FlagOutcome outcome = asStop.apply("exp/sub", Status.LAGGING, verdict("lagging", 12));
    assertThat(outcome).isEqualTo(new FlagOutcome.Written(logdir.resolve("exp/sub/LAGGING")));
  }

  @Test
  void anExperimentWhoseDirectoryIsGoneGetsNoFlagAndItsDirectoryIsNeverMade() throws Exception {
    for (FlagConfig config : List.of(FlagConfig.defaults())) {
      FlagSink sink = new FlagSink(logdir, config);
      List<String> before = tree(root);
      FlagOutcome outcome = sink.apply("exp/gone", Status.STALLED, verdict("stalled", 3));
      assertThat(outcome).isEqualTo(new FlagOutcome.RunGone(logdir.resolve("exp/gone")));
      assertThat(tree(root)).isEqualTo(before);
    }
  }
}
