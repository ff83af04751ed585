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
 *
 * <p>Time: each group ({@link SweepGroup}) keeps its runs' last positions sorted, and every run's
 * best so far at the few positions its runs are being compared at, so that where a sweep's runs
 * write each step in turn (parallel jobs, the daemon's live load, {@code check}'s wall-time order)
 * a comparison costs binary searches, not a visit of every sibling; where a run is compared step
 * after step with siblings further on (runs that ran one after another), the cached position moves
 * with it, reading again only the siblings with a kept position in between. A position compared
 * only once is taken by visiting every sibling, as before. Either way the answers are the same to
 * the bit: the cache changes how fast, never what is decided or when.
 *
 * <p>Written on the feeding thread; standings are read on judge threads too (when an experiment's
 * verdict is combined), so they live in a concurrent map.
 */
final class SweepBoard {
  /** The detector name lagging verdicts carry. */
  static final String DETECTOR = "sweep";

  private final SweepComparator comparator;
  private final int cachedPositions;
  private final Map<String, SweepGroup> groups = new HashMap<>();
  private final Map<SeriesKey, Seat> seats = new HashMap<>();
  private final Map<SeriesKey, SweepStanding> standings = new ConcurrentHashMap<>();
  private final Map<SeriesKey, Long> laggingSince = new ConcurrentHashMap<>();

  /**
   * Series not compared at their newest position for want of siblings there (read before their
   * siblings, as a daemon reading a finished sweep file by file does, or ahead of them): compared
   * again by {@link #compareStale} once their group has new points.
   */
  private final Map<SeriesKey, Stale> stale = new LinkedHashMap<>();

  private double[] siblings = new double[64];

  /**
   * Where a watched series is compared, found once (its experiment, sweep and split are names, and
   * names do not change): its group, null when it is in no sweep, and its slot there.
   */
  private record Seat(@Nullable SweepGroup group, int slot) {}

  /** A series to compare again, and its group's version when it last was. */
  private record Stale(SweepGroup group, double sign, long version) {}

  SweepBoard(SweepConfig config) {
    this(config, SweepGroup.CACHED_POSITIONS);
  }

  /**
   * A board whose groups cache the runs' bests at up to {@code cachedPositions} positions each (0:
   * none, every comparison visits every sibling; the same answers, slower).
   */
  SweepBoard(SweepConfig config, int cachedPositions) {
    this.comparator = new SweepComparator(config);
    this.cachedPositions = cachedPositions;
  }

  /**
   * Adds a point of a watched series and compares the series with its siblings. Returns true when
   * whether it lags changed.
   */
  boolean observe(SeriesKey key, Mode mode, long step, double wallTime, double value) {
    SweepConfig config = comparator.config();
    Seat seat = seats.get(key);
    if (seat == null) {
      seat = seat(key);
      seats.put(key, seat);
    }
    SweepGroup group = seat.group();
    if (group == null) {
      return false;
    }
    int own = seat.slot();
    double sign = mode == Mode.MAX ? -1 : 1;
    boolean wallTimeAxis = config.align() == SweepConfig.Align.WALL_TIME;
    if (!group.add(own, step, wallTime, wallTimeAxis, sign * value)) {
      return false;
    }
    return compare(key, group, own, sign);
  }

  /** Where {@code key} is compared: its group and its slot there (no group: in no sweep). */
  private Seat seat(SeriesKey key) {
    SweepConfig config = comparator.config();
    String experiment = Experiments.of(key.run());
    String sweep = Sweeps.of(experiment, config.groups());
    if (sweep == null) {
      return new Seat(null, -1);
    }
    // The part of the run below its experiment ("/train"), so splits compare with their like.
    String split =
        key.run().length() > experiment.length() ? key.run().substring(experiment.length()) : "";
    SweepGroup group =
        groups.computeIfAbsent(
            sweep + '\0' + split + '\0' + key.tag(), g -> new SweepGroup(cachedPositions));
    return new Seat(group, group.slotOf(key.run(), config.maxKnots()));
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
      int own = s.group().slotOf(e.getKey().run());
      if (own < 0) {
        stale.remove(e.getKey());
      } else if (s.group().version() != s.version()
          && compare(e.getKey(), s.group(), own, s.sign())) {
        changed.add(e.getKey());
      }
    }
    return changed;
  }

  /** Compares the series in {@code slot} with its group; true when whether it lags changed. */
  private boolean compare(SeriesKey key, SweepGroup group, int slot, double sign) {
    SweepConfig config = comparator.config();
    SweepTrace own = group.trace(slot);
    double x = group.comparedAt(slot, config.minSiblings());
    if (Double.isNaN(x) || x < own.lastX()) {
      stale.put(key, new Stale(group, sign, group.version()));
    } else {
      stale.remove(key);
    }
    if (Double.isNaN(x)) {
      return false;
    }
    double best = own.bestAt(x);
    SweepGroup.Position cached = group.cachedAt(x, slot);
    int count = cached != null ? cached.siblings(slot) : gatherSiblings(group, own, x);
    if (!comparator.comparable(best, own.points(), count)) {
      return false;
    }
    double threshold =
        cached != null
            ? cached.percentile(slot, count, config.percentile())
            : SweepComparator.percentile(siblings, count, config.percentile());
    SweepStanding before = standings.get(key);
    boolean wasLagging = before != null && before.lagging();
    SweepComparator.Comparison c = comparator.judge(best, own.noise(), threshold, wasLagging);
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
   * Puts the siblings' bests at {@code x} in {@link #siblings}, visiting every one (a position the
   * group does not cache); returns how many there are.
   */
  private int gatherSiblings(SweepGroup group, SweepTrace own, double x) {
    List<SweepTrace> traces = group.traces();
    if (siblings.length < traces.size()) {
      siblings = new double[Math.max(traces.size(), siblings.length * 2)];
    }
    int count = 0;
    for (SweepTrace sibling : traces) {
      double at = sibling == own ? Double.NaN : sibling.bestAt(x);
      if (!Double.isNaN(at)) {
        siblings[count++] = at;
      }
    }
    return count;
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
