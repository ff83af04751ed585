package dev.plateau.sink;

import static dev.plateau.sink.FlagSinkTest.tree;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plateau.detect.Status;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.CopyOption;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Failures are outcomes that name the path, and leave no temporary file. Tests may run as root,
 * where permissions do not stop a write, so failures are made with a file where a directory is
 * expected, a directory where the flag should be, or a rename that fails as on a full disk.
 */
class FlagWriteFailureTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path logdir;

  private static ObjectNode content(long bestStep) {
    return MAPPER.createObjectNode().put("status", "converged").put("best_step", bestStep);
  }

  private static String reason(FlagOutcome outcome) {
    assertThat(outcome).isInstanceOf(FlagOutcome.Failed.class);
    return ((FlagOutcome.Failed) outcome).reason();
  }

  @Test
  void fileWhereTheExperimentDirectoryIsExpectedFailsNamingIt() throws Exception {
    Files.writeString(logdir.resolve("exp"), "a file, not a directory\n");
    FlagSink sink = new FlagSink(logdir, FlagConfig.defaults());

    String reason = reason(sink.apply("exp/sub", Status.CONVERGED, content(1)));

    assertThat(reason).contains(logdir.resolve("exp").toString()).contains("not a directory");
    assertThat(tree(logdir)).containsExactly("exp");
    assertThat(logdir.resolve("exp")).hasContent("a file, not a directory");
  }

  @Test
  void flagDirThatIsAFileFailsNamingIt() throws Exception {
    Path flagDir = logdir.resolve("flags");
    Files.writeString(flagDir, "oops\n");
    FlagSink sink = new FlagSink(logdir, FlagConfig.defaults().withFlagDir(flagDir));

    String reason = reason(sink.apply("exp", Status.CONVERGED, content(1)));

    assertThat(reason).contains(flagDir.toString());
    assertThat(tree(logdir)).containsExactly("flags");
  }

  @Test
  void missingLogdirFailsAndIsNotCreated() throws Exception {
    Path missing = logdir.resolve("gone");
    FlagSink sink = new FlagSink(missing, FlagConfig.defaults());

    String reason = reason(sink.apply("exp", Status.CONVERGED, content(1)));

    assertThat(reason).contains(missing.resolve("exp/CONVERGED").toString());
    assertThat(Files.exists(missing)).isFalse();
    assertThat(sink.removeAll("exp")).isEqualTo(new FlagOutcome.Unchanged());
  }

  @Test
  void directoryInThePlaceOfTheFlagFailsTheRenameAndLeavesNoTemporaryFile() throws Exception {
    Files.createDirectories(logdir.resolve("exp/CONVERGED"));
    Files.writeString(logdir.resolve("exp/CONVERGED/keep"), "x");
    FlagSink sink = new FlagSink(logdir, FlagConfig.defaults());

    String reason = reason(sink.apply("exp", Status.CONVERGED, content(1)));

    assertThat(reason).contains(logdir.resolve("exp/CONVERGED").toString());
    assertThat(tree(logdir)).containsExactly("exp", "exp/CONVERGED", "exp/CONVERGED/keep");
  }

  @Test
  void fullDiskDuringTheRenameKeepsTheOldFlagAndLeavesNoTemporaryFile() throws Exception {
    Files.createDirectories(logdir.resolve("exp")); // the run's directory, as its job made it
    Path flag = logdir.resolve("exp/CONVERGED");
    new FlagSink(logdir, FlagConfig.defaults()).apply("exp", Status.CONVERGED, content(1));
    FlagFileWriter full =
        new FlagFileWriter(
            (source, target, options) -> {
              throw new FileSystemException(
                  source.toString(), target.toString(), "No space left on device");
            });
    FlagSink sink = new FlagSink(logdir, FlagConfig.defaults(), full);

    String reason = reason(sink.apply("exp", Status.CONVERGED, content(2)));

    assertThat(reason).contains(flag.toString()).contains("No space left on device");
    assertThat(tree(logdir)).containsExactly("exp", "exp/CONVERGED");
    assertThat(MAPPER.readTree(flag.toFile()).get("best_step").asLong()).isEqualTo(1);
  }

  @Test
  void oldFlagThatCannotBeRemovedIsReportedWhileTheNewFlagStays() throws Exception {
    Files.createDirectories(logdir.resolve("exp/DIVERGED"));
    FlagSink sink = new FlagSink(logdir, FlagConfig.defaults());

    String reason = reason(sink.apply("exp", Status.CONVERGED, content(1)));

    assertThat(reason)
        .contains("flag " + logdir.resolve("exp/CONVERGED") + " written")
        .contains(logdir.resolve("exp/DIVERGED").toString())
        .contains("is a directory");
    assertThat(Files.isRegularFile(logdir.resolve("exp/CONVERGED"))).isTrue();
    assertThat(Files.isDirectory(logdir.resolve("exp/DIVERGED"))).isTrue();
  }

  @Test
  void filesystemWithoutAtomicMoveFallsBackToReplaceExistingAndSaysSo() throws Exception {
    Files.createDirectories(logdir.resolve("exp")); // the run's directory, as its job made it
    List<List<CopyOption>> moves = new ArrayList<>();
    FlagFileWriter noAtomicMove =
        new FlagFileWriter(
            (source, target, options) -> {
              moves.add(List.of(options));
              if (List.of(options).contains(StandardCopyOption.ATOMIC_MOVE)) {
                throw new AtomicMoveNotSupportedException(
                    source.toString(), target.toString(), "not on this filesystem");
              }
              Files.move(source, target, options);
            });
    FlagSink sink = new FlagSink(logdir, FlagConfig.defaults(), noAtomicMove);
    Logger log = (Logger) LoggerFactory.getLogger(FlagFileWriter.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    log.addAppender(appender);
    try {
      sink.apply("exp", Status.CONVERGED, content(1));
      FlagOutcome outcome = sink.apply("exp", Status.CONVERGED, content(2));

      assertThat(outcome).isEqualTo(new FlagOutcome.Written(logdir.resolve("exp/CONVERGED")));
      assertThat(moves)
          .containsExactly(
              List.of(StandardCopyOption.ATOMIC_MOVE),
              List.of(StandardCopyOption.REPLACE_EXISTING),
              List.of(StandardCopyOption.ATOMIC_MOVE),
              List.of(StandardCopyOption.REPLACE_EXISTING));
      assertThat(
              MAPPER.readTree(logdir.resolve("exp/CONVERGED").toFile()).get("best_step").asLong())
          .isEqualTo(2);
      assertThat(appender.list)
          .filteredOn(e -> e.getLevel() == Level.WARN)
          .singleElement()
          .satisfies(e -> assertThat(e.getFormattedMessage()).contains("cannot rename atomically"));
      assertThat(tree(logdir)).containsExactly("exp", "exp/CONVERGED");
    } finally {
      log.detachAppender(appender);
    }
  }
}
