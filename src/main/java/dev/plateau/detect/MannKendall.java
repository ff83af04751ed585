package dev.plateau.detect;

/**
 * The Mann–Kendall statistics of {@link TrendStatistics}, the same to the last bit, in O(n log n)
 * and without allocating once its buffers have grown: one sort counts the strictly decreasing pairs
 * Q (inversions) and leaves the values in order for the tie groups T, and S = P &minus; Q with P =
 * n(n&minus;1)/2 &minus; T &minus; Q. The tie groups are walked in ascending order, as {@link
 * TrendStatistics#mannKendallVariance} walks them, so the variance is summed in the same order.
 * Short windows are sorted by insertion (fewer mispredicted branches), longer ones by a merge sort.
 * Values with a NaN are passed to {@link TrendStatistics} (a NaN has no place in an order). Not
 * thread-safe: one per detector.
 */
final class MannKendall {
  /** Up to this many values, insertion sort beats merge sort. */
  private static final int INSERTION_UP_TO = 48;

  private double[] a = new double[32];
  private double[] b = new double[32];
  private long tiedPairs;
  private double variance;

  /** The z score of {@code values[from..to)}; see {@link TrendStatistics#mannKendallZ}. */
  double z(double[] values, int from, int to) {
    int n = to - from;
    if (n < 3) {
      return 0;
    }
    if (OrderStatistics.hasNaN(values, from, to)) {
      return TrendStatistics.mannKendallZ(values, from, to);
    }
    long s = sortedS(values, from, to);
    if (variance <= 0 || s == 0) {
      return 0;
    }
    return (s > 0 ? s - 1 : s + 1) / Math.sqrt(variance);
  }

  /**
   * The S statistic of {@code values[from..to)}, which must hold no NaN; see {@link
   * TrendStatistics#mannKendallS}.
   */
  long s(double[] values, int from, int to) {
    return sortedS(values, from, to);
  }

  /** S of NaN-free values; leaves their tie-corrected variance in {@link #variance}. */
  private long sortedS(double[] values, int from, int to) {
    int n = to - from;
    if (a.length < n) {
      a = new double[Math.max(n, 2 * a.length)];
      b = new double[a.length];
    }
    System.arraycopy(values, from, a, 0, n);
    long inversions =
        n <= INSERTION_UP_TO ? insertionSortCountingInversions(n) : mergeSortCountingInversions(n);
    ties(n);
    return (long) n * (n - 1) / 2 - tiedPairs - 2 * inversions;
  }

  /** The tie groups of the sorted {@code a[0..n)}: tied pairs, and the variance they leave. */
  private void ties(int n) {
    double v = n * (n - 1.0) * (2.0 * n + 5.0);
    long tied = 0;
    int run = 1;
    for (int i = 1; i <= n; i++) {
      if (i < n && a[i] == a[i - 1]) {
        run++;
      } else {
        if (run > 1) {
          v -= run * (run - 1.0) * (2.0 * run + 5.0);
          tied += (long) run * (run - 1) / 2;
        }
        run = 1;
      }
    }
    tiedPairs = tied;
    variance = v / 18.0;
  }

  /**
   * Sorts {@code a[0..n)} (stable) and returns the number of pairs i &lt; j with a[i] &gt; a[j].
   */
  private long insertionSortCountingInversions(int n) {
    long inversions = 0;
    for (int i = 1; i < n; i++) {
      double x = a[i];
      int j = i;
      while (j > 0 && a[j - 1] > x) {
        a[j] = a[j - 1];
        j--;
      }
      a[j] = x;
      inversions += i - j; // x passed every value above it before it
    }
    return inversions;
  }

  /**
   * Sorts {@code a[0..n)} ascending (stable, bottom-up merge sort; the result is left in {@code a})
   * and returns the number of pairs i &lt; j with a[i] &gt; a[j].
   */
  private long mergeSortCountingInversions(int n) {
    long inversions = 0;
    double[] src = a;
    double[] dst = b;
    for (int width = 1; width < n; width *= 2) {
      for (int lo = 0; lo < n; lo += 2 * width) {
        int mid = Math.min(lo + width, n);
        int hi = Math.min(lo + 2 * width, n);
        int i = lo;
        int j = mid;
        int k = lo;
        while (i < mid && j < hi) {
          if (src[j] < src[i]) {
            inversions += mid - i; // src[j] is below every value left in the left run
            dst[k++] = src[j++];
          } else {
            dst[k++] = src[i++];
          }
        }
        while (i < mid) {
          dst[k++] = src[i++];
        }
        while (j < hi) {
          dst[k++] = src[j++];
        }
      }
      double[] t = src;
      src = dst;
      dst = t;
    }
    a = src;
    b = dst;
    return inversions;
  }
}
