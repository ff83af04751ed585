package dev.plateau.daemon;

import dev.plateau.series.SeriesKey;
import dev.plateau.state.SavedCurve;
import dev.plateau.state.StateException;
import dev.plateau.state.StateStore;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the status page's curves of parked series are kept across restarts: the state database's
 * {@code curves} table, {@link SavedCurve#MAX_POINTS} points a series. A failure to read or save
 * one costs a chart, never a round: it is logged and the page goes on without it.
 */
class CurveShelf {
  // Logs as the watcher, whose part this is: its lines keep the logger name people filter on.
  private static final Logger log = LoggerFactory.getLogger(Watcher.class);

  /** A shelf that keeps nothing (a watcher's parts tested alone). */
  static final CurveShelf NONE = new CurveShelf(null);

  private final @Nullable StateStore store;

  CurveShelf(@Nullable StateStore store) {
    this.store = store;
  }

  /** Whether curves are kept here at all. */
  boolean keeps() {
    return store != null;
  }

  /** The curve saved of a series, or null. Any thread. */
  @Nullable SeriesView load(SeriesKey key) {
    if (store == null) {
      return null;
    }
    try {
      SavedCurve saved = store.curve(key);
      return saved == null ? null : new SeriesView(saved.steps(), saved.values());
    } catch (StateException e) {
      log.warn("{}; its chart is drawn from its next point", e.getMessage());
      return null;
    }
  }

  /** Saves these curves, each thinned to {@link SavedCurve#MAX_POINTS}. */
  void save(Map<SeriesKey, SeriesView> curves) {
    if (store == null || curves.isEmpty()) {
      return;
    }
    Map<SeriesKey, SavedCurve> saved = new LinkedHashMap<>();
    curves.forEach(
        (key, view) -> {
          SeriesView thin = view.thinnedTo(SavedCurve.MAX_POINTS);
          saved.put(key, new SavedCurve(thin.steps(), thin.values()));
        });
    try {
      store.saveCurves(saved);
    } catch (StateException e) {
      log.warn("{}; their charts are lost at a restart", e.getMessage());
    }
  }
}
