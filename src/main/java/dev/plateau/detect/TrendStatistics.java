package dev.plateau.detect;

import java.util.Arrays;

/**
 * Robust trend statistics over a short window of values taken in order: the Mann–Kendall test (is
 * there a monotonic trend?) and the Theil–Sen slope (how steep, robust to outliers). Both are
 * rank-based, so they make no assumption about the noise's distribution; both cost O(n²) for n
 * values, which is why callers keep windows short.
 */
public final class TrendStatistics {
  private TrendStatistics() {}

  /**
   * The Mann–Kendall S statistic of {@code values[from..to)}: the number of later-greater pairs
   * minus later-smaller pairs. Positive for an upward trend.
   */
  public static long mannKendallS(double[] values, int from, int to) {
    long s = 0;
    for (int i = from; i < to - 1; i++) {
      double vi = values[i];
      for (int j = i + 1; j < to; j++) {
        double d = values[j] - vi;
        if (d > 0) {
          s++;
        } else if (d < 0) {
          s--;
        }
      }
    }
    return s;
  }

  /** The variance of S under no trend, corrected for tied values. */
  public static double mannKendallVariance(double[] values, int from, int to) {
    double[] sorted = Arrays.copyOfRange(values, from, to);
    Arrays.sort(sorted);
    return tieCorrectedVariance(sorted, to - from);
  }

  /**
   * The variance of S under no trend for the values {@code sorted[0..n)}, already in ascending
   * order, corrected for their tie groups (summed in ascending order, so every caller that walks
   * the same sorted values gets the same bits).
   */
  static double tieCorrectedVariance(double[] sorted, int n) {
    double variance = n * (n - 1.0) * (2.0 * n + 5.0);
    int run = 1;
    for (int i = 1; i <= n; i++) {
      if (i < n && sorted[i] == sorted[i - 1]) {
        run++;
      } else {
        if (run > 1) {
          variance -= run * (run - 1.0) * (2.0 * run + 5.0);
        }
        run = 1;
      }
    }
    return variance / 18.0;
  }

  /**
   * The Mann–Kendall z score of {@code values[from..to)} with the usual continuity correction:
   * above about 1.645 an upward trend is significant at 5% (one-sided), below -1.645 a downward
   * one. Zero for fewer than 3 values or no variance.
   */
  public static double mannKendallZ(double[] values, int from, int to) {
    if (to - from < 3) {
      return 0;
    }
    long s = mannKendallS(values, from, to);
    double variance = mannKendallVariance(values, from, to);
    if (variance <= 0 || s == 0) {
      return 0;
    }
    return (s > 0 ? s - 1 : s + 1) / Math.sqrt(variance);
  }

  /**
   * The Theil–Sen slope of values[from..to) against positions x[from..to): the median of the slopes
   * of all pairs with distinct x. NaN for fewer than 2 values.
   */
  public static double theilSenSlope(double[] x, double[] values, int from, int to) {
    int n = to - from;
    if (n < 2) {
      return Double.NaN;
    }
    double[] slopes = new double[n * (n - 1) / 2];
    int k = 0;
    for (int i = from; i < to - 1; i++) {
      for (int j = i + 1; j < to; j++) {
        double dx = x[j] - x[i];
        if (dx != 0) {
          slopes[k++] = (values[j] - values[i]) / dx;
        }
      }
    }
    if (k == 0) {
      return Double.NaN;
    }
    return median(slopes, k);
  }

  /** The median of the first {@code count} entries (reorders them). */
  public static double median(double[] a, int count) {
    Arrays.sort(a, 0, count);
    int mid = count / 2;
    return count % 2 == 1 ? a[mid] : (a[mid - 1] + a[mid]) / 2;
  }
}
