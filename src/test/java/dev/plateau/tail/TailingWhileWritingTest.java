package dev.plateau.tail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.decode.DecodeLimits;
import dev.plateau.proto.DataType;
import dev.plateau.series.ScalarPoint;
import dev.plateau.write.EventFileWriter;
import dev.plateau.write.TensorStorage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer appends to event files while the tailer polls them: every point must arrive exactly once
 * and in order, whatever byte boundaries the polls fall on.
 */
class TailingWhileWritingTest {
  @TempDir Path logdir;

  /** One frame per record of an event file, as bytes, from the project's writer. */
  private static List<byte[]> framesOf(byte[] file) {
    List<byte[]> frames = new ArrayList<>();
    int at = 0;
    while (at < file.length) {
      long length =
          java.nio.ByteBuffer.wrap(file, at, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
      int frameLength = (int) length + 16;
      frames.add(java.util.Arrays.copyOfRange(file, at, at + frameLength));
      at += frameLength;
    }
    return frames;
  }

  /**
   * An event file whose points cover the kinds of state the decoder keeps across polls: tensor
   * scalars whose metadata is only on the first value of each tag, simple values, a restart.
   */
  private static byte[] mixedFile(int points) throws IOException {
    return EventFiles.bytes(
        1000,
        w -> {
          for (int step = 0; step < points; step++) {
            w.tensorScalar(
                "tensor",
                step,
                1000 + step,
                DataType.DT_FLOAT,
                step % 2 == 0 ? TensorStorage.TENSOR_CONTENT : TensorStorage.TYPED_FIELD,
                step * 0.5);
            w.simpleValue("simple", step, 1000 + step, EventFiles.valueOf(step));
            if (step == points / 2) {
              w.sessionStart(step, 1000 + step);
            }
          }
        });
  }

  private static void assertMixedPoints(RecordingListener l, String run, int points) {
    List<Long> all = new ArrayList<>();
    for (long step = 0; step < points; step++) {
      all.add(step);
    }
    assertThat(l.steps(run, "tensor")).containsExactlyElementsOf(all);
    assertThat(l.steps(run, "simple")).containsExactlyElementsOf(all);
    for (ScalarPoint p : l.points) {
      double expected = p.tag().equals("tensor") ? p.step() * 0.5 : EventFiles.valueOf(p.step());
      assertThat(p.value()).isEqualTo(expected);
      assertThat(p.wallTime()).isEqualTo(1000.0 + p.step());
    }
    assertThat(l.starts).hasSize(1);
    assertThat(l.problems).isEmpty();
    assertThat(l.resets).isEmpty();
  }

  // ---------------------------------------------------------------- deterministic

  @Test
  void fileWrittenByteByBytePolledAfterEveryByteYieldsEveryPointOnce() throws IOException {
    byte[] file = mixedFile(12);
    Path dir = Files.createDirectories(logdir.resolve("run"));
    Path path = dir.resolve("events.out.tfevents.1.bytes");
    LogdirTailer tailer = new LogdirTailer(logdir, DecodeLimits.DEFAULTS);
    RecordingListener l = new RecordingListener();
    try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW)) {
      for (byte b : file) {
        out.write(b);
        out.flush();
        tailer.poll(l);
      }
    }
    tailer.poll(l);
    assertMixedPoints(l, "run", 12);
    assertThat(tailer.totals().bytes()).isEqualTo(file.length);
  }

  @Test
  void fileWrittenInPiecesOfEverySizePolledAfterEveryPieceYieldsEveryPointOnce()
      throws IOException {
    int points = 8;
    byte[] file = mixedFile(points);
    int longestFrame = framesOf(file).stream().mapToInt(f -> f.length).max().orElseThrow();
    for (int piece = 1; piece <= longestFrame + 1; piece++) {
      String run = "piece-" + piece;
      Path path = Files.createDirectories(logdir.resolve(run)).resolve("events.out.tfevents.1.x");
      LogdirTailer tailer = new LogdirTailer(logdir.resolve(run), DecodeLimits.DEFAULTS);
      RecordingListener l = new RecordingListener();
      try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW)) {
        for (int at = 0; at < file.length; at += piece) {
          out.write(file, at, Math.min(piece, file.length - at));
          out.flush();
          tailer.poll(l);
        }
      }
      assertMixedPoints(l, ".", points);
      assertThat(tailer.totals().records()).as("piece %d", piece).isEqualTo(framesOf(file).size());
    }
  }

  @Test
  void pollerResumedOnAFreshTailerFromNothingStillReadsEverythingOnce() throws IOException {
    // The same file polled by two tailers at different moments: each sees all points once.
    byte[] file = mixedFile(6);
    Path path = Files.createDirectories(logdir.resolve("r")).resolve("events.out.tfevents.1.y");
    LogdirTailer early = new LogdirTailer(logdir, DecodeLimits.DEFAULTS);
    RecordingListener l = new RecordingListener();
    try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW)) {
      out.write(file, 0, file.length / 3);
      out.flush();
      early.poll(l);
      out.write(file, file.length / 3, file.length - file.length / 3);
    }
    early.poll(l);
    assertMixedPoints(l, "r", 6);
    RecordingListener late = new RecordingListener();
    new LogdirTailer(logdir, DecodeLimits.DEFAULTS).poll(late);
    assertMixedPoints(late, "r", 6);
  }

  // ---------------------------------------------------------------- concurrent

  /** Writes a file frame by frame, each frame in random-sized pieces, each piece one write(). */
  private static void writeInRandomPieces(Path path, byte[] file, long seed) throws IOException {
    Random random = new Random(seed);
    try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW)) {
      int at = 0;
      while (at < file.length) {
        int n = Math.min(file.length - at, 1 + random.nextInt(random.nextBoolean() ? 8 : 80));
        out.write(file, at, n); // unbuffered: one write(2) per piece
        at += n;
        if (random.nextInt(16) == 0) {
          Thread.yield();
        }
      }
    }
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void concurrentWritersAndAPollerAgreeOnEveryPointExactlyOnceInOrder() throws Exception {
    int points = 1500;
    byte[] fileA = mixedFile(points);
    byte[] fileB = EventFiles.points(2000, "only", 0, points);
    Path dirA = Files.createDirectories(logdir.resolve("a"));
    Path dirB = Files.createDirectories(logdir.resolve("b/nested"));
    LogdirTailer tailer = new LogdirTailer(logdir, DecodeLimits.DEFAULTS);
    RecordingListener l = new RecordingListener();

    ExecutorService writers = Executors.newFixedThreadPool(2);
    try {
      Future<?> a =
          writers.submit(
              () -> {
                writeInRandomPieces(dirA.resolve("events.out.tfevents.1.a"), fileA, 1);
                return null;
              });
      Future<?> b =
          writers.submit(
              () -> {
                writeInRandomPieces(dirB.resolve("events.out.tfevents.1.b"), fileB, 2);
                return null;
              });
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      int polls = 0;
      while (!(a.isDone() && b.isDone()) && System.nanoTime() < deadline) {
        tailer.poll(l);
        polls++;
      }
      a.get(1, TimeUnit.SECONDS); // rethrows a writer's failure
      b.get(1, TimeUnit.SECONDS);
      tailer.poll(l); // what was written after the last poll in the loop
      assertThat(polls).isPositive();
    } finally {
      writers.shutdownNow();
    }

    // Every point once, in order, per run.
    List<ScalarPoint> ofA = l.points.stream().filter(p -> p.run().equals("a")).toList();
    RecordingListener onlyA = new RecordingListener();
    ofA.forEach(onlyA::scalar);
    l.starts.forEach(s -> onlyA.sessionStart(s.run(), s.file(), s.step()));
    assertMixedPoints(onlyA, "a", points);
    List<Long> expected = new ArrayList<>();
    for (long step = 0; step < points; step++) {
      expected.add(step);
    }
    assertThat(l.steps("b/nested", "only")).containsExactlyElementsOf(expected);
    assertThat(l.problems).isEmpty();
    assertThat(l.resets).isEmpty();
    assertThat(tailer.totals().bytes()).isEqualTo(fileA.length + fileB.length);
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void writerFlushingEveryEventWhilePollingLosesAndDoublesNothing() throws Exception {
    int points = 2000;
    Path dir = logdir.resolve("run");
    LogdirTailer tailer = new LogdirTailer(logdir, DecodeLimits.DEFAULTS);
    RecordingListener l = new RecordingListener();
    ExecutorService writer = Executors.newSingleThreadExecutor();
    try {
      Future<?> done =
          writer.submit(
              () -> {
                try (EventFileWriter w = EventFileWriter.create(dir, 100, "host", 0)) {
                  for (int step = 0; step < points; step++) {
                    w.tensorScalar(
                        "t",
                        step,
                        100 + step,
                        DataType.DT_DOUBLE,
                        TensorStorage.TENSOR_CONTENT,
                        step / 3.0);
                    w.flush();
                  }
                }
                return null;
              });
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!done.isDone() && System.nanoTime() < deadline) {
        if (Files.isDirectory(dir)) {
          tailer.poll(l);
        } else {
          Thread.onSpinWait();
        }
      }
      done.get(1, TimeUnit.SECONDS);
      tailer.poll(l);
    } finally {
      writer.shutdownNow();
    }
    assertThat(l.points).hasSize(points);
    for (int i = 0; i < points; i++) {
      ScalarPoint p = l.points.get(i);
      assertThat(p.step()).isEqualTo(i);
      assertThat(p.value()).isEqualTo(i / 3.0);
    }
    assertThat(l.problems).isEmpty();
  }
}
