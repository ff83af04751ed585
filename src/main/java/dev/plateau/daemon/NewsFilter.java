package dev.plateau.daemon;

import dev.plateau.detect.Verdict;
import dev.plateau.series.Series;
import dev.plateau.series.SeriesKey;
import dev.plateau.verdict.ExperimentVerdict;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Whether an experiment's change of status is news or history ({@code alerts.ignore_older}): it is
 * history when the experiment's newest point, by its writer's wall time, is older than the limit,
 * as every finished run of a logdir Plateau reads for the first time is. History is recorded, shown
 * and flagged, but not sent. An experiment whose points carry no usable wall time is news.
 */
final class NewsFilter {
  private final Duration ignoreOlder;
  private final Function<SeriesKey, @Nullable Series> kept;

  /**
   * @param ignoreOlder the limit; zero sends every change
   * @param kept the points kept of a series (null when none are)
   */
  NewsFilter(Duration ignoreOlder, Function<SeriesKey, @Nullable Series> kept) {
    this.ignoreOlder = ignoreOlder;
    this.kept = kept;
  }

  /** Every change is news. */
  static NewsFilter everything() {
    return new NewsFilter(Duration.ZERO, key -> null);
  }

  /** The limit (zero: none). */
  Duration ignoreOlder() {
    return ignoreOlder;
  }

  /** How old the experiment's newest point is at {@code now}; null when no point tells. */
  @Nullable Duration age(ExperimentVerdict experiment, Instant now) {
    double newest = Double.NEGATIVE_INFINITY;
    for (Verdict v : experiment.series()) {
      Series series = kept.apply(new SeriesKey(v.run(), v.tag()));
      if (series != null && !series.isEmpty()) {
        double wall = series.wallTime(series.size() - 1);
        if (Double.isFinite(wall) && wall > newest) {
          newest = wall;
        }
      }
    }
    if (newest == Double.NEGATIVE_INFINITY) {
      return null;
    }
    long millis = now.toEpochMilli() - Math.round(newest * 1000);
    return Duration.ofMillis(Math.max(0, millis));
  }

  /** Whether the experiment's change is to be sent: no limit, no age known, or within the limit. */
  boolean isNews(@Nullable Duration age) {
    return ignoreOlder.isZero() || age == null || age.compareTo(ignoreOlder) <= 0;
  }
}
