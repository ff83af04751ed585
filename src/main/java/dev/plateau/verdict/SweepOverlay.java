package dev.plateau.verdict;

import dev.plateau.detect.Verdict;
import dev.plateau.series.SeriesKey;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What one experiment's judge needs of its sweep's {@link SweepBoard} when the board was computed
 * apart ({@link SweepReplay}, over the whole sweep's points merged by wall time) and the experiment
 * is judged alone: the moments its series' lagging changed, and the lagging standings of its series
 * then, before the end's comparison of stale series ({@link LogdirJudge#atTime}) and after it.
 *
 * <p>A standing changes only when a point of its own series is compared, so what the board says of
 * an experiment's series at any moment is a function of how many of the experiment's watched points
 * it has seen: a {@link Change} is placed by that count ({@code afterPoints}). Only lagging
 * standings are kept: the others make no lagging verdict.
 *
 * @param changes where the lagging of one of the experiment's series changed, in order
 * @param beforeStale the lagging standings once every point was compared
 * @param atEnd the lagging standings after stale series were compared again at the end
 * @param staleChanged whether comparing stale series again changed the lagging of one of them
 */
public record SweepOverlay(
    List<Change> changes,
    Map<SeriesKey, Lag> beforeStale,
    Map<SeriesKey, Lag> atEnd,
    boolean staleChanged) {

  /** An overlay with nothing lagging, ever. */
  public static final SweepOverlay NONE = new SweepOverlay(List.of(), Map.of(), Map.of(), false);

  /**
   * A lagging standing and the step the series began to lag.
   *
   * @param standing the series' last standing (lagging)
   * @param since the step it began to lag
   */
  public record Lag(SweepStanding standing, long since) {}

  /**
   * A series' lagging changed after the experiment's {@code afterPoints}-th watched point (the
   * point that changed it); {@code lagging} holds the experiment's lagging standings then.
   */
  public record Change(long afterPoints, Map<SeriesKey, Lag> lagging) {}

  /** Whether anything of the experiment ever lagged. */
  public boolean isEmpty() {
    return changes.isEmpty() && beforeStale.isEmpty() && atEnd.isEmpty() && !staleChanged;
  }

  /** {@code series} as a lagging verdict when {@code lagging} says it lags, else null. */
  static @Nullable Verdict laggingVerdict(Map<SeriesKey, Lag> lagging, Verdict series) {
    Lag lag = lagging.get(new SeriesKey(series.run(), series.tag()));
    return lag == null ? null : SweepBoard.laggingVerdict(series, lag.standing(), lag.since());
  }
}
