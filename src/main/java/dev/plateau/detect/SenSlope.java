package dev.plateau.detect;

import java.util.Arrays;

/**
 * The plateau detector's trend statistics over a window of values x[0..w) taken at positions
 * 0..w&minus;1: the Theil–Sen slope (median of the pairwise slopes), its Sen confidence bounds (the
 * slopes of rank m1 and m2 around it, from the Mann–Kendall variance corrected for the lag-1
 * autocorrelation of the detrended residuals, one-sided at z), the Mann–Kendall z, and that
 * autocorrelation. Results are left in fields, so an estimate allocates nothing.
 *
 * <p>Only three order statistics of the w(w&minus;1)/2 slopes are needed, so they are selected
 * ({@link OrderStatistics}) rather than sorted: the median first, then the bounds. The Mann–Kendall
 * S comes from one sort of the window ({@link MannKendall}), so the O(w²) loop over pairs only
 * divides. The results are those of sorting the slopes and counting every pair's sign, to the last
 * bit; a window with a value that is not finite (whose slopes may be NaN) is done that way. The
 * bounds are selected from the narrowest range the median's selection left partitioned ({@link
 * OrderStatistics.Selection}), and a caller that needs only one bound, or no Mann–Kendall z, says
 * so ({@link #LOWER}, {@link #UPPER}, {@link #MANN_KENDALL}): what is not asked for is NaN. A
 * caller estimating the same window again and again as it moves passes a {@link Hint}: then only
 * the slopes near the order statistics of the last estimate are kept and selected from.
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
    estimate(x, from, w, ALL, null);
  }

  /**
   * Two slope values expected to bracket the order statistics the next estimate of the same window
   * (one bin later) needs: kept by the caller between its estimates, updated by each. A hint only
   * saves time; the results are the same with any hint, or none.
   */
  static final class Hint {
    double lo = Double.NaN;
    double hi = Double.NaN;

    /** The median slope of the last estimate: how far it moves tells how far the next may. */
    double median = Double.NaN;

    boolean usable() {
      return lo <= hi; // false while either is NaN
    }

    void forget() {
      lo = Double.NaN;
      hi = Double.NaN;
      median = Double.NaN;
    }
  }

  /** Windows with fewer pairs than this are not worth a bracket. */
  private static final int HINTED_FROM_PAIRS = 120;

  // Where the slopes stand: all of them sorted, all of them unsorted, or (with a hint) only those
  // within the hint's values, at slopes[0..bracketSize), above bracketBase slopes below them.
  private static final int SORTED = 0;
  private static final int ALL_SLOPES = 1;
  private static final int BRACKET = 2;
  private int layout;
  private int bracketBase;
  private int bracketSize;
  private boolean missed;

  /**
   * Estimates over {@code x[from..from+w)}, {@code w >= 2}: the slope and lag-1 autocorrelation
   * always, the bounds and the Mann–Kendall z asked for in {@code wanted} (else NaN).
   *
   * <p>With a usable {@code hint}, every slope is computed but only those within the hint's values
   * are kept (those below are counted), and the order statistics are selected among them: about a
   * quarter of the slopes when the window moved by a bin since the hint was made. When a rank
   * needed falls outside them (a few percent of the estimates of a moving window), the estimate is
   * made again from every slope. Either way the hint is updated for the next estimate.
   */
  void estimate(double[] x, int from, int w, int wanted, Hint hint) {
    if (w < 2) {
      throw new IllegalStateException("a Theil-Sen slope needs at least 2 points, got " + w);
    }
    boolean finite = allFinite(x, from, w);
    int pairs = w * (w - 1) / 2;
    long s;
    if (finite) {
      // S counted in O(w log w) (the same count: for finite values the sign of a slope is the
      // order of its pair), so the O(w²) loops below only divide.
      s = (wanted & MANN_KENDALL) != 0 ? mannKendall.s(x, from, from + w) : 0;
      boolean done = false;
      if (hint != null && hint.usable() && pairs >= HINTED_FROM_PAIRS) {
        bracket(x, from, w, hint.lo, hint.hi);
        done = orderStatistics(x, from, w, pairs, wanted, hint);
      }
      if (!done) {
        fill(x, from, w);
        layout = ALL_SLOPES;
        missed = false;
        selection.start(slopes, 0, pairs);
        orderStatistics(x, from, w, pairs, wanted, hint);
      }
    } else {
      int filled = 0;
      s = 0;
      for (int i = 0; i < w - 1; i++) {
        double xi = x[from + i];
        for (int k = i + 1; k < w; k++) {
          double d = x[from + k] - xi;
          slopes[filled++] = d / (k - i);
          if (d > 0) {
            s++;
          } else if (d < 0) {
            s--;
          }
        }
      }
      Arrays.sort(slopes, 0, pairs); // a NaN slope may be among them: only a sort ranks it
      layout = SORTED;
      missed = false;
      orderStatistics(x, from, w, pairs, wanted, null);
      if (hint != null) {
        hint.forget();
      }
    }
    mkZ =
        (wanted & MANN_KENDALL) == 0
            ? Double.NaN
            : s == 0 ? 0 : (s - Long.signum(s)) / Math.sqrt(variance);
  }

  /** The variance of S the last estimate used. */
  private double variance;

  /** Every slope of the window, into slopes[0..w(w-1)/2) (a loop the compiler vectorises). */
  private void fill(double[] x, int from, int w) {
    int filled = 0;
    for (int i = 0; i < w - 1; i++) {
      double xi = x[from + i];
      int at = filled - i - 1;
      for (int k = i + 1; k < w; k++) {
        slopes[at + k] = (x[from + k] - xi) / (k - i);
      }
      filled += w - 1 - i;
    }
  }

  /**
   * Every slope of the window, then those from lo to hi (inclusive, compared as numbers) moved to
   * slopes[0..bracketSize) and those below lo counted in bracketBase, without a branch on values.
   */
  private void bracket(double[] x, int from, int w, double lo, double hi) {
    fill(x, from, w);
    int pairs = w * (w - 1) / 2;
    int below = 0;
    int kept = 0;
    for (int p = 0; p < pairs; p++) {
      double v = slopes[p];
      below += v < lo ? 1 : 0;
      slopes[kept] = v;
      kept += (v >= lo) & (v <= hi) ? 1 : 0;
    }
    layout = BRACKET;
    bracketBase = below;
    bracketSize = kept;
    missed = false;
    selection.start(slopes, 0, kept);
  }

  /**
   * The slope, its bounds and the lag-1 autocorrelation from the slopes as {@link #layout} holds
   * them; false, with nothing set, when a bracket misses a rank needed. Updates {@code hint}.
   */
  private boolean orderStatistics(double[] x, int from, int w, int pairs, int wanted, Hint hint) {
    int mid = pairs / 2;
    double atMid = ranked(pairs, mid);
    double b = pairs % 2 == 1 ? atMid : 0.5 * (ranked(pairs, mid - 1) + atMid);
    if (missed) {
      return false;
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
    double v = w * (w - 1.0) * (2.0 * w + 5.0) / 18.0;
    v *= 1.0 + 2.0 * (w - 3) * Math.max(0, r1) / w;
    double c = z * Math.sqrt(v);
    // Usually m1 <= mid <= m2; a NaN variance, from residuals too large to square, puts both
    // bounds at rank 0.
    int m1 = clamp((int) Math.floor((pairs - c) / 2), pairs);
    int m2 = clamp((int) Math.ceil((pairs + c) / 2), pairs);
    double low = (wanted & LOWER) != 0 ? ranked(pairs, m1) : Double.NaN;
    double up = (wanted & UPPER) != 0 ? ranked(pairs, m2) : Double.NaN;
    if (missed) {
      return false;
    }
    if (hint != null) {
      // Next time, bracket what was needed now, a margin of ranks for the window's move, and
      // twice as far again as the median last moved (the slopes drift towards zero as the window
      // moves along a flattening curve). The margin is turned into a distance between slopes by
      // the density of slopes between the median and the bound, so no further rank is selected.
      double first;
      double last;
      int ranks;
      if ((wanted & LOWER) != 0) {
        first = low;
        last = atMid;
        ranks = mid - m1;
      } else {
        first = pairs % 2 == 1 ? atMid : ranked(pairs, mid - 1);
        last = (wanted & UPPER) != 0 ? up : atMid;
        ranks = (wanted & UPPER) != 0 ? m2 - mid : 1;
      }
      double margin = (last - first) * (4.0 + pairs / 25.0) / Math.max(1, ranks);
      double drift = Double.isNaN(hint.median) ? 0 : 2 * (b - hint.median);
      hint.lo = first - margin + Math.min(0, drift);
      hint.hi = last + margin + Math.max(0, drift);
      hint.median = b;
    }
    slope = b;
    lower = low;
    upper = up;
    lag1 = r1;
    variance = v;
    return true;
  }

  /**
   * The slope of rank {@code k} among all {@code pairs}; with a bracket that misses it, NaN and
   * {@link #missed}.
   */
  private double ranked(int pairs, int k) {
    switch (layout) {
      case SORTED:
        return slopes[k];
      case ALL_SLOPES:
        return OrderStatistics.signedZero(slopes, pairs, k, selection.select(k));
      default:
        int local = k - bracketBase;
        if (local < 0 || local >= bracketSize) {
          missed = true;
          return Double.NaN;
        }
        // A zero in the bracket means lo <= 0: every slope below the bracket is negative, so
        // the zero's sign follows from the negative slopes within it.
        return OrderStatistics.signedZero(slopes, bracketSize, local, selection.select(local));
    }
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
