package dev.plateau.tune;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Scores a stop on a finished curve, by the definitions of the project's evaluation tool ({@code
 * detect_eval.py}), so that {@code plateau tune} and the tool give the same figures.
 *
 * <p>Values are oriented so that lower is better (a {@code max} metric's values are negated by the
 * caller). The curve's <em>level</em> is a centred moving average over 2·⌊T/40⌋+1 points (3 for 50
 * epochs), so a lucky dip of noise is not taken for the best. With b* the best finite level and R
 * its range: regret = (level[kept] − b*) / R; savings = (T − 1 − at) / (T − 1). The noise floor is
 * two standard errors of the level over R, with a point's noise from the median absolute first
 * difference.
 */
public final class CurveScore {
  private CurveScore() {}

  /** The score of {@code stop} (null: never stopped) on the curve {@code values}. */
  public static Score score(double[] values, @Nullable Stop stop) {
    if (stop == null) {
      return Score.NOT_STOPPED;
    }
    int n = values.length;
    double[] level = level(values);
    double[] bestRange = bestAndRange(level);
    double kept;
    if (stop.kept() < n && Double.isFinite(level[stop.kept()])) {
      kept = level[stop.kept()];
    } else {
      kept = Double.NEGATIVE_INFINITY;
      for (double x : level) {
        if (Double.isFinite(x)) {
          kept = Math.max(kept, x);
        }
      }
    }
    double regret = (kept - bestRange[0]) / bestRange[1];
    double savings = n > 1 ? (double) (n - 1 - stop.at()) / (n - 1) : 0;
    return new Score(savings, regret, true, noiseFloor(values, level, bestRange[1]));
  }

  /** The centred moving average over 2·⌊T/40⌋+1 points, of the finite values in each window. */
  public static double[] level(double[] values) {
    int n = values.length;
    int h = n / 40;
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      double sum = 0;
      int count = 0;
      for (int k = Math.max(0, i - h); k <= Math.min(n - 1, i + h); k++) {
        if (Double.isFinite(values[k])) {
          sum += values[k];
          count++;
        }
      }
      out[i] = count == 0 ? Double.NaN : sum / count;
    }
    return out;
  }

  /** {best, range} of the finite values: range at least 1e-12; {0, 1} when none is finite. */
  static double[] bestAndRange(double[] values) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double x : values) {
      if (Double.isFinite(x)) {
        min = Math.min(min, x);
        max = Math.max(max, x);
      }
    }
    if (min == Double.POSITIVE_INFINITY) {
      return new double[] {0, 1};
    }
    return new double[] {min, Math.max(max - min, 1e-12)};
  }

  private static double noiseFloor(double[] values, double[] level, double range) {
    double[] d = new double[Math.max(0, values.length - 1)];
    int m = 0;
    for (int k = 0; k + 1 < values.length; k++) {
      if (Double.isFinite(values[k]) && Double.isFinite(values[k + 1])) {
        d[m++] = Math.abs(values[k + 1] - values[k]);
      }
    }
    if (m == 0) {
      return 0;
    }
    double[] sorted = Arrays.copyOf(d, m);
    Arrays.sort(sorted);
    double sigma = sorted[m / 2] / (0.6745 * Math.sqrt(2));
    return 2 * sigma / Math.sqrt(2 * (values.length / 40) + 1) / range;
  }

  /**
   * Whether every value is finite (curves with a NaN or infinity are scored apart, as diverged).
   */
  public static boolean allFinite(double[] values) {
    for (double x : values) {
      if (!Double.isFinite(x)) {
        return false;
      }
    }
    return true;
  }
}
