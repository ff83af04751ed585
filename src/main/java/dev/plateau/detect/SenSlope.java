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
 * it, each within its side of the median. The Mann–Kendall S comes from one sort of the window
 * ({@link MannKendall}), so the O(w²) loop over pairs only divides. The results are those of
 * sorting the slopes and counting every pair's sign, to the last bit; a window with a value that
 * is not finite (whose slopes may be NaN) is done that way.
 */
final class SenSlope {
  private final double z;
  private final double[] slopes;
  private final double[] residuals;
  private final MannKendall mannKendall = new MannKendall();

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
    boolean finite = allFinite(x, from, w);
    int pairs;
    long s;
    if (finite) {
      // S counted in O(w log w) (the same count: for finite values the sign of a slope is the
      // order of its pair), so the O(w²) loop below only divides.
      s = mannKendall.s(x, from, from + w);
      pairs = 0;
      for (int i = 0; i < w - 1; i++) {
        double xi = x[from + i];
        int at = pairs - i - 1;
        for (int k = i + 1; k < w; k++) {
          slopes[at + k] = (x[from + k] - xi) / (k - i);
        }
        pairs += w - 1 - i;
      }
    } else {
      pairs = 0;
      s = 0;
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
      Arrays.sort(slopes, 0, pairs); // a NaN slope may be among them: only a sort ranks it
    }
    boolean sorted = !finite;
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
    slope = b;
    lower = ranked(pairs, m1, mid, atMid, sorted);
    upper = ranked(pairs, m2, mid, atMid, sorted);
    mkZ = s == 0 ? 0 : (s - Long.signum(s)) / Math.sqrt(variance);
    lag1 = r1;
  }

  /**
   * The slope of rank {@code k} among all {@code pairs}, once the median (rank {@code mid}) is in
   * place: every slope of lower rank lies before it, so rank k is selected on its side only.
   * (Usually m1 &le; mid &le; m2; a NaN variance, from residuals too large to square, puts both
   * bounds at rank 0.)
   */
  private double ranked(int pairs, int k, int mid, double atMid, boolean sorted) {
    if (k == mid) {
      return atMid;
    }
    return k < mid
        ? orderStatistic(pairs, k, 0, mid, sorted)
        : orderStatistic(pairs, k, mid + 1, pairs, sorted);
  }

  /** The slope of rank {@code k} among all {@code pairs}, selected within {@code [from, to)}. */
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
