package dev.plateau.verdict;

import dev.plateau.detect.Verdict;
import dev.plateau.series.SeriesKey;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where an experiment's judge stands in its {@link SweepOverlay}: the lagging standings the board
 * held when the judge of the whole logdir would have combined the experiment's verdict. That judge
 * combines an experiment's queued transitions when it judges the experiment's queue, which a change
 * of lagging does at once (after the board compared the point), and the end does before the stale
 * series are compared again; so a transition found before a change is combined with the standings
 * after it. Between changes (a planned end makes the judge judge the queue there) the standings are
 * those of the last change: whether a series lags is exact, its figures are those of that change.
 *
 * <p>Not thread-safe: the judge's feeding thread moves it, and its experiment's queue is judged on
 * that thread or while the feeding thread waits.
 */
final class OverlayCursor {
  private final SweepOverlay overlay;
  private long points;
  private int next;
  private boolean ended;
  private Map<SeriesKey, SweepOverlay.Lag> lagging;

  OverlayCursor(SweepOverlay overlay) {
    this.overlay = overlay;
    this.lagging = Map.of(); // nothing lags before the first change
  }

  /** Whether a series' lagging changes while points are fed (not only at the end). */
  boolean changesWhileFed() {
    return !overlay.changes().isEmpty();
  }

  /**
   * A watched point was observed; true when the lagging of a series changed at it (the experiment
   * is then to be judged and combined again, with the standings after the change).
   */
  boolean observed() {
    points++;
    if (next < overlay.changes().size() && overlay.changes().get(next).afterPoints() == points) {
      lagging = overlay.changes().get(next).lagging();
      next++;
      return true;
    }
    return false;
  }

  /** Every point was observed: the standings before the stale series are compared again. */
  void beforeStale() {
    if (!ended) {
      lagging = overlay.beforeStale();
    }
  }

  /**
   * The stale series were compared again: true (once) when that changed a series' lagging, the
   * experiment then to be combined again.
   */
  boolean atEnd() {
    if (ended) {
      return false;
    }
    ended = true;
    lagging = overlay.atEnd();
    return overlay.staleChanged();
  }

  /** {@code series} as a lagging verdict from the standings where the judge stands, or null. */
  @Nullable Verdict laggingVerdict(Verdict series) {
    return SweepOverlay.laggingVerdict(lagging, series);
  }
}
