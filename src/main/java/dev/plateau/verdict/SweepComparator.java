package dev.plateau.verdict;

import dev.plateau.config.SweepConfig;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The lagging rule, on values alone (no runs, no files, no clock): a run is behind its sweep when,
 * past its grace period and with enough siblings to compare with, its best value so far is worse
 * than the siblings' {@code percentile} at the same position by more than its noise margin. Once
 * lagging, it stays so until it is no longer worse than that percentile at all (a hysteresis of one
 * margin, so a run on the edge does not flap between two statuses point after point).
 *
 * <p>Values are oriented so that lower is better (a maximised metric negated by the caller).
 */
public final class SweepComparator {
  private final SweepConfig config;

  public SweepComparator(SweepConfig config) {
    this.config = config;
  }

  /** The configuration this comparator applies. */
  public SweepConfig config() {
    return config;
  }

  /**
   * Compares a run with its siblings, or returns null when it cannot be compared yet (fewer than
   * {@code grace_points} points of its own, or fewer than {@code min_siblings} siblings).
   *
   * @param best the run's best value so far (lower is better)
   * @param noise the run's noise deviation
   * @param points the run's finite points so far
   * @param siblings the siblings' best values at the same position; its first {@code count} are
   *     read, and reordered
   * @param count how many of {@code siblings} to read
   * @param wasLagging whether the run was lagging at its last comparison
   * @return whether it lags, with the threshold and margin (oriented: lower is better)
   */
  public @Nullable Comparison compare(
      double best, double noise, long points, double[] siblings, int count, boolean wasLagging) {
    if (points < config.gracePoints() || count < config.minSiblings() || !Double.isFinite(best)) {
      return null;
    }
    double threshold = percentile(siblings, count, config.percentile());
    double margin = config.noiseSigmas() * noise;
    boolean lagging = wasLagging ? best > threshold : best > threshold + margin;
    return new Comparison(lagging, threshold, margin);
  }

  /**
   * One comparison's outcome, oriented so that lower is better.
   *
   * @param lagging whether the run lags
   * @param threshold the siblings' percentile value
   * @param margin the noise margin
   */
  public record Comparison(boolean lagging, double threshold, double margin) {}

  /**
   * The {@code p}-th percentile (linear between order statistics) of the first {@code n}, by
   * selection (a sweep of thousands of runs is compared at every point: sorting them was most of
   * the rule's cost).
   */
  static double percentile(double[] values, int n, double p) {
    double rank = (n - 1) * p / 100.0;
    int below = (int) Math.floor(rank);
    select(values, n, below);
    double low = values[below];
    if (below + 1 >= n || rank == below) {
      return low;
    }
    double high = values[below + 1];
    for (int i = below + 2; i < n; i++) {
      high = Math.min(high, values[i]);
    }
    return low + (high - low) * (rank - below);
  }

  /** Reorders the first {@code n} so that {@code a[k]} is the k-th smallest, smaller ones first. */
  static void select(double[] a, int n, int k) {
    int from = 0;
    int to = n - 1;
    while (to > from) {
      if (to - from < 16) {
        Arrays.sort(a, from, to + 1);
        return;
      }
      double pivot = median3(a[from], a[(from + to) >>> 1], a[to]);
      int i = from;
      int j = to;
      while (i <= j) {
        while (a[i] < pivot) {
          i++;
        }
        while (a[j] > pivot) {
          j--;
        }
        if (i <= j) {
          double t = a[i];
          a[i] = a[j];
          a[j] = t;
          i++;
          j--;
        }
      }
      if (k <= j) {
        to = j;
      } else if (k >= i) {
        from = i;
      } else {
        return;
      }
    }
  }

  private static double median3(double a, double b, double c) {
    return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
  }
}
