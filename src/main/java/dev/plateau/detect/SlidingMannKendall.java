package dev.plateau.detect;

import java.util.Arrays;

/**
 * The Mann–Kendall z of a window that slides along a series, equal to the last bit to {@link
 * MannKendall#z} (and so to {@link TrendStatistics#mannKendallZ}), at O(n) per value that enters or
 * leaves instead of a sort of the whole window. It keeps the window last asked about, its S and its
 * values sorted. When the window asked about is that one with up to {@value #MOST_MOVED} values
 * dropped from its start and up to {@value #MOST_MOVED} added at its end (compared bit for bit), S
 * is updated by the signs of the pairs those values make (S is a sum over pairs) and the sorted
 * copy by a binary search and a shift each; any other window, or one holding a value that is not
 * finite, is computed afresh. The tie-corrected variance is summed over the sorted copy in
 * ascending order, as {@link MannKendall} sums it. Not thread-safe: one per detector.
 */
final class SlidingMannKendall {
  /** The most values that may leave, and the most that may enter, between two windows. */
  static final int MOST_MOVED = 4;

  private final MannKendall afresh;
  // Grown to the longest window asked about, a few values at a time: a detector holds two.
  private double[] window = new double[0];
  private double[] sorted = new double[0];
  private int size;
  private long s;

  /** Computes windows afresh with {@code afresh} (which may serve others on the same thread). */
  SlidingMannKendall(MannKendall afresh) {
    this.afresh = afresh;
  }

  /** The z score of {@code values[from..to)}; see {@link TrendStatistics#mannKendallZ}. */
  double z(double[] values, int from, int to) {
    int n = to - from;
    if (n < 3 || !allFinite(values, from, to)) {
      size = 0; // nothing kept: the next window is computed afresh
      s = 0;
      return afresh.z(values, from, to);
    }
    if (!follow(values, from, n)) {
      start(values, from, n);
    }
    double variance = variance();
    if (variance <= 0 || s == 0) {
      return 0;
    }
    return (s > 0 ? s - 1 : s + 1) / Math.sqrt(variance);
  }

  /**
   * Moves the kept window to {@code values[from..from+n)} when that is the kept one with a few
   * values dropped from its start and a few added at its end; false, with nothing changed, when
   * not.
   */
  private boolean follow(double[] values, int from, int n) {
    if (size == 0) {
      return false;
    }
    // The usual move, first: one value out at the start, one in at the end.
    if (n == size && Arrays.equals(values, from, from + n - 1, window, 1, size)) {
      slide(values[from + n - 1]);
      return true;
    }
    for (int dropped = 0; dropped <= Math.min(MOST_MOVED, size); dropped++) {
      int kept = size - dropped;
      int added = n - kept;
      if (added < 0
          || added > MOST_MOVED
          || !Arrays.equals(values, from, from + kept, window, dropped, size)) {
        continue;
      }
      for (int d = 0; d < dropped; d++) {
        dropFirst();
      }
      for (int a = 0; a < added; a++) {
        addLast(values[from + kept + a]);
      }
      return true;
    }
    return false;
  }

  private void start(double[] values, int from, int n) {
    grow(n);
    System.arraycopy(values, from, window, 0, n);
    System.arraycopy(values, from, sorted, 0, n);
    Arrays.sort(sorted, 0, n);
    size = n;
    s = afresh.s(values, from, from + n);
  }

  /** Drops the first value and adds {@code x} at the end, in one pass over the window. */
  private void slide(double x) {
    double x0 = window[0];
    long change = 0;
    for (int j = 1; j < size; j++) {
      double v = window[j];
      change += sign(x - v) - sign(v - x0);
    }
    s += change;
    int out = Arrays.binarySearch(sorted, 0, size, x0);
    System.arraycopy(sorted, out + 1, sorted, out, size - out - 1);
    int at = Arrays.binarySearch(sorted, 0, size - 1, x);
    if (at < 0) {
      at = -at - 1;
    }
    System.arraycopy(sorted, at, sorted, at + 1, size - 1 - at);
    sorted[at] = x;
    System.arraycopy(window, 1, window, 0, size - 1);
    window[size - 1] = x;
  }

  private void dropFirst() {
    double x = window[0];
    long change = 0;
    for (int j = 1; j < size; j++) {
      change += sign(window[j] - x);
    }
    s -= change;
    int at = Arrays.binarySearch(sorted, 0, size, x);
    System.arraycopy(sorted, at + 1, sorted, at, size - at - 1);
    System.arraycopy(window, 1, window, 0, size - 1);
    size--;
  }

  private void addLast(double x) {
    grow(size + 1);
    long change = 0;
    for (int j = 0; j < size; j++) {
      change += sign(x - window[j]);
    }
    s += change;
    int at = Arrays.binarySearch(sorted, 0, size, x);
    if (at < 0) {
      at = -at - 1;
    }
    System.arraycopy(sorted, at, sorted, at + 1, size - at);
    sorted[at] = x;
    window[size++] = x;
  }

  /** The variance of S, corrected for the tie groups of the sorted window (ascending). */
  private double variance() {
    return TrendStatistics.tieCorrectedVariance(sorted, size);
  }

  private static final int GROWTH = 4;

  private void grow(int n) {
    if (window.length < n) {
      window = Arrays.copyOf(window, n + GROWTH);
      sorted = Arrays.copyOf(sorted, window.length);
    }
  }

  private static int sign(double d) {
    return (d > 0 ? 1 : 0) - (d < 0 ? 1 : 0);
  }

  private static boolean allFinite(double[] values, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!Double.isFinite(values[i])) {
        return false;
      }
    }
    return true;
  }
}
