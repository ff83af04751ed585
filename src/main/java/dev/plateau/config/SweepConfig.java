package dev.plateau.config;

import dev.plateau.match.Glob;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * How runs of one sweep are compared ({@code detection.sweep} and {@code detection.sweeps}): which
 * runs are siblings, on which axis they are aligned, and when a run counts as {@code lagging}.
 *
 * <p>A run is lagging when, after {@code grace_points} points of its own, its best value so far is
 * worse than the {@code percentile} of its siblings' best values at the same step (or elapsed wall
 * time), by more than {@code noise_sigmas} of its own noise deviations, with at least {@code
 * min_siblings} siblings there to compare with. The defaults are the median stopping rule of the
 * literature (Google Vizier; Optuna's {@code MedianPruner}, which also waits for 5 trials), with a
 * noise margin and a grace period so that a noisy or slow-starting run is not cut on a fluke:
 *
 * @param enabled whether runs are compared with their siblings at all (default true)
 * @param groups {@code detection.sweeps}: globs over experiment names; an experiment matching one
 *     belongs to the sweep named by that glob (the first that matches). Empty (the default): the
 *     experiments of one parent directory are a sweep.
 * @param align {@code step} (default) or {@code wall_time} (seconds since the run's first point)
 * @param percentile the share of siblings, counted from the best, that a run must keep up with: 50
 *     (the median, default) compares with the middle run, 75 only cuts runs behind three quarters
 *     of their siblings (gentler), 25 keeps only runs among the best quarter (harsher)
 * @param noiseSigmas how many of the run's own noise deviations (from its second differences, so a
 *     trend is not noise) it must be behind by (default 2)
 * @param gracePoints the points a run has before it is compared (default 5: the first evaluations
 *     of a run say more about its initialisation than about where it goes)
 * @param minSiblings the fewest siblings at the same step for a comparison (default 5)
 * @param maxKnots the most aligned values kept per run and tag (default 64; more points thin the
 *     kept ones evenly, so memory does not grow with a run's length)
 */
public record SweepConfig(
    boolean enabled,
    List<Glob> groups,
    Align align,
    double percentile,
    double noiseSigmas,
    int gracePoints,
    int minSiblings,
    int maxKnots) {

  /** The axis on which siblings are compared. */
  public enum Align {
    /** The same step. */
    STEP,
    /** The same wall time elapsed since each run's first point. */
    WALL_TIME
  }

  /** The keys of {@code detection.sweep}. */
  static final Set<String> KEYS =
      Set.of(
          "enabled",
          "align",
          "percentile",
          "noise_sigmas",
          "grace_points",
          "min_siblings",
          "max_knots");

  /** The defaults, as with no {@code sweep} section. */
  public static final SweepConfig DEFAULTS =
      new SweepConfig(true, List.of(), Align.STEP, 50, 2, 5, 5, 64);

  public SweepConfig {
    groups = List.copyOf(groups);
  }

  /** Reads {@code detection.sweep} (the rule) and {@code detection.sweeps} (the globs). */
  static SweepConfig parse(ConfigNode sweep, ConfigNode sweeps) throws ConfigException {
    sweep.allowOnly(KEYS);
    List<Glob> groups = new ArrayList<>();
    for (String pattern : sweeps.stringList(List.of())) {
      try {
        groups.add(Glob.compile(pattern));
      } catch (IllegalArgumentException e) {
        throw sweeps.error(e.getMessage());
      }
    }
    SweepConfig d = DEFAULTS;
    return new SweepConfig(
        sweep.get("enabled").bool(d.enabled()),
        groups,
        Align.valueOf(
            sweep
                .get("align")
                .choice("step", List.of("step", "wall_time"))
                .toUpperCase(java.util.Locale.ROOT)),
        sweep.get("percentile").number(d.percentile(), 1, 99),
        sweep.get("noise_sigmas").number(d.noiseSigmas(), 0, 100),
        (int) sweep.get("grace_points").integer(d.gracePoints(), 1, 1_000_000),
        (int) sweep.get("min_siblings").integer(d.minSiblings(), 1, 1_000_000),
        (int) sweep.get("max_knots").integer(d.maxKnots(), 4, 4096));
  }
}
