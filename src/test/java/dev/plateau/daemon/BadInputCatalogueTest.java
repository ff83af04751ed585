package dev.plateau.daemon;

import static dev.plateau.daemon.WatchedLogdir.TAG;
import static dev.plateau.daemon.WatchedLogdir.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import ch.qos.logback.classic.Level;
import com.google.protobuf.ByteString;
import dev.plateau.decode.Frames;
import dev.plateau.detect.Status;
import dev.plateau.proto.DataType;
import dev.plateau.proto.Event;
import dev.plateau.proto.Summary;
import dev.plateau.proto.TensorProto;
import dev.plateau.sink.AlertSink;
import dev.plateau.sink.RetryPolicy;
import dev.plateau.sink.Secret;
import dev.plateau.sink.SinkSettings;
import dev.plateau.sink.WebhookSink;
import dev.plateau.testing.FakeClock;
import dev.plateau.testing.RunningDaemon;
import dev.plateau.write.EventFileWriter;
import dev.plateau.write.TensorStorage;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The catalogue of bad input (docs/bad-input.md), one case per row, on the daemon's real pieces: a
 * {@link Watcher} over real event files and a real SQLite state, real flag files, and real loopback
 * receivers. Each test breaks one thing and checks two: the message a user reads (as the daemon
 * logs it; it names the file and offset, or the key), and that nothing else is lost: the healthy
 * run beside the broken one keeps being read and judged, every point of it kept and its flag file
 * written.
 *
 * <p>Rows of one shape (a damaged event file: one WARN line, the rest kept) are a table, {@link
 * #damagedFiles()}; rows whose story has more steps (a writer that finishes later, a clock that
 * moves, a restart, a receiver that is down) are tests of their own.
 *
 * <p>Rows about start-up and the process itself (an unreadable file, a bad configuration, a full
 * disk, a corrupt state database) are in {@code dev.plateau.cli.BadInputCatalogueIT}.
 */
class BadInputCatalogueTest {
  /** The broken run's event file. */
  static final String FILE = "events.out.tfevents.1700000000.bad.v2";

  @TempDir Path temp;

  private static long[] without(long[] steps, long... missing) {
    return LongStream.of(steps)
        .filter(s -> LongStream.of(missing).noneMatch(m -> m == s))
        .toArray();
  }

  private static Path badFile(WatchedLogdir logs, byte[] content) throws IOException {
    return BadEventFiles.create(logs.logdir.resolve("bad"), FILE, content);
  }

  // ---- one damaged file: the table -----------------------------------------------------------

  /** How a row's event file is written: its records before any damage, from the logdir's start. */
  interface Contents {
    BadEventFiles of(double start) throws IOException;
  }

  /** The bytes a row writes: its records, damaged. */
  interface Damage {
    byte[] apply(BadEventFiles records);
  }

  /** What a row expects the WARN log to say about the file (at {@code file}). */
  interface ExpectedWarning {
    Warning of(Path file, BadEventFiles records);
  }

  /**
   * The one WARN line a row expects: exactly {@code start} when {@code end} is null, else a line
   * that starts with {@code start} and ends with {@code end} (the middle names checksums that
   * differ from file to file).
   */
  record Warning(String start, String end) {
    static Warning exactly(String line) {
      return new Warning(line, null);
    }
  }

  /**
   * A row of the catalogue for a damaged event file beside the healthy run: the file is written
   * between the healthy run's two parts, read in two rounds, and the daemon says one WARN line,
   * keeps {@code keptSteps} of {@code tag}, and judges the run {@code status} (null: not checked).
   */
  record DamagedFile(
      String row,
      Contents contents,
      Damage damage,
      ExpectedWarning warning,
      String tag,
      long[] keptSteps,
      String status) {
    @Override
    public String toString() {
      return row;
    }
  }

