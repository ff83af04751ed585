package dev.plateau.detect;

import java.util.Arrays;

/**
 * The plateau detector's trend statistics over a window of values x[0..w) taken at positions
 * 0..w&minus;1: the Theil–Sen slope (median of the pairwise slopes), its Sen confidence bounds
 * (the slopes of rank m1 and m2 around it, from the Mann–Kendall variance corrected for the lag-1
 * autocorrelation of the detrended residuals, one-sided at z), the Mann–Kendall z, and that
 * autocorrelation. Results are left in fields, so an estimate allocates nothing.
 *
 * <p>Only three order statistics of the w(w&minus;1)/2 slopes are needed, so they are selected
 * ({@link OrderStatistics}) rather than sorted: the median first, then m1 below it and m2 above
 * it, each within its side of the median. The results are those of sorting the slopes, to the
 * last bit; a window with a value that is not finite (whose slopes may be NaN) is sorted.
 */
final class SenSlope {
  private final double z;
  private final double[] slopes;
  private final double[] residuals;

  /** The Theil–Sen slope per position. */
  double slope;
  /** The slope of rank m1: the fastest decrease the noise allows. */
  double lower;
  /** The slope of rank m2: the fastest increase the noise allows. */
  double upper;
  /** The Mann–Kendall z (with continuity correction), against the corrected variance. */
  double mkZ;
  /** The lag-1 autocorrelation of the residuals around the Theil–Sen line. */
  double lag1;

  SenSlope(int maxWindow, double z) {
    this.z = z;
    this.slopes = new double[maxWindow * (maxWindow - 1) / 2];
    this.residuals = new double[maxWindow];
  }

  /** Estimates over {@code x[from..from+w)}, {@code w >= 2}. */
  void estimate(double[] x, int from, int w) {
    if (w < 2) {
      throw new IllegalStateException("a Theil-Sen slope needs at least 2 points, got " + w);
    }
    int pairs = 0;
    long s = 0;
    for (int i = 0; i < w - 1; i++) {
      double xi = x[from + i];
      for (int k = i + 1; k < w; k++) {
        double d = x[from + k] - xi;
        slopes[pairs++] = d / (k - i);
        if (d > 0) {
          s++;
        } else if (d < 0) {
          s--;
        }
      }
    }
    boolean sorted = !allFinite(x, from, w);
    if (sorted) {
      Arrays.sort(slopes, 0, pairs);
    }
    int mid = pairs / 2;
    double atMid = orderStatistic(pairs, mid, 0, pairs, sorted);
    double b;
    if (pairs % 2 == 1) {
      b = atMid;
    } else {
      double belowMid =
          sorted
              ? slopes[mid - 1]
              : OrderStatistics.signedZero(
                  slopes, pairs, mid - 1, OrderStatistics.max(slopes, 0, mid));
      b = 0.5 * (belowMid + atMid);
    }
    double mean = 0;
    for (int t = 0; t < w; t++) {
      residuals[t] = x[from + t] - b * t;
      mean += residuals[t];
    }
    mean /= w;
    double den = 0;
    double num = 0;
    for (int t = 0; t < w; t++) {
      residuals[t] -= mean;
      den += residuals[t] * residuals[t];
      if (t > 0) {
        num += residuals[t] * residuals[t - 1];
      }
    }
    double r1 = den > 0 ? num / den : 0;
    double variance = w * (w - 1.0) * (2.0 * w + 5.0) / 18.0;
    variance *= 1.0 + 2.0 * (w - 3) * Math.max(0, r1) / w;
    double c = z * Math.sqrt(variance);
    int m1 = clamp((int) Math.floor((pairs - c) / 2), pairs);
    int m2 = clamp((int) Math.ceil((pairs + c) / 2), pairs);
    // c >= 0, so m1 <= mid <= m2: each bound lies on its side of the median.
    slope = b;
    lower = m1 == mid ? atMid : orderStatistic(pairs, m1, 0, mid, sorted);
    upper = m2 == mid ? atMid : orderStatistic(pairs, m2, mid + 1, pairs, sorted);
    mkZ = s == 0 ? 0 : (s - Long.signum(s)) / Math.sqrt(variance);
    lag1 = r1;
  }

  /**
   * The slope of rank {@code k} among all {@code pairs}, selected within {@code [from, to)},
   * which holds rank k's neighbourhood after the earlier selections.
   */
  private double orderStatistic(int pairs, int k, int from, int to, boolean sorted) {
    if (sorted) {
      return slopes[k];
    }
    OrderStatistics.select(slopes, from, to, k);
    return OrderStatistics.signedZero(slopes, pairs, k, slopes[k]);
  }

  private static boolean allFinite(double[] x, int from, int w) {
    for (int t = from; t < from + w; t++) {
      if (!Double.isFinite(x[t])) {
        return false;
      }
    }
    return true;
  }

  private static int clamp(int index, int size) {
    return Math.min(size - 1, Math.max(0, index));
  }
}
