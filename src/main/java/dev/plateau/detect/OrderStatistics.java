package dev.plateau.detect;

import java.util.Arrays;

/**
 * The k-th smallest of an array's values, found by selection (expected O(n)) instead of sorting
 * (O(n log n)), and equal to the last bit to what {@link Arrays#sort(double[])} would place at k:
 * selection compares with {@code <}, which ranks -0.0 and 0.0 alike where the sort puts -0.0 first,
 * so a zero found is given the sign the sort would give it ({@link #signedZero}); a range holding a
 * NaN is sorted instead, as the sort ranks NaN last and {@code <} cannot.
 */
final class OrderStatistics {
  /** Below this length a range is sorted rather than partitioned further. */
  private static final int SORT_BELOW = 24;

  /** Below this length a range of a {@link Selection} is sorted: its later ranks are then free. */
  private static final int CHAIN_SORT_BELOW = 8;

  private OrderStatistics() {}

  /**
   * Reorders {@code a[from..to)} so that {@code a[k]} holds the value of rank {@code k - from}
   * among them (numerically), every value before it is {@code <=} it and every value after it
   * {@code >=} it. The values must not be NaN.
   *
   * <p>Quickselect with a median-of-three pivot and a partition without data-dependent branches
   * (each value is swapped into place and the boundary moves by the comparison's outcome), which on
   * random slopes is about twice as fast as a partition that branches on every comparison. A range
   * that still partitions badly too often (many equal values) is sorted, so the worst case is O(n
   * log n).
   */
  static void select(double[] a, int from, int to, int k) {
    int lo = from;
    int hi = to;
    int budget = 2 * (32 - Integer.numberOfLeadingZeros(to - from)) + 8;
    while (hi - lo > SORT_BELOW) {
      if (--budget < 0) {
        break;
      }
      int store = partition(a, lo, hi);
      if (k == store) {
        return;
      }
      if (k < store) {
        hi = store;
      } else {
        lo = store + 1;
      }
    }
    Arrays.sort(a, lo, hi);
  }

  /**
   * Several order statistics of one array, each selected from the narrowest range that the
   * selections before it left partitioned, so that a second rank near the first costs a fraction of
   * a selection over the whole array. The ranges the quickselect narrowed through are kept as a
   * chain, each inside the one before: a range in the chain holds exactly the values of its ranks
   * (everything before it is {@code <=} them and everything after it {@code >=}). A selection
   * starting from a range in the chain only moves values inside that range, so the chain is cut
   * after it and continued. The values must not be NaN. Not thread-safe; allocates nothing.
   */
  static final class Selection {
    /** Longest chain: a selection that would go deeper sorts its range instead. */
    private static final int CHAIN = 256;

    private final int[] los = new int[CHAIN];
    private final int[] his = new int[CHAIN];
    private int depth;

    /** Whether the last range of the chain is sorted. */
    private boolean lastSorted;

    private double[] a;

    /** Starts selecting from {@code a[from..to)}; earlier selections are forgotten. */
    void start(double[] a, int from, int to) {
      this.a = a;
      los[0] = from;
      his[0] = to;
      depth = 1;
      lastSorted = false;
    }

    /**
     * The value of rank {@code k} (an index in the range given to {@link #start}), numerically: as
     * {@link OrderStatistics#select} leaves it at {@code a[k]}.
     */
    double select(int k) {
      int d = depth - 1;
      while (k < los[d] || k >= his[d]) {
        d--;
      }
      if (d == depth - 1 && lastSorted) {
        return a[k];
      }
      depth = d + 1;
      lastSorted = false;
      int lo = los[d];
      int hi = his[d];
      int budget = 2 * (32 - Integer.numberOfLeadingZeros(hi - lo)) + 8;
      while (hi - lo > CHAIN_SORT_BELOW && depth < CHAIN && --budget >= 0) {
        int store = partition(a, lo, hi);
        if (k == store) {
          return a[k];
        }
        if (k < store) {
          hi = store;
        } else {
          lo = store + 1;
        }
        los[depth] = lo;
        his[depth] = hi;
        depth++;
      }
      Arrays.sort(a, lo, hi); // the chain's last link is this range
      lastSorted = true;
      return a[k];
    }
  }

  /**
   * Partitions {@code a[lo..hi)} (more than 2 values) around the median of its first, middle and
   * last value, without data-dependent branches (each value is swapped into place and the boundary
   * moves by the comparison's outcome); returns where the pivot ends: {@code a[lo..store) < pivot
   * == a[store] <= a(store..hi)}.
   */
  private static int partition(double[] a, int lo, int hi) {
    int mid = (lo + hi) >>> 1;
    if (a[mid] < a[lo]) {
      swap(a, mid, lo);
    }
    if (a[hi - 1] < a[lo]) {
      swap(a, hi - 1, lo);
    }
    if (a[hi - 1] < a[mid]) {
      swap(a, hi - 1, mid);
    }
    double pivot = a[mid];
    swap(a, mid, hi - 1);
    int store = lo;
    for (int i = lo; i < hi - 1; i++) {
      double v = a[i];
      int below = v < pivot ? 1 : 0;
      a[i] = a[store];
      a[store] = v;
      store += below;
    }
    swap(a, store, hi - 1);
    return store;
  }

  /**
   * {@code value}, the value of rank {@code k} of {@code a[0..n)} found with {@code <}, with the
   * sign a sort would give it when it is a zero: -0.0 when rank k falls among the negative zeros,
   * which the sort puts before the positive ones.
   */
  static double signedZero(double[] a, int n, int k, double value) {
    if (value != 0) {
      return value;
    }
    int belowZero = 0;
    for (int i = 0; i < n; i++) {
      double x = a[i];
      if (x < 0 || (x == 0 && Double.doubleToRawLongBits(x) != 0)) {
        belowZero++; // negative, or -0.0
      }
    }
    return k < belowZero ? -0.0 : 0.0;
  }

  /** Whether {@code a[from..to)} holds a NaN. */
  static boolean hasNaN(double[] a, int from, int to) {
    for (int i = from; i < to; i++) {
      if (Double.isNaN(a[i])) {
        return true;
      }
    }
    return false;
  }

  private static void swap(double[] a, int i, int j) {
    double t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
