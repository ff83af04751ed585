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
 * is not finite (whose slopes may be NaN) is done that way. The bounds are selected from the
 * narrowest range the median's selection left partitioned ({@link OrderStatistics.Selection}),
 * and a caller that needs only one bound, or no Mann–Kendall z, says so ({@link #LOWER}, {@link
 * #UPPER}, {@link #MANN_KENDALL}): what is not asked for is NaN.
 */
final class SenSlope {
  private final double z;
  private final double[] slopes;
  private final double[] residuals;
  private final MannKendall mannKendall = new MannKendall();
  private final OrderStatistics.Selection selection = new OrderStatistics.Selection();

  /** Ask for {@link #lower}. */
  static final int LOWER = 1;
  /** Ask for {@link #upper}. */
  static final int UPPER = 2;
  /** Ask for {@link #mkZ}. */
  static final int MANN_KENDALL = 4;
  /** Ask for everything. */
  static final int ALL = LOWER | UPPER | MANN_KENDALL;

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

  /** Estimates everything over {@code x[from..from+w)}, {@code w >= 2}. */
  void estimate(double[] x, int from, int w) {
    estimate(x, from, w, ALL);
  }

  /**
   * Estimates over {@code x[from..from+w)}, {@code w >= 2}: the slope and lag-1 autocorrelation
   * always, the bounds and the Mann–Kendall z asked for in {@code wanted} (else NaN).
   */
  void estimate(double[] x, int from, int w, int wanted) {
    if (w < 2) {
      throw new IllegalStateException("a Theil-Sen slope needs at least 2 points, got " + w);
    }
    boolean finite = allFinite(x, from, w);
    int pairs;
    long s;
    if (finite) {
      // S counted in O(w log w) (the same count: for finite values the sign of a slope is the
      // order of its pair), so the O(w²) loop below only divides.
      s = (wanted & MANN_KENDALL) != 0 ? mannKendall.s(x, from, from + w) : 0;
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
    if (!sorted) {
      selection.start(slopes, 0, pairs);
    }
    int mid = pairs / 2;
    double atMid = orderStatistic(pairs, mid, sorted);
    double b = pairs % 2 == 1 ? atMid : 0.5 * (orderStatistic(pairs, mid - 1, sorted) + atMid);
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
    // Usually m1 <= mid <= m2; a NaN variance, from residuals too large to square, puts both
    // bounds at rank 0.
    lower = (wanted & LOWER) != 0 ? orderStatistic(pairs, m1, sorted) : Double.NaN;
    upper = (wanted & UPPER) != 0 ? orderStatistic(pairs, m2, sorted) : Double.NaN;
    mkZ =
        (wanted & MANN_KENDALL) == 0
            ? Double.NaN
            : s == 0 ? 0 : (s - Long.signum(s)) / Math.sqrt(variance);
    lag1 = r1;
  }

  /** The slope of rank {@code k} among all {@code pairs}. */
  private double orderStatistic(int pairs, int k, boolean sorted) {
    if (sorted) {
      return slopes[k];
    }
    return OrderStatistics.signedZero(slopes, pairs, k, selection.select(k));
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
