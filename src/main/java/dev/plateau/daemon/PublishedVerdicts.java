package dev.plateau.daemon;

import dev.plateau.detect.Status;
import dev.plateau.series.RunSeries;
import dev.plateau.series.Series;
import dev.plateau.series.SeriesKey;
import dev.plateau.verdict.ExperimentVerdict;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What other threads (the status server) read of a watcher: the experiments' verdicts after the
 * last round, in name order, and the curves of watched series, as copies safe to read from any
 * thread. Combining every experiment's verdict is most of a quiet round's work on a large logdir,
 * so rounds woken by events refresh the verdicts only with a transition or once a second; while
 * someone looks at charts, the curves of series that got points are refreshed with them, so a chart
 * keeps up with the table (otherwise at each commit of their series).
 *
 * <p>When an experiment parks, its series leave the judge's memory but their curves stay here,
 * thinned to {@value #PARKED_POINTS} points, for the {@value #MAX_PARKED_SERIES} series parked last
 * (about 2.3 KB each: at most about 19 MB); when it wakes, its new points are drawn after them. The
 * thinned curves are also saved ({@link CurveShelf}, in the state database) when their experiment
 * parks and when the daemon stops, and read back the first time a page asks for a series this
 * process has not parked itself: a restart starts experiments parked, and their charts come from
 * there (within the same bound, as they are read).
 */
final class PublishedVerdicts {
  private static final long EVERY_MILLIS = 1_000;

  /** Points kept of a parked series' curve. */
  static final int PARKED_POINTS = 128;

  /** Parked series whose curves are kept; those parked earliest go first. */
  static final int MAX_PARKED_SERIES = 8_192;

  private volatile List<ExperimentVerdict> verdicts = List.of();
  private final Map<SeriesKey, SeriesView> curves = new ConcurrentHashMap<>();
  private final Map<SeriesKey, SeriesView> parked = new LinkedHashMap<>();
  private long lastMillis = Long.MIN_VALUE / 2;

  /** Charts stay this fresh for this long after someone last looked at one. */
  static final long VIEWERS_GONE_MILLIS = 60_000;

  private volatile boolean viewed;
  private long lastViewedMillis = Long.MIN_VALUE / 2;

  /**
   * How long, on the daemon's clock, an experiment that converged ranks as newly converged on the
   * overview: an hour, about how long an alert stays the reason someone opens the page.
   */
  static final long NEWLY_CONVERGED_MILLIS = 3_600_000;

  /** When experiments converged as news (not history read at a start), within the last hour. */
  private final Map<String, Long> convergedAt = new ConcurrentHashMap<>();

  /** Marks, among the parked curves, a series the shelf was asked for and had none of. */
  private static final SeriesView NOTHING_SAVED = new SeriesView(new long[0], new double[0]);

  private final CurveShelf shelf;

  /** Series drawn since their curve was last saved: saved when the daemon stops. */
  private final Set<SeriesKey> unsaved = ConcurrentHashMap.newKeySet();

  /** Curves kept in memory only (lost at a restart). */
  PublishedVerdicts() {
    this(CurveShelf.NONE);
  }

  /** Curves of parked series saved on, and read back from, {@code shelf}. */
  PublishedVerdicts(CurveShelf shelf) {
    this.shelf = shelf;
  }

  List<ExperimentVerdict> verdicts() {
    return verdicts;
  }

  /** The curve of a watched series as of the last refresh (also when parked), or null. */
  @Nullable SeriesView curve(SeriesKey key) {
    viewed = true;
    SeriesView live = curves.get(key);
    SeriesView before = parkedOrSaved(key);
    if (live == null) {
      return before == null || before.steps().length == 0 ? null : before;
    }
    // A series drawn since a restart before its saved curve was read: the saved one goes first.
    return before == null ? live : SeriesView.joined(before, live);
  }

  /**
   * The parked curve of a series; when this process has none, the saved one, read once (and kept
   * with the parked curves, within their bound; a series with none saved is remembered as such).
   */
  private @Nullable SeriesView parkedOrSaved(SeriesKey key) {
    synchronized (parked) {
      SeriesView view = parked.get(key);
      if (view != null) {
        return view;
      }
    }
    if (!shelf.mayHave(key)) {
      return null;
    }
    SeriesView saved = shelf.load(key);
    synchronized (parked) {
      SeriesView raced = parked.putIfAbsent(key, saved == null ? NOTHING_SAVED : saved);
      evictOldest();
      return raced != null ? raced : saved;
    }
  }

  private void evictOldest() {
    Iterator<SeriesKey> oldest = parked.keySet().iterator();
    while (parked.size() > MAX_PARKED_SERIES && oldest.hasNext()) {
      oldest.next();
      oldest.remove();
    }
  }

  /** A watched series' curve, from the points kept of it (after its parked curve, if any). */
  void curve(SeriesKey key, Series points) {
    SeriesView view = SeriesView.of(points);
    SeriesView before;
    synchronized (parked) {
      before = parked.get(key);
    }
    curves.put(key, before == null ? view : SeriesView.joined(before, view));
    unsaved.add(key);
  }

  /**
   * Refreshes the curve of every watched series whose kept points changed since it was drawn. On
   * the polling thread.
   */
  void refreshCurves(Map<String, RunSeries> runs, BiPredicate<String, String> watched) {
    for (RunSeries run : runs.values()) {
      for (Map.Entry<String, Series> e : run.byTag().entrySet()) {
        Series points = e.getValue();
        if (points.isEmpty() || !watched.test(run.run(), e.getKey())) {
          continue;
        }
        SeriesKey key = new SeriesKey(run.run(), e.getKey());
        SeriesView drawn = curves.get(key);
        if (drawn == null || !drawn.endsLike(points)) {
          curve(key, points);
        }
      }
    }
  }

  /**
   * Whether a chart was read (by the status server) within {@link #VIEWERS_GONE_MILLIS} of {@code
   * nowMillis}: only then are curves refreshed with the verdicts, since with a thousand live runs
   * drawing every curve each second is megabytes of garbage a second that nobody looks at. Without
   * viewers, curves are still drawn at each commit of their series. On the polling thread.
   */
  boolean viewedRecently(long nowMillis) {
    if (viewed) {
      viewed = false;
      lastViewedMillis = nowMillis;
    }
    return nowMillis - lastViewedMillis < VIEWERS_GONE_MILLIS && nowMillis >= lastViewedMillis;
  }

  /** The runs left memory (parked): their curves are kept, thinned, within the bound. */
  void park(Set<String> runs) {
    List<SeriesKey> leaving = new ArrayList<>();
    for (SeriesKey k : curves.keySet()) {
      if (runs.contains(k.run())) {
        leaving.add(k);
      }
    }
    Map<SeriesKey, SeriesView> thinned = whole(leaving);
    synchronized (parked) {
      for (Map.Entry<SeriesKey, SeriesView> e : thinned.entrySet()) {
        parked.remove(e.getKey());
        parked.put(e.getKey(), e.getValue());
      }
      evictOldest();
    }
    curves.keySet().removeAll(leaving);
    shelf.save(thinned);
    unsaved.removeAll(leaving);
  }

  /**
   * The whole curves of {@code keys} (a series drawn since a restart joined after its saved curve),
   * thinned to {@link #PARKED_POINTS}.
   */
  private Map<SeriesKey, SeriesView> whole(Collection<SeriesKey> keys) {
    Map<SeriesKey, SeriesView> out = new LinkedHashMap<>();
    for (SeriesKey k : keys) {
      SeriesView view = curves.get(k);
      if (view != null) {
        SeriesView before = parkedOrSaved(k);
        out.put(
            k, (before == null ? view : SeriesView.joined(before, view)).thinnedTo(PARKED_POINTS));
      }
    }
    return out;
  }

  /**
   * Saves the curves of the series drawn since they were last saved (when the daemon stops), so an
   * experiment that finished but had not parked yet keeps its chart across a restart. On the
   * polling thread.
   */
  void saveDrawn() {
    List<SeriesKey> drawn = new ArrayList<>(unsaved);
    shelf.save(whole(drawn));
    unsaved.removeAll(drawn);
  }

  /**
   * An experiment changed status at {@code nowMillis}; {@code news}: its newest point was within
   * {@code alerts.ignore_older} (a backlog read at a start is history, not news). On the polling
   * thread.
   */
  void transition(String experiment, Status status, boolean news, long nowMillis) {
    if (status == Status.CONVERGED && news) {
      convergedAt.put(experiment, nowMillis);
    } else {
      convergedAt.remove(experiment);
    }
  }

  /**
   * When the experiment converged, on the daemon's clock, if that was news within the last {@link
   * #NEWLY_CONVERGED_MILLIS} as of the last refresh; otherwise null. Any thread.
   */
  @Nullable Long newlyConverged(String experiment) {
    return convergedAt.get(experiment);
  }

  /** The verdicts are refreshed at the end of this round, whatever the round. */
  void refreshSoon() {
    lastMillis = Long.MIN_VALUE / 2;
  }

  /**
   * Refreshes the verdicts from {@code inMemory} and {@code parked} when {@code now} asks for it (a
   * whole round, a transition) or a second has passed since the last refresh; says whether it did.
   */
  boolean refresh(
      boolean now,
      long nowMillis,
      Supplier<List<ExperimentVerdict>> inMemory,
      Collection<ExperimentVerdict> parked) {
    if (!now && nowMillis - lastMillis < EVERY_MILLIS && nowMillis >= lastMillis) {
      return false;
    }
    List<ExperimentVerdict> all = new ArrayList<>(inMemory.get());
    all.addAll(parked);
    all.sort(Comparator.comparing(ExperimentVerdict::experiment));
    verdicts = List.copyOf(all);
    lastMillis = nowMillis;
    convergedAt.values().removeIf(at -> nowMillis - at >= NEWLY_CONVERGED_MILLIS);
    return true;
  }
}
