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
    if (!comparable(best, points, count)) {
      return null;
    }
    return judge(best, noise, percentile(siblings, count, config.percentile()), wasLagging);
  }

  /**
   * Whether a run can be compared: past its {@code grace_points}, with a finite best and at least
   * {@code min_siblings} siblings.
   */
  public boolean comparable(double best, long points, int count) {
    return points >= config.gracePoints() && count >= config.minSiblings() && Double.isFinite(best);
  }

  /**
   * The comparison of a {@link #comparable} run whose siblings' percentile is already known (as
   * {@link #compare} would take it, with {@link #lowerRank} and {@link #interpolate}).
   *
   * @param best the run's best value so far (lower is better)
   * @param noise the run's noise deviation
   * @param threshold the siblings' {@code percentile} at the same position
   * @param wasLagging whether the run was lagging at its last comparison
   * @return whether it lags, with the threshold and margin (oriented: lower is better)
   */
  public Comparison judge(double best, double noise, double threshold, boolean wasLagging) {
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
    int below = lowerRank(n, p);
    select(values, n, below);
    if (!needsNext(n, p)) {
      return values[below];
    }
    double high = values[below + 1];
    for (int i = below + 2; i < n; i++) {
      high = Math.min(high, values[i]);
    }
    return interpolate(values[below], high, n, p);
  }

  /** The rank (from 0) of the order statistic at or below the {@code p}-th percentile of n. */
  static int lowerRank(int n, double p) {
    return (int) Math.floor((n - 1) * p / 100.0);
  }

  /** Whether the {@code p}-th percentile of n lies strictly between two order statistics. */
  static boolean needsNext(int n, double p) {
    double rank = (n - 1) * p / 100.0;
    int below = (int) Math.floor(rank);
    return below + 1 < n && rank != below;
  }

  /**
   * The {@code p}-th percentile of n from its order statistics at {@link #lowerRank} ({@code low})
   * and the next one ({@code high}, read only when {@link #needsNext}).
   */
  static double interpolate(double low, double high, int n, double p) {
    double rank = (n - 1) * p / 100.0;
    int below = (int) Math.floor(rank);
    if (below + 1 >= n || rank == below) {
      return low;
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
