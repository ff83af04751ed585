package dev.plateau.tail;

import static dev.plateau.tail.EventFiles.append;
import static dev.plateau.tail.EventFiles.pointFrames;
import static dev.plateau.tail.EventFiles.valueOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.plateau.decode.DecodeLimits;
import dev.plateau.series.ScalarPoint;
import dev.plateau.write.EventFileWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogdirTailerTest {
  @TempDir Path logdir;

  private LogdirTailer tailer() {
    return new LogdirTailer(logdir, DecodeLimits.DEFAULTS);
  }

  private static List<Long> range(long from, long to) {
    return LongStream.range(from, to).boxed().toList();
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }

  @Test
  void aFilesCursorIsTheSameObjectUntilSomethingIsRead() throws IOException {
    try (EventFileWriter w = EventFileWriter.create(logdir.resolve("run"), 1.0, "t", 0)) {
      w.simpleValue("loss", 1, 1.0, 0.5f);
      w.flush();
      LogdirTailer tailer = tailer();
      tailer.poll(new RecordingListener());
      TailedFile file = tailer.files().iterator().next();
      FileCursor first = file.cursor();
      tailer.poll(new RecordingListener());
      assertThat(file.cursor()).isSameAs(first);

      w.simpleValue("loss", 2, 2.0, 0.4f);
      w.flush();
      tailer.poll(new RecordingListener());
      FileCursor second = file.cursor();
      assertThat(second).isNotSameAs(first);
      assertThat(second.offset()).isGreaterThan(first.offset());
    }
  }

  @Test
  void pollGrownReadsOnlyTheKnownFilesOfTheDirectoriesNamed() throws IOException {
    try (EventFileWriter a = EventFileWriter.create(logdir.resolve("a"), 1.0, "t", 0);
        EventFileWriter b = EventFileWriter.create(logdir.resolve("b"), 1.0, "t", 1)) {
      a.simpleValue("loss", 1, 1.0, 0.5f);
      b.simpleValue("loss", 1, 1.0, 0.5f);
      a.flush();
      b.flush();
      LogdirTailer tailer = tailer();
      assertThat(tailer.poll(new RecordingListener()).points()).isEqualTo(2);
      a.simpleValue("loss", 2, 2.0, 0.4f);
      b.simpleValue("loss", 2, 2.0, 0.4f);
      a.flush();
      b.flush();
      RecordingListener heard = new RecordingListener();
      PollStats grown =
          tailer.pollGrown(heard, Set.of(logdir.resolve("b").toAbsolutePath().normalize()));
      assertThat(grown.points()).isEqualTo(1);
      assertThat(grown.files()).as("files tracked").isEqualTo(2);
      assertThat(heard.points).extracting(ScalarPoint::run).containsExactly("b");
      assertThat(tailer.poll(new RecordingListener()).points())
          .as("a's point is read later")
          .isEqualTo(1);
    }
  }

  // ---------------------------------------------------------------- discovery

  @Test
  void runsAreDiscoveredRecursivelyWithNamesRelativeToTheLogdir() throws IOException {
    EventFiles.write(logdir, 100, 0, "root", 0, 2);
    EventFiles.write(logdir.resolve("a"), 100, 0, "ta", 0, 3);
    EventFiles.write(logdir.resolve("b/c/d"), 100, 0, "tb", 0, 4);
    Files.createDirectories(logdir.resolve("empty/deeper"));
    Files.writeString(logdir.resolve("empty/notes.txt"), "not an event file");
    Files.createDirectories(logdir.resolve("x.tfevents.dir")); // a directory, not a file

    RecordingListener l = new RecordingListener();
    PollStats stats = tailer().poll(l);

    assertThat(stats.runs()).isEqualTo(3);
    assertThat(stats.files()).isEqualTo(3);
    assertThat(stats.points()).isEqualTo(9);
    assertThat(stats.records()).isEqualTo(9 + 3); // plus one file_version per file
    assertThat(l.steps(".", "root")).containsExactly(0L, 1L);
    assertThat(l.steps("a", "ta")).containsExactly(0L, 1L, 2L);
    assertThat(l.steps("b/c/d", "tb")).containsExactly(0L, 1L, 2L, 3L);
    assertThat(l.points).extracting(ScalarPoint::run).containsOnly(".", "a", "b/c/d");
    assertThat(l.points)
        .extracting(ScalarPoint::file)
        .containsOnly(EventFiles.name(100, "host", 0));
    assertThat(l.problems).isEmpty();
  }

  @Test
  void pointsCarryStepWallTimeAndValueExactly() throws IOException {
    EventFiles.write(logdir.resolve("run"), 1_700_000_000.25, 3, "loss", 5, 8);
    RecordingListener l = new RecordingListener();
    tailer().poll(l);
    String file = EventFiles.name(1_700_000_000.25, "host", 3);
    assertThat(l.points)
        .containsExactly(
            new ScalarPoint("run", file, "loss", 5, 1_700_000_005.25, valueOf(5)),
            new ScalarPoint("run", file, "loss", 6, 1_700_000_006.25, valueOf(6)),
            new ScalarPoint("run", file, "loss", 7, 1_700_000_007.25, valueOf(7)));
  }

  @Test
  void singleEventFileGivenAsTheLogdirIsRunDot() throws IOException {
    Path file = EventFiles.write(logdir.resolve("r"), 100, 0, "t", 0, 3);
    RecordingListener l = new RecordingListener();
    PollStats stats = new LogdirTailer(file, DecodeLimits.DEFAULTS).poll(l);
    assertThat(stats.runs()).isEqualTo(1);
    assertThat(l.steps(".", "t")).containsExactly(0L, 1L, 2L);
  }

  @Test
  void missingLogdirIsAnIOException() {
    LogdirTailer tailer = new LogdirTailer(logdir.resolve("nope"), DecodeLimits.DEFAULTS);
    assertThatThrownBy(() -> tailer.poll(new RecordingListener()))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void filesOfARunAreReadInNameOrder() throws IOException {
    Path run = logdir.resolve("run");
    EventFiles.write(run, 300, 0, "t", 20, 22);
    EventFiles.write(run, 100, 0, "t", 0, 2);
    EventFiles.write(run, 200, 0, "t", 10, 12);
    RecordingListener l = new RecordingListener();
    tailer().poll(l);
    assertThat(l.steps("run", "t")).containsExactly(0L, 1L, 10L, 11L, 20L, 21L);
  }

  @Test
  void newFilesAndNewRunsAppearingBetweenPollsArePickedUp() throws IOException {
    LogdirTailer tailer = tailer();
    RecordingListener l = new RecordingListener();
    PollStats empty = tailer.poll(l);
    assertThat(empty.runs()).isZero();
    assertThat(l.events).isEmpty();

    EventFiles.write(logdir.resolve("a"), 100, 0, "t", 0, 3);
    tailer.poll(l);
    assertThat(l.steps("a", "t")).containsExactly(0L, 1L, 2L);

    EventFiles.write(logdir.resolve("a"), 200, 0, "t", 3, 5); // a second file in the same run
    EventFiles.write(logdir.resolve("b/nested"), 100, 0, "u", 0, 2); // a new run
    l.clear();
    PollStats stats = tailer.poll(l);
    assertThat(l.steps("a", "t")).containsExactly(3L, 4L);
    assertThat(l.steps("b/nested", "u")).containsExactly(0L, 1L);
    assertThat(stats.runs()).isEqualTo(2);
    assertThat(stats.files()).isEqualTo(3);
    assertThat(tailer.totals().points()).isEqualTo(7);
    assertThat(tailer.totals().runs()).isEqualTo(2);
  }

  // ---------------------------------------------------------------- reading once

  @Test
  void nothingIsReadTwiceAcrossPolls() throws IOException {
    Path dir = logdir.resolve("run");
    LogdirTailer tailer = tailer();
    RecordingListener l = new RecordingListener();
    try (EventFileWriter w = EventFileWriter.create(dir, 100, "host", 0)) {
      long step = 0;
      for (int round = 0; round < 20; round++) {
        for (int i = 0; i < round % 4; i++, step++) {
          w.simpleValue("t", step, 100 + step, valueOf(step));
        }
        w.flush();
        PollStats stats = tailer.poll(l);
        assertThat(stats.points()).isEqualTo(round % 4);
        assertThat(l.steps("run", "t")).containsExactlyElementsOf(range(0, step));
      }
    }
    PollStats last = tailer.poll(l);
    assertThat(last.records()).isZero();
    assertThat(last.bytes()).isZero();
    assertThat(tailer.totals().bytes())
        .isEqualTo(Files.size(dir.resolve(EventFiles.name(100, "host", 0))));
    assertThat(l.problems).isEmpty();
    assertThat(l.resets).isEmpty();
  }

  @Test
  void pollingAnUnchangedLogdirReportsNothing() throws IOException {
    EventFiles.write(logdir.resolve("a"), 100, 0, "t", 0, 3);
    LogdirTailer tailer = tailer();
    tailer.poll(new RecordingListener());
    for (int i = 0; i < 3; i++) {
      RecordingListener l = new RecordingListener();
      PollStats stats = tailer.poll(l);
      assertThat(l.events).isEmpty();
      assertThat(stats.records()).isZero();
      assertThat(stats.files()).isEqualTo(1);
    }
  }

  @Test
  void incompleteRecordIsReportedOnceAndItsPointArrivesWhenComplete() throws IOException {
    Path file = EventFiles.write(logdir.resolve("run"), 100, 0, "t", 0, 2);
    long complete = Files.size(file);
    byte[] next = pointFrames("t", 2, 3);
    LogdirTailer tailer = tailer();
    RecordingListener l = new RecordingListener();
    tailer.poll(l);

    append(file, java.util.Arrays.copyOf(next, 5));
    tailer.poll(l);
    append(file, java.util.Arrays.copyOfRange(next, 5, 20));
    tailer.poll(l);
    assertThat(l.tails)
        .containsExactly(
            new RecordingListener.Tail("run", file.getFileName().toString(), complete, 5));
    assertThat(l.steps("run", "t")).containsExactly(0L, 1L);

    append(file, java.util.Arrays.copyOfRange(next, 20, next.length));
    tailer.poll(l);
    assertThat(l.steps("run", "t")).containsExactly(0L, 1L, 2L);
    assertThat(l.problems).isEmpty();
  }

  @Test
  void sessionStartIsReportedWithItsRunAndFile() throws IOException {
    Path dir = logdir.resolve("job");
    try (EventFileWriter w = EventFileWriter.create(dir, 100, "host", 0)) {
      w.simpleValue("t", 10, 1, 1f);
      w.sessionStart(5, 2);
      w.simpleValue("t", 5, 3, 2f);
    }
    RecordingListener l = new RecordingListener();
    tailer().poll(l);
    String name = EventFiles.name(100, "host", 0);
    assertThat(l.events)
        .containsExactly(
            new ScalarPoint("job", name, "t", 10, 1, 1),
            new RecordingListener.Start("job", name, 5),
            new ScalarPoint("job", name, "t", 5, 3, 2));
  }

  // ---------------------------------------------------------------- files that change under us

  @Test
  void fileThatShrinksIsReadAgainFromTheStartWithFileReset() throws IOException {
    Path file = EventFiles.write(logdir.resolve("run"), 100, 0, "t", 0, 10);
    LogdirTailer tailer = tailer();
    RecordingListener l = new RecordingListener();
    tailer.poll(l);
    assertThat(l.steps("run", "t")).containsExactlyElementsOf(range(0, 10));

    // Rewritten in place (same inode) with a shorter content.
    Files.write(file, EventFiles.points(500, "t", 0, 3), StandardOpenOption.TRUNCATE_EXISTING);
    l.clear();
    tailer.poll(l);
    assertThat(l.resets).hasSize(1);
    assertThat(l.resets.get(0).run()).isEqualTo("run");
    assertThat(l.resets.get(0).file()).isEqualTo(file.getFileName().toString());
    assertThat(l.resets.get(0).reason()).contains("shrank");
    assertThat(l.steps("run", "t")).containsExactly(0L, 1L, 2L);
    // The reset comes before the points read again.
    assertThat(l.events.get(0)).isInstanceOf(RecordingListener.Reset.class);
  }

  @Test
  void fileTruncatedToNothingAndWrittenAgainIsReadFromTheStart() throws IOException {
    Path file = EventFiles.write(logdir.resolve("run"), 100, 0, "t", 0, 5);
    LogdirTailer tailer = tailer();
    RecordingListener l = new RecordingListener();
    tailer.poll(l);
    Files.write(file, new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
    l.clear();
    tailer.poll(l);
    assertThat(l.resets).hasSize(1);
    assertThat(l.points).isEmpty();

    append(file, EventFiles.points(600, "t", 0, 2));
    l.clear();
    tailer.poll(l);
    assertThat(l.resets).isEmpty();
    assertThat(l.steps("run", "t")).containsExactly(0L, 1L);
  }

  @Test
  void fileReplacedUnderTheSameNameIsReadAgainWithTheReason() throws IOException {
    Path file = EventFiles.write(logdir.resolve("run"), 100, 0, "t", 0, 5);
    LogdirTailer tailer = tailer();
    RecordingListener l = new RecordingListener();
    tailer.poll(l);

    // A longer file, written elsewhere and moved over atomically.
    Path temp = logdir.resolve("run/replacement.partial");
    Files.write(temp, EventFiles.points(700, "t", 100, 110));
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    l.clear();
    tailer.poll(l);
    assertThat(l.resets)
        .singleElement()
        .satisfies(r -> assertThat(r.reason()).contains("replaced"));
    assertThat(l.steps("run", "t")).containsExactlyElementsOf(range(100, 110));

    l.clear();
    tailer.poll(l);
    assertThat(l.events).isEmpty();
  }

  @Test
  void fileRewrittenInPlaceToALargerSizeIsDetectedByItsFirstRecord() throws IOException {
    Path file = EventFiles.write(logdir.resolve("run"), 100, 0, "t", 0, 3);
    LogdirTailer tailer = tailer();
    RecordingListener l = new RecordingListener();
    tailer.poll(l);
    // Same inode, larger than the stored offset, but a different first record (wall time).
    Files.write(file, EventFiles.points(999, "t", 50, 60), StandardOpenOption.TRUNCATE_EXISTING);
    l.clear();
    tailer.poll(l);
    assertThat(l.resets)
        .singleElement()
        .satisfies(r -> assertThat(r.reason()).contains("first record"));
    assertThat(l.steps("run", "t")).containsExactlyElementsOf(range(50, 60));
  }

  @Test
  void unreadableFileIsReportedOnceAndOtherRunsKeepBeingRead() throws IOException {
    Path bad = EventFiles.write(logdir.resolve("bad"), 100, 0, "t", 0, 3);
    Path good = EventFiles.write(logdir.resolve("good"), 100, 0, "t", 0, 3);
    Files.setPosixFilePermissions(bad, Set.of());
    try {
      Assumptions.assumeFalse(
          Files.isReadable(bad), "running as root: permissions do not deny reads here");
      LogdirTailer tailer = tailer();
      RecordingListener l = new RecordingListener();
      tailer.poll(l);
      assertThat(l.problems(TailProblem.Kind.UNREADABLE))
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.file()).isEqualTo(bad);
                assertThat(p.message()).contains("permission denied");
              });
      assertThat(l.steps("good", "t")).containsExactly(0L, 1L, 2L);

      append(good, pointFrames("t", 3, 4));
      l.clear();
      tailer.poll(l);
      assertThat(l.problems).isEmpty(); // reported once, not on every poll
      assertThat(l.steps("good", "t")).containsExactly(3L);

      Files.setPosixFilePermissions(bad, PosixFilePermissions.fromString("rw-r--r--"));
      l.clear();
      tailer.poll(l);
      assertThat(l.steps("bad", "t")).containsExactly(0L, 1L, 2L);
    } finally {
      Files.setPosixFilePermissions(bad, PosixFilePermissions.fromString("rw-r--r--"));
    }
  }

  @Test
  void unlistableDirectoryIsAScanProblemAndOtherRunsKeepBeingRead() throws IOException {
    EventFiles.write(logdir.resolve("locked/run"), 100, 0, "t", 0, 3);
    EventFiles.write(logdir.resolve("open"), 100, 0, "t", 0, 3);
    Path locked = logdir.resolve("locked");
    Files.setPosixFilePermissions(locked, Set.of());
    try {
      Assumptions.assumeFalse(
          Files.isReadable(locked), "running as root: permissions do not deny reads here");
      LogdirTailer tailer = tailer();
      RecordingListener l = new RecordingListener();
      tailer.poll(l);
      tailer.poll(l);
      assertThat(l.problems(TailProblem.Kind.SCAN))
          .singleElement()
          .satisfies(p -> assertThat(p.message()).contains("permission denied"));
      assertThat(l.steps("open", "t")).containsExactly(0L, 1L, 2L);
    } finally {
      Files.setPosixFilePermissions(
          locked,
          Set.of(
              PosixFilePermission.OWNER_READ,
              PosixFilePermission.OWNER_WRITE,
              PosixFilePermission.OWNER_EXECUTE));
    }
  }

  @Test
  void deletedRunDirectoryIsForgottenWithoutError() throws IOException {
    EventFiles.write(logdir.resolve("keep"), 100, 0, "t", 0, 2);
    EventFiles.write(logdir.resolve("gone/deep"), 100, 0, "t", 0, 2);
    LogdirTailer tailer = tailer();
    RecordingListener l = new RecordingListener();
    assertThat(tailer.poll(l).runs()).isEqualTo(2);

    deleteTree(logdir.resolve("gone"));
    l.clear();
    PollStats stats = tailer.poll(l);
    assertThat(l.events).isEmpty();
    assertThat(stats.runs()).isEqualTo(1);
    assertThat(stats.files()).isEqualTo(1);
    assertThat(tailer.files()).extracting(TailedFile::run).containsExactly("keep");
    assertThat(tailer.totals().runs()).isEqualTo(1);

    // A run of the same name appearing again later is read from its start.
    EventFiles.write(logdir.resolve("gone/deep"), 100, 0, "t", 7, 9);
    l.clear();
    tailer.poll(l);
    assertThat(l.steps("gone/deep", "t")).containsExactly(7L, 8L);
    assertThat(l.resets).isEmpty();
  }

  @Test
  void aRunDirectoryMovedAwayAndBackResumesWhereItStoodWithoutReadingAgain(@TempDir Path aside)
      throws IOException {
    EventFiles.write(logdir.resolve("keep"), 100, 0, "t", 0, 2);
    Path run = logdir.resolve("moved");
    Path file = EventFiles.write(run, 100, 0, "t", 0, 5);
    LogdirTailer tailer = tailer();
    RecordingListener l = new RecordingListener();
    tailer.poll(l);
    assertThat(l.steps("moved", "t")).containsExactly(0L, 1L, 2L, 3L, 4L);

    Path away = aside.resolve("moved");
    Files.move(run, away);
    l.clear();
    tailer.poll(l);
    assertThat(tailer.files()).extracting(TailedFile::run).containsExactly("keep");
    Files.move(away, run); // back, the same file (same inode, size, time and first record)
    l.clear();
    tailer.poll(l);
    assertThat(l.events).as("nothing read again").isEmpty();
    append(file, pointFrames("t", 5, 7));
    tailer.poll(l);
    assertThat(l.steps("moved", "t")).as("only what was written since").containsExactly(5L, 6L);
    assertThat(l.resets).isEmpty();
  }

  @Test
  void directorySymlinkLoopDoesNotHangAndIsReportedOnce() throws IOException {
    EventFiles.write(logdir.resolve("a"), 100, 0, "t", 0, 2);
    try {
      Files.createSymbolicLink(logdir.resolve("a/loop"), logdir);
    } catch (UnsupportedOperationException | IOException e) {
      Assumptions.abort("symbolic links not supported: " + e);
    }
    LogdirTailer tailer = tailer();
    RecordingListener l = new RecordingListener();
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> {
          for (int i = 0; i < 3; i++) {
            tailer.poll(l);
          }
        });
    assertThat(l.problems(TailProblem.Kind.SCAN))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("loop").contains("not followed"));
    assertThat(l.steps("a", "t")).containsExactly(0L, 1L);
    assertThat(l.points).hasSize(2);
  }

  @Test
  void symlinkedRunDirectoryIsFollowedAndNamedByTheLink(@TempDir Path elsewhere)
      throws IOException {
    EventFiles.write(elsewhere.resolve("real"), 100, 0, "t", 0, 2);
    try {
      Files.createSymbolicLink(logdir.resolve("linked"), elsewhere.resolve("real"));
    } catch (UnsupportedOperationException | IOException e) {
      Assumptions.abort("symbolic links not supported: " + e);
    }
    RecordingListener l = new RecordingListener();
    tailer().poll(l);
    assertThat(l.steps("linked", "t")).containsExactly(0L, 1L);
    assertThat(l.problems).isEmpty();
  }

  // ---------------------------------------------------------------- zero-filled blocks

  /** A file whose last record is, for now, a block of zeros of its exact size. */
  private static byte[] zeroFilledTail(Path file) throws IOException {
    byte[] last = pointFrames("t", 3, 4);
    append(file, new byte[last.length]);
    return last;
  }

  private static void overwriteInPlace(Path file, long at, byte[] bytes) throws IOException {
    try (java.nio.channels.FileChannel channel =
        java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.write(java.nio.ByteBuffer.wrap(bytes), at);
    }
  }

  @Test
  void zeroFilledBlockIsWaitedForAndReadOnceWritten() throws IOException {
    Path file = EventFiles.write(logdir.resolve("run"), 100, 0, "t", 0, 3);
    long at = Files.size(file);
    byte[] last = zeroFilledTail(file);
    LogdirTailer tailer = tailer();
    RecordingListener l = new RecordingListener();
    tailer.poll(l);
    tailer.poll(l);
    assertThat(l.problems).isEmpty();
    assertThat(l.tails)
        .containsExactly(
            new RecordingListener.Tail("run", file.getFileName().toString(), at, last.length));

    java.nio.file.attribute.FileTime before = Files.getLastModifiedTime(file);
    overwriteInPlace(file, at, last);
    // Make sure the in-place write shows in the modification time even on a coarse clock.
    Files.setLastModifiedTime(
        file, java.nio.file.attribute.FileTime.fromMillis(before.toMillis() + 2000));
    tailer.poll(l);
    assertThat(l.steps("run", "t")).containsExactly(0L, 1L, 2L, 3L);
    assertThat(l.problems).isEmpty();
  }

  @Test
  void zeroFilledBlockWrittenWithinTheSameModificationTimeTickIsRead() throws IOException {
    Path file = EventFiles.write(logdir.resolve("run"), 100, 0, "t", 0, 3);
    long at = Files.size(file);
    byte[] last = zeroFilledTail(file);
    LogdirTailer tailer = tailer();
    RecordingListener l = new RecordingListener();
    tailer.poll(l);

    java.nio.file.attribute.FileTime before = Files.getLastModifiedTime(file);
    overwriteInPlace(file, at, last);
    Files.setLastModifiedTime(file, before); // the write fell within the same clock tick
    tailer.poll(l);
    assertThat(l.steps("run", "t")).containsExactly(0L, 1L, 2L, 3L);
  }

  // ---------------------------------------------------------------- corruption

  @Test
  void corruptRecordInOneRunDoesNotAffectAnotherRun() throws IOException {
    Path bad = EventFiles.write(logdir.resolve("bad"), 100, 0, "t", 0, 10);
    EventFiles.write(logdir.resolve("good"), 100, 0, "t", 0, 10);
    byte[] bytes = Files.readAllBytes(bad);
    int middle = bytes.length / 2;
    bytes[middle] ^= 0x5a;
    bytes[middle + 1] ^= 0x5a;
    Files.write(bad, bytes);

    RecordingListener l = new RecordingListener();
    PollStats stats = tailer().poll(l);
    assertThat(l.steps("good", "t")).containsExactlyElementsOf(range(0, 10));
    assertThat(l.problems(TailProblem.Kind.CORRUPT_RECORD))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.file()).isEqualTo(bad);
              assertThat(p.offset()).isPositive();
              assertThat(p.message()).contains(bad.toString()).contains("offset " + p.offset());
            });
    assertThat(stats.corruptRecords()).isEqualTo(1);
    // Exactly one record of the bad run is lost; the ones after it are read.
    List<Long> badSteps = l.steps("bad", "t");
    assertThat(badSteps).hasSize(9).isSorted().contains(9L);
  }

  @Test
  void recordThatChecksButIsNotAnEventIsReportedAndReadingGoesOn() throws IOException {
    Path file = EventFiles.write(logdir.resolve("run"), 100, 0, "t", 0, 2);
    append(file, EventFiles.frame(new byte[] {0, 0, 0}));
    append(file, pointFrames("t", 2, 4));
    RecordingListener l = new RecordingListener();
    tailer().poll(l);
    assertThat(l.problems(TailProblem.Kind.UNDECODABLE_EVENT)).hasSize(1);
    assertThat(l.steps("run", "t")).containsExactly(0L, 1L, 2L, 3L);
  }

  @Test
  void corruptionFollowedByGarbageIsReportedOnceWhileTheFileDoesNotGrow() throws IOException {
    Path file = EventFiles.write(logdir.resolve("run"), 100, 0, "t", 0, 3);
    append(file, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19});
    LogdirTailer tailer = tailer();
    RecordingListener l = new RecordingListener();
    tailer.poll(l);
    tailer.poll(l);
    tailer.poll(l);
    assertThat(l.problems(TailProblem.Kind.CORRUPT_RECORD)).hasSize(1);
    assertThat(l.steps("run", "t")).containsExactly(0L, 1L, 2L);
  }

  @Test
  void validRecordAppendedAfterGarbageIsFound() throws IOException {
    Path file = EventFiles.write(logdir.resolve("run"), 100, 0, "t", 0, 3);
    append(file, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19});
    LogdirTailer tailer = tailer();
    RecordingListener l = new RecordingListener();
    tailer.poll(l);
    append(file, pointFrames("t", 3, 5));
    tailer.poll(l);
    assertThat(l.steps("run", "t")).containsExactly(0L, 1L, 2L, 3L, 4L);
  }

  @Test
  void corruptStretchIsReportedOnceEvenWhenTheFileGrowsBeforeAValidRecord() throws IOException {
    Path file = EventFiles.write(logdir.resolve("run"), 100, 0, "t", 0, 3);
    append(file, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19});
    LogdirTailer tailer = tailer();
    RecordingListener l = new RecordingListener();
    tailer.poll(l);
    append(file, new byte[] {21, 22, 23, 24, 25, 26, 27, 28, 29, 30});
    tailer.poll(l);
    append(file, pointFrames("t", 3, 5));
    tailer.poll(l);
    assertThat(l.steps("run", "t")).containsExactly(0L, 1L, 2L, 3L, 4L);
    assertThat(l.problems(TailProblem.Kind.CORRUPT_RECORD)).hasSize(1);
    assertThat(tailer.totals().corruptRecords()).isEqualTo(1);
  }
}
