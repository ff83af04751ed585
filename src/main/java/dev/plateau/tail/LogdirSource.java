package dev.plateau.tail;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Where a logdir's event files are read from: a local directory ({@link LogdirTailer}) or a prefix
 * of an object store. Each {@link #poll} reads what was written since the last one and reports it
 * to the listener in file order (run by run, file by file); nothing is read twice, and a problem
 * with one file never stops the others.
 *
 * <p>Not thread-safe: one thread polls.
 */
public interface LogdirSource {

  /**
   * One pass over the whole logdir.
   *
   * @throws IOException only when the logdir itself cannot be read (listed)
   */
  PollStats poll(TailListener listener) throws IOException;

  /**
   * As {@link #poll(TailListener)}, ending the pass early once {@code stopRequested} says so (a
   * daemon asked to stop): what was read is reported, what was not is read by the next poll. A
   * source that cannot stop part-way reads the whole pass.
   */
  default PollStats poll(TailListener listener, BooleanSupplier stopRequested) throws IOException {
    return poll(listener);
  }

  /**
   * Resumes from saved cursors (before the first poll): files listed here are read on from their
   * offsets once found again; a file whose identity changed meanwhile is read from its start.
   */
  void restore(Collection<FileCursor> cursors);

  /** Reads a run's files again from their start on the next poll. */
  void rereadRun(String run);

  /** Where reading stands in every file being tailed. */
  List<FileCursor> cursors();

  /** Totals since this source was created. */
  PollStats totals();

  /**
   * How long the logdir has failed to be listed, from the first failure since the last success;
   * zero while it can be (and always for a local directory, which says so through its files).
   */
  default Duration unreachableFor() {
    return Duration.ZERO;
  }

  /**
   * How this logdir is named to people (logs, the status page, metrics, alert payloads) when its
   * path does not say it: an object store's URL ({@code s3://bucket/prefix}); null for a local
   * directory, named by its path.
   */
  default @org.jspecify.annotations.Nullable String url() {
    return null;
  }
}
