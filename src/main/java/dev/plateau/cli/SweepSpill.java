package dev.plateau.cli;

import dev.plateau.config.DetectionConfig;
import dev.plateau.series.RunSeries;
import dev.plateau.series.Series;
import dev.plateau.verdict.SweepReplay;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The points a sweep's comparison needs ({@link SweepReplay#feeds}: the planned series of runs in
 * sweeps, restart rule applied), written to temporary files while experiments are read one by one
 * on several threads, then merged by wall time for {@link SweepReplay} exactly as {@link Backtest}
 * merges every series of a logdir: the point with the earliest wall time first, ties by run name,
 * then by the tag's place in its run.
 *
 * <p>Memory: a write buffer per writing thread and, while merging, a read buffer per series of
 * {@value #CURSOR_POINTS} points, fewer when there are many series ({@value #MERGE_BUFFERS} bytes
 * in all, 4 points each at least); the points themselves are on disk ({@value #POINT_BYTES} bytes
 * each, in {@code java.io.tmpdir}: the image's {@code /state} volume), deleted by {@link #close}.
 */
final class SweepSpill implements AutoCloseable {
  /** A point on disk: step, wall time and value, 8 bytes each. */
  static final int POINT_BYTES = 24;

  /** Points read at once per series while merging, at most. */
  static final int CURSOR_POINTS = 128;

  /** The read buffers of all series while merging, at most (each has at least 4 points). */
  static final int MERGE_BUFFERS = 8 << 20;

  private static final int WRITE_BUFFER = 1 << 16;

  private final Path directory;
  private final List<Writer> writers = new ArrayList<>();
  private final List<Section> sections = new ArrayList<>();
  private final ThreadLocal<Writer> writer = new ThreadLocal<>();

  /** One series written: where its points are in which file. */
  private record Section(
      String run, int tagIndex, String tag, FileChannel file, long offset, int count) {
    static final Comparator<Section> ORDER =
        Comparator.comparing(Section::run).thenComparingInt(Section::tagIndex);
  }

  private SweepSpill(Path directory) {
    this.directory = directory;
  }

  /**
   * A spill in a new temporary directory.
   *
   * @throws IOException when the directory cannot be made
   */
  static SweepSpill create() throws IOException {
    return new SweepSpill(Files.createTempDirectory("plateau-sweeps-"));
  }

  /** Where the temporary files are. */
  Path directory() {
    return directory;
  }

  /**
   * Writes the series of {@code runs} that {@code config} feeds to the sweep comparison, on this
   * thread's file.
   */
  void write(Iterable<RunSeries> runs, DetectionConfig config) throws IOException {
    Writer w = writer.get();
    if (w == null) {
      w = newWriter();
      writer.set(w);
    }
    List<Section> written = new ArrayList<>();
    for (RunSeries run : runs) {
      int tagIndex = 0;
      for (Map.Entry<String, Series> e : run.byTag().entrySet()) {
        Series s = e.getValue();
        if (!s.isEmpty() && SweepReplay.feeds(config, run.run(), e.getKey())) {
          long offset = w.position + w.buffer.position();
          for (int i = 0; i < s.size(); i++) {
            w.put(s.step(i), s.wallTime(i), s.value(i));
          }
          written.add(new Section(run.run(), tagIndex, e.getKey(), w.channel, offset, s.size()));
        }
        tagIndex++;
      }
    }
    synchronized (sections) {
      sections.addAll(written);
    }
  }

  private Writer newWriter() throws IOException {
    synchronized (writers) {
      Path file = directory.resolve("points-" + writers.size());
      Writer w =
          new Writer(
              FileChannel.open(
                  file,
                  StandardOpenOption.CREATE_NEW,
                  StandardOpenOption.READ,
                  StandardOpenOption.WRITE,
                  StandardOpenOption.DELETE_ON_CLOSE));
      writers.add(w);
      return w;
    }
  }

  /** Receives the points written, merged ({@link SweepReplay#observe} is one). */
  @FunctionalInterface
  interface Sink {
    void point(String run, String tag, long step, double wallTime, double value);
  }

  /**
   * Feeds every point written to {@code replay} in the whole logdir's wall-time order. Call it once
   * every writing thread is done.
   */
  void replay(Sink replay) throws IOException {
    synchronized (writers) {
      for (Writer w : writers) {
        w.flush();
      }
    }
    List<Section> ordered;
    synchronized (sections) {
      ordered = new ArrayList<>(sections);
    }
    ordered.sort(Section.ORDER);
    PriorityQueue<Cursor> queue =
        new PriorityQueue<>(
            Math.max(1, ordered.size()),
            (a, b) -> {
              int byTime = Double.compare(a.wallTime, b.wallTime);
              return byTime != 0 ? byTime : Integer.compare(a.order, b.order);
            });
    int points =
        Math.max(
            4, Math.min(CURSOR_POINTS, MERGE_BUFFERS / POINT_BYTES / Math.max(1, ordered.size())));
    for (int i = 0; i < ordered.size(); i++) {
      Cursor c = new Cursor(ordered.get(i), i, points);
      if (c.advance()) {
        queue.add(c);
      }
    }
    while (!queue.isEmpty()) {
      Cursor c = queue.poll();
      replay.point(c.section.run(), c.section.tag(), c.step, c.wallTime, c.value);
      if (c.advance()) {
        queue.add(c);
      }
    }
  }

  @Override
  public void close() throws IOException {
    IOException failed = null;
    synchronized (writers) {
      for (Writer w : writers) {
        try {
          w.channel.close();
        } catch (IOException e) {
          failed = e;
        }
      }
      writers.clear();
    }
    try (var left = Files.list(directory)) {
      for (Path p : (Iterable<Path>) left::iterator) {
        Files.deleteIfExists(p);
      }
    }
    Files.deleteIfExists(directory);
    if (failed != null) {
      throw failed;
    }
  }

  /** One thread's file, appended through a buffer. */
  private static final class Writer {
    final FileChannel channel;
    final ByteBuffer buffer = ByteBuffer.allocate(WRITE_BUFFER);
    long position;

    Writer(FileChannel channel) {
      this.channel = channel;
    }

    void put(long step, double wallTime, double value) throws IOException {
      if (buffer.remaining() < POINT_BYTES) {
        flush();
      }
      buffer.putLong(step).putDouble(wallTime).putDouble(value);
    }

    void flush() throws IOException {
      buffer.flip();
      while (buffer.hasRemaining()) {
        position += channel.write(buffer, position);
      }
      buffer.clear();
    }
  }

  /** A position in one written series, with the point there. */
  private static final class Cursor {
    final Section section;
    final int order;
    final ByteBuffer buffer;
    final int bufferPoints;
    int unread;
    long next;
    long step;
    double wallTime;
    double value;

    Cursor(Section section, int order, int bufferPoints) {
      this.section = section;
      this.order = order;
      this.bufferPoints = bufferPoints;
      this.buffer = ByteBuffer.allocate(bufferPoints * POINT_BYTES);
      this.unread = section.count();
      this.next = section.offset();
      buffer.limit(0);
    }

    /** Moves to the next point; false when there is none. */
    boolean advance() throws IOException {
      if (!buffer.hasRemaining()) {
        if (unread == 0) {
          return false;
        }
        int points = Math.min(unread, bufferPoints);
        buffer.clear().limit(points * POINT_BYTES);
        while (buffer.hasRemaining()) {
          int read = section.file().read(buffer, next + buffer.position());
          if (read < 0) {
            throw new IOException("temporary file of sweep points ended early");
          }
        }
        buffer.flip();
        unread -= points;
        next += (long) points * POINT_BYTES;
      }
      step = buffer.getLong();
      wallTime = buffer.getDouble();
      value = buffer.getDouble();
      return true;
    }
  }
}