  static Stream<DamagedFile> damagedFiles() {
    return Stream.of(
        new DamagedFile(
            "a truncated record followed by more records is skipped and reported with its offset",
            start -> BadEventFiles.of(start, 60),
            // The writer died 25 bytes into step 30's record; a new attempt appended steps 31 on.
            bad -> {
              int cut = (int) bad.offsetOfStep(30);
              return Frames.concat(
                  bad.records(0, 31),
                  Arrays.copyOfRange(bad.bytes, cut, cut + 25),
                  bad.records(32, 61));
            },
            (file, bad) ->
                new Warning(
                    file
                        + ": corrupt record at offset "
                        + bad.offsetOfStep(30)
                        + " (bad data checksum",
                    "skipped 25 bytes to the next valid record at offset "
                        + (bad.offsetOfStep(30) + 25)),
            TAG,
            without(range(0, 60), 30),
            null),
        new DamagedFile(
            "a bad length checksum skips only that record and names its offset",
            start -> BadEventFiles.of(start, 60),
            bad -> bad.with(b -> b[(int) bad.offsetOfStep(20) + 8] ^= 0x01),
            (file, bad) ->
                new Warning(
                    file
                        + ": corrupt record at offset "
                        + bad.offsetOfStep(20)
                        + " (bad length checksum: stored",
                    "to the next valid record at offset " + bad.offsetOfStep(21)),
            TAG,
            without(range(0, 60), 20),
            null),
        new DamagedFile(
            "a bad data checksum skips only that record and names its offset",
            start -> BadEventFiles.of(start, 60),
            bad -> bad.with(b -> b[(int) bad.offsetOfStep(20) + BadEventFiles.HEADER + 3] ^= 0x40),
            (file, bad) ->
                new Warning(
                    file
                        + ": corrupt record at offset "
                        + bad.offsetOfStep(20)
                        + " (bad data checksum over",
                    "to the next valid record at offset " + bad.offsetOfStep(21)),
            TAG,
            without(range(0, 60), 20),
            null),
        new DamagedFile(
            "a length field of 2^63 is refused as over the limit and skipped",
            start -> BadEventFiles.of(start, 60),
            // A header whose length checksum is right, so only the length itself is wrong.
            bad -> {
              byte[] header = Frames.header(1L << 63);
              return bad.with(
                  b -> System.arraycopy(header, 0, b, (int) bad.offsetOfStep(20), header.length));
            },
            (file, bad) ->
                new Warning(
                    file
                        + ": corrupt record at offset "
                        + bad.offsetOfStep(20)
                        + " (record length 9223372036854775808 is above the limit of 67108864 bytes)",
                    "to the next valid record at offset " + bad.offsetOfStep(21)),
            TAG,
            without(range(0, 60), 20),
            null),
        new DamagedFile(
            "a tag that is not UTF-8 is kept with replacement characters and named in hex once",
            BadInputCatalogueTest::nonUtf8Tag,
            bad -> bad.bytes,
            (file, bad) ->
                Warning.exactly(
                    file
                        + ": record at offset "
                        + bad.offsetOfStep(0)
                        + ": tag bytes 76616c5f6c6f7373ff are not valid UTF-8; kept as 'val_loss\uFFFD'"
                        + " with U+FFFD for the invalid bytes"),
            "val_loss\uFFFD",
            range(0, 120),
            "converged"),
        new DamagedFile(
            "a tag that changes dtype keeps every supported value and names the unsupported once",
            BadInputCatalogueTest::tagThatChangesDtype,
            bad -> bad.bytes,
            (file, bad) ->
                Warning.exactly(
                    file
                        + ": record at offset "
                        + bad.offsetOfStep(60)
                        + ": tag '"
                        + TAG
                        + "' is a scalar summary of unsupported type DT_STRING; skipped"),
            TAG,
            without(range(0, 120), 60, 61, 62, 63, 64),
            "converged"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("damagedFiles")
  void aDamagedFileIsReportedOnceAndEverythingElseIsKept(DamagedFile row) throws Exception {
    try (WatchedLogdir logs = new WatchedLogdir(temp);
        CapturedLog log = new CapturedLog()) {
      BadEventFiles bad = row.contents().of(logs.start);
      logs.healthyFirstPart();
      Path file = badFile(logs, row.damage().apply(bad));

      logs.poll();
      logs.healthyRest();
      logs.poll();

      Warning warning = row.warning().of(file, bad);
      if (warning.end() == null) {
        assertThat(log.at(Level.WARN)).containsExactly(warning.start());
      } else {
        assertThat(log.at(Level.WARN))
            .singleElement(STRING)
            .startsWith(warning.start())
            .endsWith(warning.end());
      }
      assertThat(logs.steps("bad", row.tag())).containsExactly(row.keptSteps());
      if (row.status() != null) {
        assertThat(logs.status("bad")).isEqualTo(row.status());
      }
      logs.assertHealthyRunReadAndJudged();
    }
  }

  /** 120 points of a tag whose last byte is not UTF-8. */
  private static BadEventFiles nonUtf8Tag(double start) throws IOException {
    byte[] tag = {'v', 'a', 'l', '_', 'l', 'o', 's', 's', (byte) 0xff};
    return BadEventFiles.of(
        start,
        w -> {
          for (int step = 0; step < 120; step++) {
            Summary.Value value =
                Summary.Value.newBuilder()
                    .setTag(ByteString.copyFrom(tag))
                    .setSimpleValue(WatchedLogdir.value(step))
                    .build();
            w.write(
                Event.newBuilder()
                    .setStep(step)
                    .setWallTime(start + step)
                    .setSummary(Summary.newBuilder().addValue(value))
                    .build());
          }
        });
  }

  /** 120 points of one tag as float, double, string (steps 60 to 64) and half-precision tensors. */
  private static BadEventFiles tagThatChangesDtype(double start) throws IOException {
    return BadEventFiles.of(
        start,
        w -> {
          for (int step = 0; step < 120; step++) {
            double time = start + step;
            double value = WatchedLogdir.value(step);
            if (step < 30) {
              w.tensorScalar(
                  TAG, step, time, DataType.DT_FLOAT, TensorStorage.TENSOR_CONTENT, value);
            } else if (step < 60) {
              w.tensorScalar(TAG, step, time, DataType.DT_DOUBLE, TensorStorage.TYPED_FIELD, value);
            } else if (step < 65) {
              w.tensorValue(
                  TAG,
                  step,
                  time,
                  TensorProto.newBuilder()
                      .setDtype(DataType.DT_STRING)
                      .setTensorContent(ByteString.copyFrom("0.5", StandardCharsets.UTF_8))
                      .build());
            } else {
              w.tensorScalar(
                  TAG, step, time, DataType.DT_HALF, TensorStorage.TENSOR_CONTENT, value);
            }
          }
        });
  }

  // ---- framing -----------------------------------------------------------------------------

  @Test
  void truncatedRecordAtTheEndIsWaitedForAndReadWhenTheWriterCompletesIt() throws Exception {
    try (WatchedLogdir logs = new WatchedLogdir(temp);
        CapturedLog log = new CapturedLog(Level.DEBUG)) {
      BadEventFiles bad = BadEventFiles.of(logs.start, 60);
      long cutRecord = bad.offsetOfStep(30);
      int cut = (int) cutRecord + 20;
      logs.healthyFirstPart();
      Path file = badFile(logs, Arrays.copyOf(bad.bytes, cut));

      logs.poll();
      logs.poll();

      assertThat(log.at(Level.DEBUG, "unfinished record"))
          .as("reported once, at DEBUG: a writer in the middle of a record is normal")
          .containsExactly(
              file
                  + ": 20 bytes of an unfinished record at offset "
                  + cutRecord
                  + "; waiting for the writer");
      assertThat(log.at(Level.WARN)).isEmpty();
      assertThat(logs.steps("bad")).containsExactly(range(0, 30));

      BadEventFiles.append(file, Arrays.copyOfRange(bad.bytes, cut, bad.bytes.length));
      logs.healthyRest();
      logs.poll();

      assertThat(logs.steps("bad"))
          .as("the completed record and the rest")
          .containsExactly(range(0, 60));
      logs.assertHealthyRunReadAndJudged();
    }
  }

  @Test
  void zeroFilledBlockAtTheEndIsWaitedForUntilItIsWrittenInPlace() throws Exception {
    try (WatchedLogdir logs = new WatchedLogdir(temp);
        CapturedLog log = new CapturedLog(Level.DEBUG)) {
      BadEventFiles bad = BadEventFiles.of(logs.start, 60);
      long block = bad.offsetOfStep(30);
      int blockLength = (int) (bad.offsets[61] - block);
      logs.healthyFirstPart();
      // As a network filesystem shows a block that is allocated but whose data has not arrived.
      Path file = badFile(logs, Frames.concat(bad.records(0, 31), new byte[blockLength]));

      for (int i = 0; i < 5; i++) {
        logs.poll();
      }
      assertThat(log.at(Level.DEBUG, "unfinished record"))
          .as("reported once, at DEBUG")
          .containsExactly(
              file
                  + ": "
                  + blockLength
                  + " bytes of an unfinished record at offset "
                  + block
                  + " (zero-filled); waiting for the writer");
      assertThat(log.at(Level.WARN)).isEmpty();
      assertThat(logs.steps("bad")).containsExactly(range(0, 30));

      // The data arrives in place, over the zeros; the file's length does not change.
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        channel.write(ByteBuffer.wrap(bad.records(31, 61)), block);
      }
      logs.healthyRest();
      logs.poll();

      assertThat(logs.steps("bad")).containsExactly(range(0, 60));
      logs.assertHealthyRunReadAndJudged();
    }
  }

  @Test
  void zeroFilledBlockThatStaysBeforeLaterRecordsIsSkippedAndReportedWithItsOffset()
      throws Exception {
    try (WatchedLogdir logs = new WatchedLogdir(temp);
        CapturedLog log = new CapturedLog()) {
      BadEventFiles bad = BadEventFiles.of(logs.start, 60);
      long block = bad.offsetOfStep(30);
      logs.healthyFirstPart();
      // What a crash can leave: a block of zeros where data never arrived, and the job resumed
      // writing after it.
      Path file =
          badFile(logs, Frames.concat(bad.records(0, 31), new byte[4096], bad.records(31, 61)));

      logs.poll();
      assertThat(logs.steps("bad"))
          .as("zeros may be a block still in flight: wait first")
          .containsExactly(range(0, 30));
      logs.healthyRest();
      for (int i = 0; i < 3; i++) {
        logs.poll();
      }

      assertThat(log.at(Level.WARN))
          .singleElement(STRING)
          .startsWith(
              file
                  + ": corrupt record at offset "
                  + block
                  + " (zero bytes where a record should start")
          .endsWith("skipped 4096 bytes to the next valid record at offset " + (block + 4096));
      assertThat(logs.steps("bad")).containsExactly(range(0, 60));
      logs.assertHealthyRunReadAndJudged();
    }
  }

  // ---- files and directories ---------------------------------------------------------------

  @Test
  void fileThatShrinksIsReadAgainFromItsStart() throws Exception {
    try (WatchedLogdir logs = new WatchedLogdir(temp);
        CapturedLog log = new CapturedLog()) {
      BadEventFiles bad = BadEventFiles.of(logs.start, 60);
      logs.healthyFirstPart();
      Path file = badFile(logs, bad.bytes);
      logs.poll();
      assertThat(logs.steps("bad")).containsExactly(range(0, 60));

      // Cut back to its first 20 points (a job restarted and truncated its log).
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        channel.truncate(bad.offsetOfStep(20));
      }
      logs.healthyRest();
      logs.poll();
      logs.poll(); // the run is read again from its files' start in the round after the reset

      assertThat(log.at(Level.INFO, file.toString()))
          .containsExactly(
              file
                  + ": file shrank from at least "
                  + bad.offsets[61]
                  + " to "
                  + bad.offsetOfStep(20)
                  + " bytes; reading it again from the start");
      assertThat(logs.steps("bad")).as("what the file holds now").containsExactly(range(0, 20));
      logs.assertHealthyRunReadAndJudged();
    }
  }

  @Test
  void fileReplacedUnderTheSameNameIsReadAgainFromItsStart() throws Exception {
    try (WatchedLogdir logs = new WatchedLogdir(temp);
        CapturedLog log = new CapturedLog()) {
      logs.healthyFirstPart();
      Path file = badFile(logs, BadEventFiles.of(logs.start, 60).bytes);
      logs.poll();

      // Another file, with other values, renamed over it: same name, same length, new inode.
      BadEventFiles other =
          BadEventFiles.of(
              logs.start,
              w -> {
                for (int step = 0; step < 60; step++) {
                  w.simpleValue(TAG, step, logs.start + step, WatchedLogdir.value(step) + 1);
                }
              });
      Path replacement = Files.write(temp.resolve("replacement"), other.bytes);
      Files.move(
          replacement, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      logs.healthyRest();
      logs.poll();
      logs.poll(); // the run is read again from its files' start in the round after the reset

      assertThat(log.at(Level.INFO, file.toString()))
          .containsExactly(
              file
                  + ": file was replaced (another file now has its name); reading it again from the start");
      assertThat(logs.steps("bad")).containsExactly(range(0, 60));
      assertThat(logs.values("bad")[59])
          .as("the new file's values")
          .isEqualTo(WatchedLogdir.value(59) + 1f);
      logs.assertHealthyRunReadAndJudged();
    }
  }

  @Test
  void deletedRunDirectoryIsForgottenWhileTheOtherRunsGoOn() throws Exception {
    try (WatchedLogdir logs = new WatchedLogdir(temp);
        CapturedLog log = new CapturedLog()) {
      logs.healthyFirstPart();
      Path file = badFile(logs, BadEventFiles.of(logs.start, 60).bytes);
      logs.poll();

      try (var inRun = Files.list(file.getParent())) {
        for (Path p : inRun.toList()) {
          Files.delete(p); // the event file and the run's flag
        }
      }
      Files.delete(file.getParent());
      logs.healthyRest();
      logs.poll();
      logs.poll();

      assertThat(log.at(Level.INFO, file.toString()))
          .as("said once")
          .containsExactly(file + ": no longer in the logdir; forgotten");
      assertThat(log.at(Level.WARN)).isEmpty();
      logs.assertHealthyRunReadAndJudged();
    }
  }

  @Test
  void aFlagThatCannotBeWrittenIsWrittenOnceItCanWithoutARestart() throws Exception {
    FakeClock clock = FakeClock.atNow();
    try (WatchedLogdir logs = new WatchedLogdir(temp, List.of(), clock);
        CapturedLog log = new CapturedLog()) {
      // Where the healthy run's flag goes, a directory the flag cannot replace (a fault that holds
      // for root too, unlike permissions): every write of the flag fails until it is gone.
      Path blocker = Files.createDirectories(logs.logdir.resolve("healthy/CONVERGED"));
      Files.writeString(blocker.resolve("keep"), "x");
      logs.healthyRest();
      logs.poll();
      logs.poll();
      assertThat(logs.verdict("healthy", WatchedLogdir.TAG).status().jsonName())
          .isEqualTo("converged");
      assertThat(logs.watcher().pendingFlags()).isEqualTo(1);
      long failuresBefore = logs.watcher().flagFailures();
      clock.advanceMillis(500);
      logs.poll();
      assertThat(logs.watcher().flagFailures())
          .as("not tried again before its delay")
          .isEqualTo(failuresBefore);
      clock.advanceMillis(1_000);
      logs.poll();
      assertThat(logs.watcher().flagFailures())
          .as("tried again once due")
          .isEqualTo(failuresBefore + 1);
      assertThat(log.at(Level.WARN, "healthy")).as("said once").hasSize(1);

      Files.delete(blocker.resolve("keep"));
      Files.delete(blocker);
      clock.advanceMillis(RetriedFlags.MAX_DELAY.toMillis());
      logs.poll();
      assertThat(logs.watcher().pendingFlags()).isZero();
      assertThat(log.at(Level.INFO, "healthy"))
          .anyMatch(line -> line.contains("flag for 'healthy' (converged) written after"));
      logs.assertHealthyRunReadAndJudged();
    }
  }

  @Test
  void aRunDeletedOrRenamedWhileTrainingLeavesTheJudgedSetAndIsNeverMadeAgain() throws Exception {
    FakeClock clock = FakeClock.atNow();
    try (WatchedLogdir logs = new WatchedLogdir(temp, List.of(), clock);
        CapturedLog log = new CapturedLog()) {
      logs.healthyFirstPart();
      // Two runs still training (a few points of a long descent): one is deleted, one renamed.
      for (String run : List.of("deleted", "renamed")) {
        try (dev.plateau.write.EventFileWriter w =
            dev.plateau.write.EventFileWriter.create(
                logs.logdir.resolve(run), logs.start, run, 0)) {
          logs.points(w, 0, 10);
        }
      }
      logs.poll();
      assertThat(published(logs)).contains("deleted", "renamed");

      Path deleted = logs.logdir.resolve("deleted");
      try (var files = Files.list(deleted)) {
        for (Path p : files.toList()) {
          Files.delete(p);
        }
      }
      Files.delete(deleted);
      Files.move(logs.logdir.resolve("renamed"), logs.logdir.resolve("renamed-later"));
      logs.healthyRest();
      logs.poll();
      // Hours later, when a run that stopped writing would be stalled:
      clock.advanceMillis(java.time.Duration.ofHours(3).toMillis());
      logs.poll();
      logs.poll();

      assertThat(published(logs)).doesNotContain("deleted", "renamed").contains("renamed-later");
      assertThat(log.at(Level.INFO, "run 'deleted' is gone")).hasSize(1);
      assertThat(log.at(Level.INFO, "run 'renamed' is gone")).hasSize(1);
      assertThat(deleted).as("never made again").doesNotExist();
      assertThat(logs.logdir.resolve("renamed")).as("never made again").doesNotExist();
      var experiments = logs.store().experiments();
      assertThat(
              experiments.getOrDefault("deleted", null) == null
                  || experiments.get("deleted").status() != Status.STALLED)
          .as("no stalled verdict recorded for a run that is gone")
          .isTrue();
      assertThat(logs.store().seriesOfRun("deleted")).as("its series left the store").isEmpty();
      logs.assertHealthyRunReadAndJudged();

      logs.restart();
      logs.poll();
      assertThat(published(logs)).doesNotContain("deleted", "renamed");
      assertThat(deleted).doesNotExist();
    }
  }

  private static List<String> published(WatchedLogdir logs) {
    return logs.watcher().published().stream()
        .map(dev.plateau.verdict.ExperimentVerdict::experiment)
        .toList();
  }

  @Test
  void theStateDatabaseDeletedWhileRunningIsSaidOnceMadeAgainAndNothingIsRecordedTwice()
      throws Exception {
    try (WatchedLogdir logs = new WatchedLogdir(temp);
        CapturedLog log = new CapturedLog()) {
      logs.healthyRest();
      logs.poll();
      assertThat(logs.store().experiments().get("healthy").status()).isEqualTo(Status.CONVERGED);

      for (String suffix : List.of("", "-wal", "-shm")) {
        Files.deleteIfExists(logs.db.resolveSibling(logs.db.getFileName() + suffix));
      }
      for (int i = 0; i < 4; i++) {
        logs.poll();
      }
      assertThat(log.at(Level.WARN, "was deleted or replaced while running"))
          .as("said once")
          .hasSize(1);
      assertThat(logs.db).exists();
      var experiments = logs.store().experiments();
      assertThat(experiments.get("healthy").status()).isEqualTo(Status.CONVERGED);
      assertThat(experiments.get("healthy").transitions()).as("its count kept").isEqualTo(1);
      assertThat(verdictRows(logs.db)).as("nothing recorded (so sent) again").isZero();
      assertThat(logs.store().files()).as("every file's position written again").isNotEmpty();

      logs.restart();
      logs.poll();
      logs.poll();
      assertThat(verdictRows(logs.db)).as("nor after a restart").isZero();
      logs.assertHealthyRunReadAndJudged();
    }
  }

  private static long verdictRows(Path db) throws Exception {
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
        var s = c.createStatement();
        var r = s.executeQuery("SELECT count(*) FROM verdicts")) {
      return r.next() ? r.getLong(1) : -1;
    }
  }

  @Test
  void aRunDirectoryWhoseNameIsNotUtf8GetsItsFlagInsideItAndARestartResumesIt() throws Exception {
    try (WatchedLogdir logs = new WatchedLogdir(temp);
        CapturedLog log = new CapturedLog()) {
      // bad\xff\xferun: bytes that are not UTF-8, made through a URI (a string cannot name them).
      Path bad = Path.of(java.net.URI.create(logs.logdir.toUri() + "bad%FF%FErun"));
      try (dev.plateau.write.EventFileWriter w =
          dev.plateau.write.EventFileWriter.create(bad, logs.start, "bad", 0)) {
        logs.points(w, 0, WatchedLogdir.HEALTHY_POINTS);
      }
      logs.healthyRest();
      logs.poll();
      logs.poll();
      assertThat(bad.resolve("CONVERGED"))
          .as("the flag inside the directory, byte for byte")
          .exists();
      try (var entries = Files.list(logs.logdir)) {
        assertThat(entries.toList()).as("no sibling named with U+FFFD").hasSize(2);
      }
      String experiment = bad.getFileName().toString();
      assertThat(logs.store().experiments().get(experiment).transitions()).isEqualTo(1);

      logs.restart();
      logs.poll();
      logs.poll();
      assertThat(log.at(Level.INFO, "goes back")).isEmpty();
      assertThat(log.at(Level.INFO, "again from its files' start")).isEmpty();
      assertThat(logs.store().experiments().get(experiment).transitions())
          .as("nothing decided again")
          .isEqualTo(1);
      logs.assertHealthyRunReadAndJudged();
    }
  }

  @Test
  void directorySymlinkLoopIsReportedOnceAndNotFollowed() throws Exception {
    try (WatchedLogdir logs = new WatchedLogdir(temp);
        CapturedLog log = new CapturedLog()) {
      logs.healthyFirstPart();
      badFile(logs, BadEventFiles.of(logs.start, 60).bytes);
      Path loop = Files.createSymbolicLink(logs.logdir.resolve("bad/loop"), Path.of(".."));

      logs.poll();
      logs.healthyRest();
      logs.poll();

      assertThat(log.at(Level.WARN))
          .as("said once, not on every poll")
          .containsExactly(
              "directory link " + loop + " leads back into its own parent; not followed");
      assertThat(logs.watcher().published())
          .extracting(v -> v.experiment())
          .containsExactly("bad", "healthy");
      assertThat(logs.steps("bad"))
          .as("read once, not once per way round the loop")
          .containsExactly(range(0, 60));
      logs.assertHealthyRunReadAndJudged();
    }
  }

  @Test
  void symlinkLeadingOutsideTheLogdirIsReadAndJudgedButGetsNoFlagOutside() throws Exception {
    try (WatchedLogdir logs = new WatchedLogdir(temp);
        CapturedLog log = new CapturedLog()) {
      Path outside = Files.createDirectories(temp.resolve("elsewhere/run"));
      BadEventFiles.create(outside, FILE, BadEventFiles.of(logs.start, 120).bytes);
      Path link = Files.createSymbolicLink(logs.logdir.resolve("linked"), outside);
      logs.healthyFirstPart();

      logs.poll();
      logs.healthyRest();
      logs.poll();

      assertThat(logs.steps("linked")).containsExactly(range(0, 120));
      assertThat(logs.status("linked")).isEqualTo("converged");
      assertThat(log.at(Level.WARN))
          .containsExactly(
              "linked: flag path "
                  + link.resolve("CONVERGED")
                  + " refused: "
                  + link
                  + " resolves to "
                  + outside.toRealPath()
                  + ", outside the base directory "
                  + logs.logdir.toRealPath()
                  + "; no flag written for this experiment");
      try (var files = Files.list(outside)) {
        assertThat(files)
            .as("nothing written outside the logdir")
            .containsExactly(outside.resolve(FILE));
      }
      logs.assertHealthyRunReadAndJudged();
    }
  }

  // ---- events ------------------------------------------------------------------------------

  @Test
  void nanWallTimeIsReportedOnceThePointsAreKeptAndStalledCountsFromTheirArrival()
      throws Exception {
    FakeClock clock = FakeClock.atNow();
    try (WatchedLogdir logs = new WatchedLogdir(temp, List.of(), clock);
        CapturedLog log = new CapturedLog()) {
      // A writer with a broken clock: every point's wall time is NaN.
      BadEventFiles bad =
          BadEventFiles.of(
              logs.start,
              w -> {
                for (int step = 0; step < 10; step++) {
                  w.simpleValue(TAG, step, Double.NaN, WatchedLogdir.value(step));
                }
              });
      logs.healthyFirstPart();
      Path file = badFile(logs, bad.bytes);

      logs.poll();
      logs.healthyRest();
      logs.poll();

      assertThat(log.at(Level.WARN))
          .containsExactly(
              file
                  + ": record at offset "
                  + bad.offsetOfStep(0)
                  + ": tag '"
                  + TAG
                  + "' step 0 has wall time NaN (said once per file); its points are kept, ordered by"
                  + " step");
      assertThat(logs.steps("bad")).containsExactly(range(0, 10));
      assertThat(logs.status("bad")).isEqualTo("training");

      // Two hours without a new point: stalled, although the writer never said when it wrote.
      clock.advanceMillis(Duration.ofHours(2).toMillis());
      logs.poll();

      assertThat(logs.status("bad")).isEqualTo("stalled");
      assertThat(logs.logdir.resolve("bad/STALLED")).exists();
      logs.assertHealthyRunReadAndJudged();
    }
  }

  @Test
  void stepsThatGoBackReplaceTheAbandonedAttemptAndAreLoggedWithTheKey() throws Exception {
    try (WatchedLogdir logs = new WatchedLogdir(temp);
        CapturedLog log = new CapturedLog()) {
      // A job restarted from its checkpoint at step 30 and wrote steps 30.. again, other values.
      BadEventFiles bad =
          BadEventFiles.of(
              logs.start,
              w -> {
                for (int step = 0; step < 60; step++) {
                  w.simpleValue(TAG, step, logs.start + step, WatchedLogdir.value(step));
                }
                for (int step = 30; step < 120; step++) {
                  w.simpleValue(
                      TAG, step, logs.start + 100 + step, WatchedLogdir.value(step) + 0.5f);
                }
              });
      logs.healthyFirstPart();
      badFile(logs, bad.bytes);

      logs.poll();
      logs.healthyRest();
      logs.poll();

      assertThat(log.at(Level.INFO, "goes back"))
          .containsExactly(
              logs.logdir
                  + ": run 'bad' tag '"
                  + TAG
                  + "' goes back from step 59 to step 30 (file "
                  + FILE
                  + "); its points from step 30 on are replaced, as after a restart from a"
                  + " checkpoint");
      assertThat(logs.steps("bad")).containsExactly(range(0, 120));
      double[] values = logs.values("bad");
      assertThat(values[29]).as("kept from the first attempt").isEqualTo(WatchedLogdir.value(29));
      assertThat(values[30]).as("from the second").isEqualTo(WatchedLogdir.value(30) + 0.5f);
      assertThat(logs.status("bad")).isEqualTo("converged");
      logs.assertHealthyRunReadAndJudged();
    }
  }

  // ---- receivers ---------------------------------------------------------------------------

  /** Fast retries, so that a test sees several attempts in well under a second. */
  private static final RetryPolicy FAST =
      new RetryPolicy(
          Duration.ofMillis(50),
          2.0,
          Duration.ofMillis(200),
          Integer.MAX_VALUE,
          Duration.ofHours(1));

  /** The daemon's loop and a delivery worker per sink over a watched logdir, until closed. */
  private static RunningDaemon running(WatchedLogdir logs, List<AlertSink> sinks) {
    List<DeliveryWorker> workers =
        sinks.stream()
            .map(s -> new DeliveryWorker(s, logs.store(), FAST, WatchedLogdir.SYSTEM))
            .toList();
    return RunningDaemon.start(List.of(logs.watcher()), workers);
  }

  private static WebhookSink webhook(String name, String url, Duration requestTimeout) {
    return new WebhookSink(
        SinkSettings.of(name, Secret.fromValue(url))
            .withTimeouts(Duration.ofSeconds(2), requestTimeout),
        null,
        WatchedLogdir.SYSTEM);
  }

  /** Outbox entries marked delivered (a receiver has an answer before its sender records it). */
  private static long delivered(WatchedLogdir logs) {
    try {
      return logs.store().outboxCounts().getOrDefault("delivered", 0L);
    } catch (dev.plateau.state.StateException e) {
      throw new AssertionError(e);
    }
  }

  /** Writes a run that converges at once: a verdict to deliver before the healthy run has one. */
  private static void earlyRun(WatchedLogdir logs) throws IOException {
    try (EventFileWriter w =
        EventFileWriter.create(logs.logdir.resolve("early"), logs.start, "early", 0)) {
      logs.points(w, 0, 120);
    }
  }

  @Test
  void unreachableWebhookIsRetriedWhileRunsAreJudgedAndOtherSinksServed() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort(); // closed again: nothing listens there
    }
    try (WebhookReceiver other = new WebhookReceiver();
        CapturedLog log = new CapturedLog()) {
      AlertSink dead =
          webhook("webhook-dead", "http://127.0.0.1:" + port + "/hook", Duration.ofSeconds(2));
      AlertSink live = webhook("webhook-live", other.url(), Duration.ofSeconds(2));
      try (WatchedLogdir logs = new WatchedLogdir(temp, List.of(dead, live))) {
        logs.healthyFirstPart();
        try (RunningDaemon running = running(logs, List.of(dead, live))) {
          earlyRun(logs);
          running.awaitUntil(
              "the dead receiver failed twice",
              () -> log.at(Level.WARN, "webhook-dead").size() >= 2);
          long rounds = running.rounds();
          logs.healthyRest();
          running.awaitUntil(
              "the healthy run's flag",
              () -> Files.exists(logs.logdir.resolve("healthy/CONVERGED")));
          running.awaitUntil(
              "both verdicts at the other receiver", () -> other.received().size() == 2);
          assertThat(running.rounds()).as("reading goes on").isGreaterThan(rounds);

          assertThat(log.at(Level.WARN, "webhook-dead").get(0))
              .matches(
                  "webhook-dead: msg_[0-9a-f]+ not delivered \\(webhook-dead \\(http://127\\.0\\.0\\.1\\):"
                      + " connection refused or unreachable\\); retrying in \\d+ ms");
          logs.assertHealthyRunReadAndJudged();

          // The receiver comes up: what waited is delivered, once each, with the same ids.
          try (WebhookReceiver back = new WebhookReceiver(port)) {
            running.awaitUntil(
                "both verdicts at the receiver that was down", () -> back.received().size() == 2);
            assertThat(back.received())
                .extracting(WebhookReceiver.Received::id)
                .containsExactlyInAnyOrderElementsOf(
                    other.received().stream().map(WebhookReceiver.Received::id).toList());
            running.awaitUntil("every delivery marked done", () -> delivered(logs) == 4);
          }
        }
        assertThat(logs.store().outboxCounts())
            .containsEntry("delivered", 4L)
            .doesNotContainKey("pending");
      }
    }
  }

  @Test
  void hangingWebhookTimesOutAndIsRetriedWhileRunsAreJudgedAndOtherSinksServed() throws Exception {
    try (HangingReceiver hanging = new HangingReceiver();
        WebhookReceiver other = new WebhookReceiver();
        CapturedLog log = new CapturedLog()) {
      AlertSink stuck = webhook("webhook-hangs", hanging.url(), Duration.ofMillis(300));
      AlertSink live = webhook("webhook-live", other.url(), Duration.ofSeconds(2));
      try (WatchedLogdir logs = new WatchedLogdir(temp, List.of(stuck, live))) {
        logs.healthyFirstPart();
        try (RunningDaemon running = running(logs, List.of(stuck, live))) {
          earlyRun(logs);
          running.awaitUntil(
              "two attempts timed out", () -> log.at(Level.WARN, "webhook-hangs").size() >= 2);
          long rounds = running.rounds();
          logs.healthyRest();
          running.awaitUntil(
              "the healthy run's flag",
              () -> Files.exists(logs.logdir.resolve("healthy/CONVERGED")));
          running.awaitUntil(
              "both verdicts at the other receiver", () -> other.received().size() == 2);
          assertThat(running.rounds()).as("reading goes on").isGreaterThan(rounds);

          assertThat(log.at(Level.WARN, "webhook-hangs").get(0))
              .matches(
                  "webhook-hangs: msg_[0-9a-f]+ not delivered \\(webhook-hangs \\(http://127\\.0\\.0\\.1\\):"
                      + " no (complete )?answer within 300 ms\\); retrying in \\d+ ms");
          assertThat(hanging.requests()).isGreaterThanOrEqualTo(2);
          logs.assertHealthyRunReadAndJudged();

          hanging.hang.set(false);
          running.awaitUntil(
              "both verdicts at the receiver that hung", () -> hanging.answered().size() == 2);
          assertThat(hanging.answered())
              .containsExactlyInAnyOrderElementsOf(
                  other.received().stream().map(WebhookReceiver.Received::id).toList());
          running.awaitUntil("every delivery marked done", () -> delivered(logs) == 4);
        }
        assertThat(logs.store().outboxCounts())
            .containsEntry("delivered", 4L)
            .doesNotContainKey("pending");
      }
    }
  }
}
