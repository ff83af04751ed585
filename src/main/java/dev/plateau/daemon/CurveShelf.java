package dev.plateau.daemon;

import dev.plateau.series.SeriesKey;
import dev.plateau.state.SavedCurve;
import dev.plateau.state.StateException;
import dev.plateau.state.StateStore;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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

  /**
   * Hashes of the series with a curve saved before this daemon started, sorted; read once, when
   * first needed: a page's series with none saved (a run new since the start) costs no query. 8
   * bytes a series (320 KB for 10,000 runs of 4 tags), where the keys themselves would be
   * megabytes.
   */
  private volatile long @Nullable [] savedBefore;

  /** Hashes of the series this daemon saved a curve of. */
  private final Set<Long> savedSince = ConcurrentHashMap.newKeySet();

  CurveShelf(@Nullable StateStore store) {
    this.store = store;
  }

  /** Whether a curve may be saved of {@code key} (false: certainly none). Any thread. */
  boolean mayHave(SeriesKey key) {
    if (store == null) {
      return false;
    }
    long hash = hash(key);
    return savedSince.contains(hash) || Arrays.binarySearch(savedBefore(store), hash) >= 0;
  }

  private long[] savedBefore(StateStore store) {
    long[] known = savedBefore;
    if (known != null) {
      return known;
    }
    synchronized (this) {
      if (savedBefore == null) {
        try {
          List<SeriesKey> keys = store.curveKeys();
          long[] hashes = new long[keys.size()];
          for (int i = 0; i < hashes.length; i++) {
            hashes[i] = hash(keys.get(i));
          }
          Arrays.sort(hashes);
          savedBefore = hashes;
        } catch (StateException e) {
          log.warn("{}; charts of parked series are drawn from their next point", e.getMessage());
          savedBefore = new long[0];
        }
      }
      return savedBefore;
    }
  }

  /** 64-bit FNV-1a of the run and tag: a collision only costs a query that finds nothing. */
  static long hash(SeriesKey key) {
    long h = 0xcbf29ce484222325L;
    for (String part : new String[] {key.run(), key.tag()}) {
      for (int i = 0; i < part.length(); i++) {
        h = (h ^ part.charAt(i)) * 0x100000001b3L;
      }
      h = (h ^ 0xFFFF) * 0x100000001b3L; // a separator: U+FFFF, a noncharacter
    }
    return h;
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
      saved.keySet().forEach(k -> savedSince.add(hash(k)));
    } catch (StateException e) {
      log.warn("{}; their charts are lost at a restart", e.getMessage());
    }
  }
}
