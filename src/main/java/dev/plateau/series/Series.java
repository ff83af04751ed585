package dev.plateau.series;

import java.util.Arrays;

/**
 * The points of one (run, tag) in step order, one per step, stored in primitive arrays.
 *
 * <p>Appending a point whose step is at or below the last step first drops every kept point with a
 * step at or above it (see {@link RunSeries} for why), so the series stays strictly increasing in
 * step by construction.
 *
 * <p>A series may keep all its points ({@link #UNBOUNDED}, for one-shot commands) or at most a
 * limit ({@link #bounded}), for a daemon that watches thousands of series for months: when the
 * limit is reached, every other kept point is dropped and from then on only every 2nd (4th, ...)
 * new point is kept, so the kept points stay spread evenly over the whole curve (enough for charts
 * and sparklines) in bounded memory. Such a series is no longer {@link #isComplete() complete}:
 * whoever needs every point (to judge a restart again) must read the files again.
 */
public final class Series {
  /** The limit of a series that keeps every point. */
  public static final int UNBOUNDED = Integer.MAX_VALUE;

  private long[] steps;
  private double[] wallTimes;
  private double[] values;
  private int[] sources;
  private int size;
  private long dropped;
  private int limit;
  private int stride = 1;
  private int sinceKept;
  private long lastStep = Long.MIN_VALUE;
  private boolean complete = true;

  /** A series that keeps every point. */
  public Series() {
    this(UNBOUNDED);
  }

  private Series(int limit) {
    this.limit = limit;
    int capacity = limit == 0 ? 0 : Math.min(16, limit);
    steps = new long[capacity];
    wallTimes = new double[capacity];
    values = new double[capacity];
    sources = new int[capacity];
  }

  /**
   * A series that keeps at most {@code limit} points (0: none; it then only knows its last step). A
   * limit of 1 keeps the first point only; use 2 or more to follow a curve.
   */
  public static Series bounded(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be at least 0, got " + limit);
    }
    return new Series(limit);
  }

  /** The most points this series keeps ({@link #UNBOUNDED} for all). */
  public int limit() {
    return limit;
  }

  /** True while every point appended (and not dropped by a restart) is kept. */
  public boolean isComplete() {
    return complete;
  }

  /**
   * From now on keeps at most {@code newLimit} points, thinning what is kept now to fit. A series
   * that was unbounded while a run was read again goes back to its bound this way.
   */
  public void limitTo(int newLimit) {
    if (newLimit < 0) {
      throw new IllegalArgumentException("limit must be at least 0, got " + newLimit);
    }
    limit = newLimit;
    while (size > limit) {
      thin();
    }
  }

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

  /**
   * The last step appended (and not dropped by a restart), also when a bounded series did not keep
   * its point; the series must have had a point.
   */
  public long lastStep() {
    if (lastStep == Long.MIN_VALUE) {
      throw new IndexOutOfBoundsException("the series has no point");
    }
    return lastStep;
  }

  /** True once a point was appended (and not all were dropped by a restart since). */
  public boolean hadPoints() {
    return lastStep != Long.MIN_VALUE;
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
    if (lastStep != Long.MIN_VALUE && step <= lastStep) {
      removed = dropFrom(step);
    }
    lastStep = step;
    if (limit == 0) {
      complete = false;
      return removed;
    }
    if (++sinceKept < stride && size > 0) {
      return removed; // a thinned series keeps every stride-th point
    }
    sinceKept = 0;
    if (size == limit) {
      thin();
    }
    if (size == steps.length) {
      int capacity = (int) Math.min(limit, size + (size >> 1) + 1L);
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

  /** Keeps every other point (the first always), and every other new point from now on. */
  private void thin() {
    int kept = 0;
    for (int i = 0; i < size; i += 2) {
      steps[kept] = steps[i];
      wallTimes[kept] = wallTimes[i];
      values[kept] = values[i];
      sources[kept] = sources[i];
      kept++;
    }
    size = kept;
    stride = stride > Integer.MAX_VALUE / 2 ? stride : stride * 2;
    complete = false;
  }

  /**
   * Drops every kept point with a step at or above {@code step}; returns how many were kept and
   * dropped (a bounded series may have dropped more that it did not keep).
   */
  public int dropFrom(long step) {
    int keep = firstIndexAtOrAfter(step);
    int removed = size - keep;
    size = keep;
    dropped += removed;
    if (lastStep != Long.MIN_VALUE && lastStep >= step) {
      lastStep = size > 0 ? steps[size - 1] : Long.MIN_VALUE;
      if (!complete && removed == 0) {
        removed = 1; // points this series did not keep were dropped: report that something was
      }
    }
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
