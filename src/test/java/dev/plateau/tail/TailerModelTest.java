package dev.plateau.tail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * A model-based test of {@link LogdirTailer}, after Vector's file-source model tests: seeded random
 * sequences of appends (whole records and records cut at any byte), new files and runs, truncation,
 * rewriting, replacement, deletion, files made unreadable, polls and restarts, applied to real
 * files watched by the real tailer and to {@link TailerModel}; after every poll the two must agree
 * on the points reported per run, the files read again, the problems and the cursors.
 *
 * <p>System properties: {@code plateau.model.sequences} (default {@value #DEFAULT_SEQUENCES}),
 * {@code plateau.model.seed} (a number, or {@code random}; sequence {@code i} runs from seed {@code
 * seed + i * 0x9E3779B97F4A7C15}, so sequence 0 runs from the seed itself), and {@code
 * plateau.model.replay} (a sequence as a failure prints it, run alone). More sequences:
 *
 * <pre>
 * ./mvnw -B test -Dtest=TailerModelTest#tailerAgreesWithItsModelOverRandomSequences \
 *     -Dplateau.model.sequences=100000 -Dplateau.model.seed=random
 * </pre>
 *
 * <p>Unreadable files: as root, permissions deny nothing, so the {@code deny} op is generated only
 * for other users; the {@code hide} op (the name taken by a directory or a dangling link while the
 * file is moved away) runs for everyone.
 */
class TailerModelTest {
  static final int DEFAULT_SEQUENCES = 2000;
  private static final long DEFAULT_SEED = 0x5EED_7A11L;
  private static final long SEED_STEP = 0x9E3779B97F4A7C15L;
  private static final int MAX_SHRINK_REPLAYS = 3000;

  private static Logger tailLog;
  private static Level tailLevel;

  @TempDir Path base;

  @BeforeAll
  static void quietTailerLogs() {
    // Every reset and forgotten file is logged at INFO; thousands of sequences make many.
    tailLog = (Logger) LoggerFactory.getLogger("dev.plateau.tail");
    tailLevel = tailLog.getLevel();
    tailLog.setLevel(Level.WARN);
  }

  @AfterAll
  static void restoreTailerLogs() {
    tailLog.setLevel(tailLevel);
  }

  private boolean permissionsDenyReads() throws IOException {
    Path probe = Files.createFile(base.resolve("probe"));
    Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("-w-------"));
    boolean denied = !Files.isReadable(probe);
    Files.delete(probe);
    return denied;
  }

  private SequenceRunner runner(SequenceRunner.Restorer restorer) throws IOException {
    return new SequenceRunner(base, permissionsDenyReads(), restorer);
  }

  private static long masterSeed() {
    String seed = System.getProperty("plateau.model.seed");
    if (seed == null || seed.isBlank()) {
      return DEFAULT_SEED;
    }
    return seed.equals("random") ? ThreadLocalRandom.current().nextLong() : Long.parseLong(seed);
  }

  /**
   * The first failing sequence among {@code count} from {@code master}, shrunk; null when all pass.
   * Sequences the model calls undetectable are counted as failures of the generator.
   */
  private static String firstFailure(SequenceRunner runner, long master, int count)
      throws IOException {
    for (int i = 0; i < count; i++) {
      long seed = master + i * SEED_STEP;
      SequenceRunner.Generated run = runner.generate(seed);
      if (run.outcome() instanceof SequenceRunner.Outcome.Undetectable u) {
        return "seed "
            + seed
            + ": the generator made a change the tailer cannot see: "
            + u.message()
            + "\n  "
            + ModelOp.format(run.ops());
      }
      if (run.outcome() instanceof SequenceRunner.Outcome.Failed failed) {
        SequenceShrinker.Shrunk shrunk =
            new SequenceShrinker(runner, MAX_SHRINK_REPLAYS).shrink(run.ops(), failed);
        String minimal = ModelOp.format(shrunk.ops());
        return String.join(
            "\n",
            "tailer and model disagree",
            "  seed "
                + seed
                + " (sequence "
                + i
                + " from master seed "
                + master
                + "), "
                + run.ops().size()
                + " ops; at op "
                + failed.op()
                + ", poll "
                + failed.poll()
                + ":",
            indent(failed.message()),
            "  run it again: -Dplateau.model.seed=" + seed + " -Dplateau.model.sequences=1",
            "  shrunk to "
                + shrunk.ops().size()
                + " ops ("
                + shrunk.replays()
                + " replays);"
                + " at poll "
                + shrunk.failure().poll()
                + ":",
            indent(shrunk.failure().message()),
            "  run it again: -Dplateau.model.replay='" + minimal + "'");
      }
    }
    return null;
  }

  private static String indent(String text) {
    return "    " + text.strip().replace("\n", "\n    ");
  }

  @Test
  void tailerAgreesWithItsModelOverRandomSequences() throws IOException {
    SequenceRunner runner = runner(LogdirTailer::restore);
    String replay = System.getProperty("plateau.model.replay");
    if (replay != null && !replay.isBlank()) {
      SequenceRunner.Outcome outcome = runner.replay(ModelOp.parse(replay));
      assertThat(outcome).as(replay).isInstanceOf(SequenceRunner.Outcome.Passed.class);
      return;
    }
    int count = Integer.getInteger("plateau.model.sequences", DEFAULT_SEQUENCES);
    String failure = firstFailure(runner, masterSeed(), count);
    if (failure != null) {
      fail(failure);
    }
  }

  /** Corners of the contract as fixed sequences, run on every build whatever the seed covers. */
  static Stream<Arguments> cornersOfTheContract() {
    String file = "events.out.tfevents.1000.model.0";
    return Stream.of(
        Arguments.of(
            "a record cut at a byte is finished after a restart, through a 20-byte window",
            "restart(20); newrun(0,r0,0,"
                + file
                + ",2,1); poll(); appendpartial(0,5); poll();"
                + " restart(20); appendpartial(0,6); append(0,2,7); poll()"),
        Arguments.of(
            "a file hidden while a poll looks resumes where it stood once back, as across a restart",
            "restart(65536); newrun(0,r0,0,"
                + file
                + ",3,1); poll(); hide(0,false); poll();"
                + " unhide(0); poll(); hide(0,true); restart(65536); unhide(0); append(0,1,2);"
                + " poll()"),
        Arguments.of(
            "a deleted run made again under its name, after a restart kept its old cursor",
            "restart(65536); newrun(0,r0,0,"
                + file
                + ",3,1); poll(); deleterun(0); poll();"
                + " restart(65536); newrun(1,r0,1,"
                + file
                + ",1,2); poll()"),
        Arguments.of(
            "files of a run cut, rewritten, replaced and reread, in name order",
            "restart(30); newrun(0,g0/r0,0,events.out.tfevents.1050.model.0,2,1);"
                + " newfile(0,1,events.out.tfevents.1010.model.1,2,2); poll(); truncate(0,1);"
                + " rewrite(1,1,3); poll(); append(0,2,4); replace(1,2,5); poll(); reread(0);"
                + " poll()"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cornersOfTheContract")
  void tailerAgreesWithItsModelInTheContractsCorners(String corner, String sequence)
      throws IOException {
    SequenceRunner.Outcome outcome = runner(LogdirTailer::restore).replay(ModelOp.parse(sequence));
    assertThat(outcome).as(corner).isInstanceOf(SequenceRunner.Outcome.Passed.class);
  }

  @Test
  void modelCatchesATailerRestartedWithoutItsCursors() throws IOException {
    // A restart that forgets where reading stood reads every file again: the model must notice.
    SequenceRunner runner = runner((tailer, saved) -> {});
    String failure = firstFailure(runner, DEFAULT_SEED, 200);
    assertThat(failure).isNotNull().contains("points differ").contains("restart(");
    assertThat(shrunkLength(failure)).isLessThanOrEqualTo(6);
  }

  @Test
  void modelCatchesATailerThatForgetsTensorMetadataOnRestart() throws IOException {
    // Tensor values carry their tag's metadata once per file; a restored decoder must know it.
    SequenceRunner runner =
        runner(
            (tailer, saved) ->
                tailer.restore(
                    saved.stream()
                        .map(
                            c ->
                                new FileCursor(
                                    c.path(),
                                    c.run(),
                                    c.offset(),
                                    c.fingerprint(),
                                    c.fileKey(),
                                    c.resyncing(),
                                    Map.of()))
                        .toList()));
    String failure = firstFailure(runner, DEFAULT_SEED, 500);
    assertThat(failure).isNotNull().contains("points differ").contains("lr@");
  }

  @Test
  void sequencesReadBackFromTheirTextForm() {
    List<ModelOp> ops =
        List.of(
            new ModelOp.NewRun(0, "g1/r0", 0, "events.out.tfevents.1042.model.0", 2, -7),
            new ModelOp.NewFile(0, 1, "events.out.tfevents.1001.model.1", 0, 5),
            new ModelOp.Append(1, 3, Long.MIN_VALUE),
            new ModelOp.AppendPartial(1, 42),
            new ModelOp.Truncate(0, 1),
            new ModelOp.Rewrite(0, 2, 9),
            new ModelOp.Replace(1, 4, -1),
            new ModelOp.Hide(0, true),
            new ModelOp.Unhide(0),
            new ModelOp.Deny(1),
            new ModelOp.Allow(1),
            new ModelOp.Reread(0),
            new ModelOp.Restart(16),
            new ModelOp.DeleteFile(1),
            new ModelOp.DeleteRun(0),
            new ModelOp.Poll());
    assertThat(ModelOp.parse(ModelOp.format(ops))).isEqualTo(ops);
  }

  private static int shrunkLength(String failure) {
    String marker = "shrunk to ";
    int at = failure.indexOf(marker) + marker.length();
    return Integer.parseInt(failure.substring(at, failure.indexOf(' ', at)));
  }
}
