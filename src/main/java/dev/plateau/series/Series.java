package dev.plateau.series;

import java.util.Arrays;

/**
 * The points of one (run, tag) in step order, one per step, stored in primitive arrays.
 *
 * <p>Appending a point whose step is at or below the last kept step first drops every kept point
 * with a step at or above it (see {@link RunSeries} for why), so the series stays strictly
 * increasing in step by construction.
 */
public final class Series {
  private long[] steps = new long[16];
  private double[] wallTimes = new double[16];
  private double[] values = new double[16];
  private int[] sources = new int[16];
  private int size;
  private long dropped;

  /** Number of points kept. */
  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  public long step(int index) {
    checkIndex(index);
    return steps[index];
  }

  public double wallTime(int index) {
    checkIndex(index);
    return wallTimes[index];
  }

  public double value(int index) {
    checkIndex(index);
    return values[index];
  }

  /** Which of the run's files the point came from (an index the owner assigns). */
  public int source(int index) {
    checkIndex(index);
    return sources[index];
  }

  /** The last kept step; the series must not be empty. */
  public long lastStep() {
    return step(size - 1);
  }

  /** How many points were dropped by the restart rule over the series' life. */
  public long droppedPoints() {
    return dropped;
  }

  /**
   * Appends a point, first dropping kept points at or after {@code step} when it does not come
   * after the last one. Returns how many points were dropped.
   */
  public int append(long step, double wallTime, double value) {
    return append(step, wallTime, value, 0);
  }

  /** As {@link #append(long, double, double)}, remembering the point's source file index. */
  public int append(long step, double wallTime, double value, int source) {
    int removed = 0;
    if (size > 0 && step <= steps[size - 1]) {
      removed = dropFrom(step);
    }
    if (size == steps.length) {
      int capacity = size + (size >> 1) + 1;
      steps = Arrays.copyOf(steps, capacity);
      wallTimes = Arrays.copyOf(wallTimes, capacity);
      values = Arrays.copyOf(values, capacity);
      sources = Arrays.copyOf(sources, capacity);
    }
    steps[size] = step;
    wallTimes[size] = wallTime;
    values[size] = value;
    sources[size] = source;
    size++;
    return removed;
  }

  /** Drops every kept point with a step at or above {@code step}; returns how many. */
  public int dropFrom(long step) {
    int keep = firstIndexAtOrAfter(step);
    int removed = size - keep;
    size = keep;
    dropped += removed;
    return removed;
  }

  /** Index of the first kept point whose step is at or above {@code step} (size if none). */
  public int firstIndexAtOrAfter(long step) {
    int index = Arrays.binarySearch(steps, 0, size, step);
    return index >= 0 ? index : -index - 1;
  }

  private void checkIndex(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("index " + index + " of a series of " + size);
    }
  }
}
