package dev.plateau.verdict;

import java.util.Arrays;

/**
 * One run's series as its sweep compares it, in bounded memory: its best value so far (lower is
 * better: a maximised metric is kept negated) at up to {@code maxKnots} positions of the alignment
 * axis, spread evenly over its points (when full, every other kept position is dropped and only
 * every second point from then on is kept, so the spacing doubles), its exact latest best, and the
 * absolute second differences of its last {@value #NOISE_WINDOW} finite values for its noise.
 *
 * <p>NaN and infinite values are skipped (divergence is another detector's business). A point at or
 * before the last step seen starts the trace again (a training restart, or the run read again). Not
 * thread-safe.
 */
final class SweepTrace {
  /** The second differences kept for the noise. */
  static final int NOISE_WINDOW = 32;

  /** A Gaussian deviation from the median absolute second difference (sqrt(6) times 0.6745). */
  private static final double SECOND_DIFFERENCE_SCALE = 0.6745 * Math.sqrt(6);

  private final int maxKnots;
  private double[] xs = new double[8];
  private float[] bests = new float[8];
  private int knots;
  private long stride = 1;

  private long lastStep = Long.MIN_VALUE;
  private double firstWallTime = Double.NaN;
  private double lastX = Double.NEGATIVE_INFINITY;
  private double best = Double.POSITIVE_INFINITY;
  private long points;
  private long layouts;

  private double previous = Double.NaN;
  private double beforePrevious = Double.NaN;
  private final float[] secondDifferences = new float[NOISE_WINDOW];
  private long differences;

  // The same second differences kept in the order Arrays.sort(float[]) gives them (updated as one
  // leaves and one comes), so the noise reads its median without sorting at every comparison.
  private final float[] sortedDifferences = new float[NOISE_WINDOW];

  SweepTrace(int maxKnots) {
    this.maxKnots = maxKnots;
  }

  /**
   * Adds a point: {@code value} oriented so that lower is better. Returns false when it was not
   * finite (nothing changed).
   */
  boolean add(long step, double wallTime, boolean alignOnWallTime, double value) {
    if (step <= lastStep) {
      reset();
    }
    lastStep = step;
    if (!Double.isFinite(value)) {
      return false;
    }
    if (Double.isNaN(firstWallTime)) {
      firstWallTime = wallTime;
    }
    double x = alignOnWallTime ? wallTime - firstWallTime : step;
    if (x < lastX) {
      x = lastX; // a writer's clock that went back: the axis stays ordered
    }
    lastX = x;
    best = Math.min(best, value);
    if (points % stride == 0) {
      keep(x);
    }
    points++;
    if (!Double.isNaN(beforePrevious)) {
      float difference = (float) Math.abs(value - 2 * previous + beforePrevious);
      int slot = (int) (differences % NOISE_WINDOW);
      keepSorted(secondDifferences[slot], difference);
      secondDifferences[slot] = difference;
      differences++;
    }
    beforePrevious = previous;
    previous = value;
    return true;
  }

  /** The finite points added since the trace (re)started. */
  long points() {
    return points;
  }

  /** The last step seen. */
  long lastStep() {
    return lastStep;
  }

  /**
   * How many times the kept positions were thinned or dropped (the trace started again): between
   * two reads of an unchanged count, {@link #bestAt} changed only at positions from the last
   * position of the first read to that of the second.
   */
  long layouts() {
    return layouts;
  }

  /** How many positions are kept (at most {@code maxKnots}). */
  int keptPositions() {
    return knots;
  }

  /** The best value so far; positive infinity before a finite point. */
  double best() {
    return best;
  }

  /** The position of the last finite point on the alignment axis. */
  double lastX() {
    return lastX;
  }

