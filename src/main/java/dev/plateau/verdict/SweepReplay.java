package dev.plateau.verdict;

import dev.plateau.config.ConfigException;
import dev.plateau.config.DetectionConfig;
import dev.plateau.config.SeriesPlan;
import dev.plateau.detect.Mode;
import dev.plateau.series.SeriesKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sweep comparison of a logdir computed apart from its detectors, so that experiments can be
 * judged one by one ({@link SweepOverlay}): fed the points of the series its experiments' judges
 * would watch, in the order a judge of the whole logdir is fed them (every run's kept points merged
 * by wall time), it runs the one {@link SweepBoard} that judge runs and records, per experiment,
 * where the lagging of a series changed and the standings then. The detectors' verdicts never read
 * the board, so nothing else of the judge is needed.
 *
 * <p>Which series are watched is decided as an experiment judged alone decides it: a series the
 * configuration plans, within {@code max_series_per_run} and {@code max_series} counted in its
 * experiment, in the order the series first appear, whose detectors can be built.
 *
 * <p>Memory: the board's bounded traces, and a map of standings per change of lagging. Not
 * thread-safe.
 */
public final class SweepReplay {
  private final DetectionConfig config;
  private final SweepBoard board;
  private final Map<SeriesKey, Fed> series = new HashMap<>();
  private final Map<String, Experiment> experiments = new LinkedHashMap<>();

  /** A series met: its mode and experiment when watched, else not fed to the board. */
  private record Fed(boolean watched, Mode mode, Experiment experiment) {}

  /** An experiment's watched series, its points fed so far and the changes of lagging found. */
  private static final class Experiment {
    final List<SeriesKey> watched = new ArrayList<>();
    final Map<String, Integer> watchedOfRun = new HashMap<>();
    final List<SweepOverlay.Change> changes = new ArrayList<>(0);
    long points;
  }

  public SweepReplay(DetectionConfig config) {
    this.config = config;
    this.board = new SweepBoard(config.sweep());
  }

  /**
   * Whether the points of {@code run}'s series {@code tag} are to be fed: its experiment belongs to
   * a sweep and the configuration plans the series (safe on any thread).
   */
  public static boolean feeds(DetectionConfig config, String run, String tag) {
    return config.sweep().enabled()
        && Sweeps.of(Experiments.of(run), config.sweep().groups()) != null
        && config.plan(run, tag).isPresent();
  }

  /** A point of a series {@link #feeds} names, in the whole logdir's wall-time order. */
  public void observe(String run, String tag, long step, double wallTime, double value) {
    SeriesKey key = new SeriesKey(run, tag);
    Fed fed = series.get(key);
    if (fed == null) {
      fed = firstPoint(key);
      series.put(key, fed);
    }
    if (!fed.watched()) {
      return;
    }
    Experiment e = fed.experiment();
    e.points++;
    if (board.observe(key, fed.mode(), step, wallTime, value)) {
      e.changes.add(new SweepOverlay.Change(e.points, lagging(e)));
    }
  }

  /**
   * Ends the replay as the whole logdir's judge ends it ({@link LogdirJudge#atTime}: stale series
   * compared again) and gives each experiment's overlay, by name; experiments where nothing ever
   * lagged are left out ({@link SweepOverlay#NONE}).
   */
  public Map<String, SweepOverlay> finish() {
    Map<String, Map<SeriesKey, SweepOverlay.Lag>> beforeStale = new HashMap<>();
    for (Map.Entry<String, Experiment> e : experiments.entrySet()) {
      beforeStale.put(e.getKey(), lagging(e.getValue()));
    }
    java.util.Set<String> staleChanged = new java.util.HashSet<>();
    for (SeriesKey key : board.compareStale()) {
      staleChanged.add(Experiments.of(key.run()));
    }
    Map<String, SweepOverlay> out = new HashMap<>();
    for (Map.Entry<String, Experiment> e : experiments.entrySet()) {
      SweepOverlay overlay =
          new SweepOverlay(
              List.copyOf(e.getValue().changes),
              beforeStale.get(e.getKey()),
              lagging(e.getValue()),
              staleChanged.contains(e.getKey()));
      if (!overlay.isEmpty()) {
        out.put(e.getKey(), overlay);
      }
    }
    return out;
  }

  private Fed firstPoint(SeriesKey key) {
    String name = Experiments.of(key.run());
    Experiment e = experiments.computeIfAbsent(name, n -> new Experiment());
    Optional<SeriesPlan> plan = config.plan(key.run(), key.tag());
    if (plan.isEmpty()
        || e.watchedOfRun.getOrDefault(key.run(), 0) >= config.maxSeriesPerRun()
        || e.watched.size() >= config.maxSeries()) {
      return new Fed(false, Mode.MIN, e);
    }
    try {
      new WatchedSeries(key, plan.get(), config.schedule().judgeParams()).buildJudge();
    } catch (ConfigException ex) {
      return new Fed(false, Mode.MIN, e); // not watched by its judge either
    }
    e.watched.add(key);
    e.watchedOfRun.merge(key.run(), 1, Integer::sum);
    return new Fed(true, plan.get().mode(), e);
  }

  /** The lagging standings of an experiment's watched series now. */
  private Map<SeriesKey, SweepOverlay.Lag> lagging(Experiment e) {
    Map<SeriesKey, SweepOverlay.Lag> out = new HashMap<>();
    for (SeriesKey key : e.watched) {
      SweepStanding s = board.standing(key);
      Long since = board.laggingSince(key);
      if (s != null && s.lagging() && since != null) {
        out.put(key, new SweepOverlay.Lag(s, since));
      }
    }
    return out.isEmpty() ? Map.of() : Map.copyOf(out);
  }
}
