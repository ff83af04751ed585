package dev.plateau.bench;

import dev.plateau.decode.ChecksumReader;
import dev.plateau.decode.DecodeException;
import dev.plateau.decode.DecodeLimits;
import dev.plateau.decode.EventDecoder;
import dev.plateau.decode.EventVisitor;
import dev.plateau.decode.ReadResult;
import dev.plateau.decode.RecordReader;
import dev.plateau.decode.ValueType;
import dev.plateau.series.ScalarPoint;
import dev.plateau.tail.LogdirTailer;
import dev.plateau.tail.PollStats;
import dev.plateau.tail.TailListener;
import dev.plateau.tail.TailProblem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The decode hot paths, one thread, over a scalar-only event file that the project's writer writes
 * at set-up (so it is in page cache): the limit (reading and CRC32C of every byte), the framing
 * alone, the wire-format fast path, the generated protobuf classes, and the whole tailer as {@code
 * plateau bench decode} runs it. One operation is one pass over the file; the {@code points} and
 * {@code bytes} counters give points and bytes per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class DecodeBenchmark {

  /** How the file stores its values. */
  @Param({"SIMPLE_VALUE", "TENSOR"})
  public ScalarEventFiles.Kind kind;

  /** The file's size in megabytes (10^6 bytes). */
  @Param("64")
  public int megabytes;

  private Path dir;
  private Path file;

  /** Points and bytes of the passes measured, reported by JMH as rates. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Counts {
    public long points;
    public long bytes;
  }

  @Setup(Level.Trial)
  public void writeFile() throws IOException {
    dir = Files.createTempDirectory("plateau-decode-bench");
    file = ScalarEventFiles.write(dir.resolve("run"), megabytes * 1_000_000L, kind).file();
  }

  @TearDown(Level.Trial)
  public void deleteFile() throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }

  /** The limit: the file read in the decoder's windows, CRC32C over every byte, nothing else. */
  @Benchmark
  public int limit(Counts counts) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ChecksumReader.Checksum checksum = ChecksumReader.read(channel, DecodeLimits.DEFAULTS);
      counts.bytes += checksum.bytes();
      return checksum.crc32c();
    }
  }

  /** Framing only: every record's length and data checksums, the data left unread. */
  @Benchmark
  public long framing(Counts counts) throws IOException {
    long[] sum = new long[1];
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      RecordReader reader = new RecordReader(channel, 0, DecodeLimits.DEFAULTS);
      ReadResult.Stop stop;
      do {
        stop = reader.readAll((offset, array, start, length) -> sum[0] += array[start] + length);
      } while (stop instanceof ReadResult.Corrupt);
      counts.bytes += reader.position();
    }
    return sum[0];
  }

  /** Framing and the wire-format fast path (with the generated classes for what it leaves). */
  @Benchmark
  public double fastPath(Counts counts) throws IOException {
    return decode(new EventDecoder(DecodeLimits.DEFAULTS), counts);
  }

  /** Framing and the generated protobuf classes for every event: the reference. */
  @Benchmark
  public double generatedPath(Counts counts) throws IOException {
    return decode(EventDecoder.referenceOnly(DecodeLimits.DEFAULTS), counts);
  }

  /** What {@code plateau bench decode} measures: the tailer, points as ScalarPoint objects. */
  @Benchmark
  public long tailer(Counts counts) throws IOException {
    PointCounter counter = new PointCounter();
    PollStats stats = new LogdirTailer(dir, DecodeLimits.DEFAULTS).poll(counter);
    counts.points += counter.points;
    counts.bytes += stats.bytes();
    return counter.steps;
  }

  private double decode(EventDecoder decoder, Counts counts) throws IOException {
    SumVisitor visitor = new SumVisitor();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      RecordReader reader = new RecordReader(channel, 0, DecodeLimits.DEFAULTS);
      ReadResult.Stop stop;
      do {
        stop =
            reader.readAll(
                (offset, array, start, length) -> {
                  try {
                    decoder.decode(array, start, length, visitor);
                  } catch (DecodeException e) {
                    throw new UncheckedIOException(new IOException(e));
                  }
                });
      } while (stop instanceof ReadResult.Corrupt);
      counts.bytes += reader.position();
    }
    counts.points += visitor.points;
    return visitor.sum;
  }

  /** Uses every value so that none of the decoding can be optimised away. */
  private static final class SumVisitor implements EventVisitor {
    long points;
    double sum;

    @Override
    public void scalar(String tag, long step, double wallTime, double value, ValueType type) {
      points++;
      sum += value + step + tag.length();
    }
  }

  private static final class PointCounter implements TailListener {
    long points;
    long steps;

    @Override
    public void scalar(ScalarPoint point) {
      points++;
      steps += point.step();
    }

    @Override
    public void problem(TailProblem problem) {}
  }
}
