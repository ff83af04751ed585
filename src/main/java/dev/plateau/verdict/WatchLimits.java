package dev.plateau.verdict;

import dev.plateau.config.DetectionConfig;
import dev.plateau.series.SeriesKey;
import java.util.HashSet;
import java.util.Set;

/**
 * {@code detection.max_series_per_run} and {@code detection.max_series}: whether a new series may
 * be watched, and telling the listener once per run (and once for the logdir) what was left out. A
 * series left out is still read, and may be watched after a restart if others left.
 *
 * <p>Not thread-safe: the judge's feeding thread uses it.
 */
final class WatchLimits {
  private final DetectionConfig config;
  private final VerdictListener listener;

  /** Runs already told that they have more series than they may watch. */
  private final Set<String> toldOverLimit = new HashSet<>();

  private boolean toldLogdirOverLimit;

  WatchLimits(DetectionConfig config, VerdictListener listener) {
    this.config = config;
    this.listener = listener;
  }

  /**
   * Whether new series {@code key} would pass a limit, its run watching {@code watchedOfRun} series
   * and the logdir {@code watched}; if so, the run or the logdir is told, once.
   */
  boolean over(SeriesKey key, int watchedOfRun, int watched) {
    if (watchedOfRun >= config.maxSeriesPerRun()) {
      if (toldOverLimit.add(key.run())) {
        listener.problem(
            "run '"
                + key.run()
                + "' has "
                + watchedOfRun
                + " watched series, the limit (detection.max_series_per_run);"
                + " tag '"
                + key.tag()
                + "' and any further new tags of this run are not watched");
      }
      return true;
    }
    if (watched >= config.maxSeries()) {
      if (!toldLogdirOverLimit) {
        toldLogdirOverLimit = true;
        listener.problem(
            watched
                + " watched series in memory, the limit (detection.max_series); run '"
                + key.run()
                + "' tag '"
                + key.tag()
                + "' and further new series are not watched while it holds");
      }
      return true;
    }
    return false;
  }
}
