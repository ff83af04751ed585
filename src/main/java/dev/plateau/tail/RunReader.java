package dev.plateau.tail;

import dev.plateau.decode.DecodeLimits;
import dev.plateau.decode.RecordReader;
import java.nio.file.Path;

/**
 * Reads the event files of runs once, from their start to their end, as a {@link LogdirTailer}'s
 * first poll reads them: file by file in the order {@link LogdirScanner} lists them, with the same
 * problems reported. For the one-shot commands, which read a logdir experiment by experiment and
 * keep no positions.
 *
 * <p>Not thread-safe: its read window is reused from file to file. Each reading thread has its own.
 */
public final class RunReader {
  private final DecodeLimits limits;
  private final RecordReader.Buffers buffers;

  public RunReader(DecodeLimits limits) {
    this.limits = limits;
    this.buffers = new RecordReader.Buffers(limits);
  }

  /** Reads every event file of {@code run} to {@code listener}; returns the points read. */
  public long read(RunDirectory run, TailListener listener) {
    long points = 0;
    for (Path file : run.eventFiles()) {
      points += new TailedFile(run.name(), file, limits, buffers).poll(listener).points();
    }
    return points;
  }
}
