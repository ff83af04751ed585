package dev.plateau.verdict;

import dev.plateau.config.DetectionConfig;
import dev.plateau.series.RunSeries;
import dev.plateau.series.ScalarPoint;
import dev.plateau.series.Series;
import dev.plateau.series.SeriesKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The points a judge keeps, per run and tag (the restart rule applied by {@link RunSeries}), and
 * how many: every point by default; with {@link #bound}, a bounded number per watched series and
 * none per unwatched one, except for runs being read again, which keep every point until {@link
 * #compact}.
 *
 * <p>Not thread-safe: the judge's feeding thread uses it.
 */
final class KeptSeries {
  private final DetectionConfig config;
  private final Map<String, RunSeries> runs = new LinkedHashMap<>();
  private int historyLimit = Series.UNBOUNDED;

  /**
   * Runs being read again from their files' start: they keep every point until {@link #compact}.
   */
  private final Set<String> readingAgain = new HashSet<>();

  KeptSeries(DetectionConfig config) {
    this.config = config;
  }

  /** See {@link LogdirJudge#boundHistory}. */
  void bound(int pointsPerWatchedSeries) {
    if (pointsPerWatchedSeries < 2) {
      throw new IllegalArgumentException(
          "a watched series must keep at least 2 points, got " + pointsPerWatchedSeries);
    }
    this.historyLimit = pointsPerWatchedSeries;
  }

  /** The series kept per run. */
  Map<String, RunSeries> runs() {
    return runs;
  }

  /**
   * Keeps a point ({@code newSeries}: the first of its series, which gets its limit); returns how
   * many points its series dropped (a restart of the run).
   */
  int add(ScalarPoint point, boolean newSeries) {
    RunSeries run = runs.computeIfAbsent(point.run(), RunSeries::new);
    return run.add(
        point, newSeries ? limitOf(new SeriesKey(point.run(), point.tag())) : Series.UNBOUNDED);
  }

  /** Makes a run known before any of its points arrive. */
  void register(String run) {
    runs.computeIfAbsent(run, RunSeries::new);
  }

  /** The points kept of a run, or null for a run not known. */
  @Nullable RunSeries run(String run) {
    return runs.get(run);
  }

  /** The points kept of a series, or null for a series not known. */
  @Nullable Series series(SeriesKey key) {
    RunSeries run = runs.get(key.run());
    return run == null ? null : run.byTag().get(key.tag());
  }

  /** A run is about to be read again from its files' start: it keeps every point for now. */
  void readingAgain(String run) {
    readingAgain.add(run);
  }

  /** See {@link LogdirJudge#compact}. */
  void compact() {
    if (readingAgain.isEmpty() || historyLimit == Series.UNBOUNDED) {
      readingAgain.clear();
      return;
    }
    List<String> done = new ArrayList<>(readingAgain);
    readingAgain.clear();
    for (String runName : done) {
      RunSeries run = runs.get(runName);
      if (run != null) {
        run.byTag().forEach((tag, series) -> series.limitTo(limitOf(new SeriesKey(runName, tag))));
      }
    }
  }

  private int limitOf(SeriesKey key) {
    if (historyLimit == Series.UNBOUNDED || readingAgain.contains(key.run())) {
      return Series.UNBOUNDED;
    }
    return config.plan(key.run(), key.tag()).isPresent() ? historyLimit : 0;
  }

  /** See {@link LogdirJudge#runsByExperiment}. */
  Map<String, Set<String>> runsByExperiment() {
    Map<String, Set<String>> out = new HashMap<>();
    for (String run : runs.keySet()) {
      out.computeIfAbsent(Experiments.of(run), e -> new TreeSet<>()).add(run);
    }
    return out;
  }

  /** Forgets the points of runs {@code gone}. */
  void evict(Set<String> gone) {
    runs.keySet().removeAll(gone);
  }
}
