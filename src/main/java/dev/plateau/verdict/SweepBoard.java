package dev.plateau.verdict;

import dev.plateau.config.SweepConfig;
import dev.plateau.detect.Mode;
import dev.plateau.detect.Status;
import dev.plateau.detect.Verdict;
import dev.plateau.series.SeriesKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The watched series of every sweep, compared point by point with their siblings (the same tag, in
 * runs of the same place in sibling experiments: {@code X/train} with {@code Y/train}): each
 * series' {@link SweepTrace} and its last {@link SweepStanding}. A series is compared when a point
 * of its own arrives, with the siblings that have reached that step (or elapsed time), so a run is
 * judged against what its sweep had done by then, as a live daemon sees it. A run ahead of its
 * sweep (fewer than {@code min_siblings} siblings there yet, as the first run to write an epoch of
 * parallel jobs always is) is compared at its own last kept position that enough siblings reached,
 * so that every run is compared, not only those that happen to write last.
 *
 * <p>Memory: a trace of at most {@code max_knots} positions per series, whatever the runs' length.
 * Traces stay when a run's judges leave memory (parking): they are its siblings' yardstick.
 * Comparing costs a lookup per sibling. Written on the feeding thread; standings are read on judge
 * threads too (when an experiment's verdict is combined), so they live in a concurrent map.
 */
final class SweepBoard {
  /** The detector name lagging verdicts carry. */
  static final String DETECTOR = "sweep";

  private final SweepComparator comparator;
  private final Map<String, Group> groups = new HashMap<>();
  private final Map<SeriesKey, SweepStanding> standings = new ConcurrentHashMap<>();
  private final Map<SeriesKey, Long> laggingSince = new ConcurrentHashMap<>();

  /**
   * Series not compared at their newest position for want of siblings there (read before their
   * siblings, as a daemon reading a finished sweep file by file does, or ahead of them): compared
   * again by {@link #compareStale} once their group has new points.
   */
  private final Map<SeriesKey, Stale> stale = new LinkedHashMap<>();

  private double[] siblings = new double[64];

  /** The runs of one sweep on one tag (and split), and a count of the points added to them. */
  private static final class Group {
    final Map<String, SweepTrace> traces = new HashMap<>();
    long version;
  }

  /** A series to compare again, and its group's version when it last was. */
  private record Stale(Group group, double sign, long version) {}

  SweepBoard(SweepConfig config) {
    this.comparator = new SweepComparator(config);
  }

  /**
   * Adds a point of a watched series and compares the series with its siblings. Returns true when
   * whether it lags changed.
   */
  boolean observe(SeriesKey key, Mode mode, long step, double wallTime, double value) {
    SweepConfig config = comparator.config();
    String experiment = Experiments.of(key.run());
    String sweep = Sweeps.of(experiment, config.groups());
    if (sweep == null) {
      return false;
    }
    // The part of the run below its experiment ("/train"), so splits compare with their like.
    String split =
        key.run().length() > experiment.length() ? key.run().substring(experiment.length()) : "";
    Group group = groups.computeIfAbsent(sweep + '\0' + split + '\0' + key.tag(), g -> new Group());
    SweepTrace own =
        group.traces.computeIfAbsent(key.run(), r -> new SweepTrace(config.maxKnots()));
    double sign = mode == Mode.MAX ? -1 : 1;
    boolean wallTimeAxis = config.align() == SweepConfig.Align.WALL_TIME;
    if (!own.add(step, wallTime, wallTimeAxis, sign * value)) {
      return false;
    }
    group.version++;
    return compare(key, group, own, sign);
  }

  /**
   * Compares again the series that could not be compared at their newest position, where their
   * group has had points since. Returns those whose lagging changed.
   */
  List<SeriesKey> compareStale() {
    if (stale.isEmpty()) {
      return List.of();
    }
    List<SeriesKey> changed = new ArrayList<>();
    for (Map.Entry<SeriesKey, Stale> e : new ArrayList<>(stale.entrySet())) {
      Stale s = e.getValue();
      SweepTrace own = s.group().traces.get(e.getKey().run());
      if (own == null) {
        stale.remove(e.getKey());
      } else if (s.group().version != s.version()
          && compare(e.getKey(), s.group(), own, s.sign())) {
        changed.add(e.getKey());
      }
    }
    return changed;
  }

  /** Compares {@code own} with its group; true when whether it lags changed. */
  private boolean compare(SeriesKey key, Group group, SweepTrace own, double sign) {
    SweepConfig config = comparator.config();
    double x = comparedAt(group.traces, own, config.minSiblings());
    if (Double.isNaN(x) || x < own.lastX()) {
      stale.put(key, new Stale(group, sign, group.version));
    } else {
      stale.remove(key);
    }
    if (Double.isNaN(x)) {
      return false;
    }
    int count = 0;
    for (SweepTrace sibling : group.traces.values()) {
      double at = sibling == own ? Double.NaN : sibling.bestAt(x);
      if (!Double.isNaN(at)) {
        siblings[count++] = at;
      }
    }
    SweepStanding before = standings.get(key);
    boolean wasLagging = before != null && before.lagging();
    SweepComparator.Comparison c =
        comparator.compare(own.bestAt(x), own.noise(), own.points(), siblings, count, wasLagging);
    if (c == null) {
      return false;
    }
    long step = own.lastStep();
    standings.put(
        key,
        new SweepStanding(
            c.lagging(),
            step,
            sign * own.bestAt(x),
            sign * c.threshold(),
            c.margin(),
            count,
            config.percentile()));
    if (c.lagging() == wasLagging) {
      return false;
    }
    if (c.lagging()) {
      laggingSince.put(key, step);
    } else {
      laggingSince.remove(key);
    }
    return true;
  }

  /**
   * Where to compare {@code own}: its newest position when at least {@code enough} siblings have
   * reached it, else its last kept position that the {@code enough}-th furthest sibling has reached
   * (NaN when there is none). Leaves the siblings' last positions in {@link #siblings}, sized.
   */
  private double comparedAt(Map<String, SweepTrace> group, SweepTrace own, int enough) {
    if (siblings.length < group.size()) {
      siblings = new double[Math.max(group.size(), siblings.length * 2)];
    }
    double x = own.lastX();
    int count = 0;
    int reached = 0;
    for (SweepTrace sibling : group.values()) {
      if (sibling != own && sibling.points() > 0) {
        siblings[count++] = sibling.lastX();
        if (sibling.lastX() >= x) {
          reached++;
        }
      }
    }
    if (reached >= enough || count < enough) {
      return count < enough ? Double.NaN : x;
    }
    java.util.Arrays.sort(siblings, 0, count);
    return own.positionAtOrBefore(siblings[count - enough]);
  }

  /** The series' last standing in its sweep, or null before its first comparison. */
  @Nullable SweepStanding standing(SeriesKey key) {
    return standings.get(key);
  }

  /**
   * {@code series} as a lagging verdict (detector {@value #DETECTOR}, decided at the step it began
   * to lag, the sweep's figures as evidence), or null when it does not lag.
   */
  @Nullable Verdict laggingVerdict(Verdict series) {
    SeriesKey key = new SeriesKey(series.run(), series.tag());
    return laggingVerdict(series, standings.get(key), laggingSince.get(key));
  }

  /** The step at which the series began to lag, or null when it does not lag. */
  @Nullable Long laggingSince(SeriesKey key) {
    return laggingSince.get(key);
  }

  /**
   * {@code series} as a lagging verdict from its standing {@code s} and the step it began to lag
   * ({@code since}), as {@link #laggingVerdict(Verdict)} makes it; null when it does not lag.
   */
  static @Nullable Verdict laggingVerdict(
      Verdict series, @Nullable SweepStanding s, @Nullable Long since) {
    if (s == null || !s.lagging() || since == null) {
      return null;
    }
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("sweep_percentile", s.percentile());
    evidence.put("sweep_threshold", s.threshold());
    evidence.put("sweep_margin", s.margin());
    evidence.put("sweep_siblings", s.siblings());
    evidence.put("compared_at_step", s.step());
    evidence.put("best_so_far", s.value());
    String reason =
        String.format(
            java.util.Locale.ROOT,
            "best %.4g at step %d is behind its sweep: the %s of %d siblings is %.4g (margin %.3g)",
            s.value(),
            s.step(),
            s.percentile() == 50 ? "median" : "p" + (int) Math.round(s.percentile()),
            s.siblings(),
            s.threshold(),
            s.margin());
    return new Verdict(
        series.run(),
        series.tag(),
        series.mode(),
        Status.LAGGING,
        DETECTOR,
        since,
        series.bestStep(),
        series.bestValue(),
        series.lastStep(),
        series.points(),
        evidence,
        reason);
  }
}