  /**
   * The best value at {@code x}, as far as the kept positions tell (the best at the last kept
   * position at or before {@code x}: never better than the truth), or NaN when the run has not
   * reached {@code x}.
   */
  double bestAt(double x) {
    if (points == 0 || x > lastX) {
      return Double.NaN;
    }
    if (x == lastX) {
      return best;
    }
    int i = Arrays.binarySearch(xs, 0, knots, x);
    int at = i >= 0 ? i : -i - 2;
    // Equal positions (wall time of a writer that did not advance): the last one.
    while (at + 1 < knots && xs[at + 1] == x) {
      at++;
    }
    return at < 0 ? Double.NaN : bests[at];
  }

  /**
   * The first position after {@code x} from which {@link #bestAt} may differ from {@code
   * bestAt(x)}, as the trace stands: its next kept position or its last position, whichever comes
   * first; {@code x} itself when it is the last position (every later one is unreached); positive
   * infinity when {@code x} is past the trace or it has no point (it changes there only by adding).
   */
  double nextChangeAfter(double x) {
    if (points == 0 || x > lastX) {
      return Double.POSITIVE_INFINITY;
    }
    if (x == lastX) {
      return x;
    }
    int i = Arrays.binarySearch(xs, 0, knots, x);
    int next = i >= 0 ? i + 1 : -i - 1;
    while (next < knots && xs[next] <= x) {
      next++;
    }
    return next < knots ? Math.min(xs[next], lastX) : lastX;
  }

  /**
   * The last kept position at or before {@code x} (where {@link #bestAt} is exact), or NaN when
   * none is.
   */
  double positionAtOrBefore(double x) {
    if (points == 0) {
      return Double.NaN;
    }
    if (x >= lastX) {
      return lastX;
    }
    int i = Arrays.binarySearch(xs, 0, knots, x);
    int at = i >= 0 ? i : -i - 2;
    return at < 0 ? Double.NaN : xs[at];
  }

  /**
   * The noise deviation of the run's values: the median absolute second difference of the last
   * {@value #NOISE_WINDOW}, scaled to a Gaussian deviation (a straight trend has none); 0 before
   * three finite points.
   */
  double noise() {
    int n = (int) Math.min(differences, NOISE_WINDOW);
    if (n == 0) {
      return 0;
    }
    float[] sorted = sortedDifferences;
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    return median / SECOND_DIFFERENCE_SCALE;
  }

  /**
   * Puts {@code entering} among the sorted second differences, in place of {@code leaving} once the
   * window is full. Arrays.binarySearch orders floats as Arrays.sort does (-0.0 before 0.0, NaN
   * last), so the array stays what sorting the window would give.
   */
  private void keepSorted(float leaving, float entering) {
    int n = (int) Math.min(differences, NOISE_WINDOW);
    if (n == NOISE_WINDOW) {
      int at = Arrays.binarySearch(sortedDifferences, 0, n, leaving);
      System.arraycopy(sortedDifferences, at + 1, sortedDifferences, at, n - at - 1);
      n--;
    }
    int at = Arrays.binarySearch(sortedDifferences, 0, n, entering);
    if (at < 0) {
      at = -at - 1;
    }
    System.arraycopy(sortedDifferences, at, sortedDifferences, at + 1, n - at);
    sortedDifferences[at] = entering;
  }

  private void keep(double x) {
    if (knots == maxKnots) {
      int kept = 0;
      for (int i = 0; i < knots; i += 2) {
        xs[kept] = xs[i];
        bests[kept] = bests[i];
        kept++;
      }
      knots = kept;
      stride *= 2;
      layouts++;
      if (points % stride != 0) {
        return;
      }
    }
    if (knots == xs.length) {
      int grown = Math.min(maxKnots, xs.length * 2);
      xs = Arrays.copyOf(xs, grown);
      bests = Arrays.copyOf(bests, grown);
    }
    xs[knots] = x;
    bests[knots] = (float) best;
    knots++;
  }

  private void reset() {
    layouts++;
    knots = 0;
    stride = 1;
    firstWallTime = Double.NaN;
    lastX = Double.NEGATIVE_INFINITY;
    best = Double.POSITIVE_INFINITY;
    points = 0;
    previous = Double.NaN;
    beforePrevious = Double.NaN;
    differences = 0;
  }
}
