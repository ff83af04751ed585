package dev.plateau.bench;

import java.util.Arrays;

/** Order statistics of a handful of measurements. */
final class Stats {
  private Stats() {}

  static double median(double[] xs) {
    return percentile(xs, 50);
  }

  /** The nearest-rank percentile (NaN for no values). */
  static double percentile(double[] xs, double p) {
    if (xs.length == 0) {
      return Double.NaN;
    }
    double[] sorted = xs.clone();
    Arrays.sort(sorted);
    if (p == 50 && sorted.length % 2 == 0) {
      return 0.5 * (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]);
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  static double min(double[] xs) {
    return Arrays.stream(xs).min().orElse(Double.NaN);
  }

  static double max(double[] xs) {
    return Arrays.stream(xs).max().orElse(Double.NaN);
  }
}
