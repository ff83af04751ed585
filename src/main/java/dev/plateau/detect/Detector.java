package dev.plateau.detect;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A convergence detector for one series: a pure state machine fed the series' points in step order.
 * It does no I/O and reads no clock: time, where a rule needs it, comes in as an argument.
 *
 * <p>Contract shared by every detector (each documents its own specifics):
 *
 * <ul>
 *   <li>Points arrive with strictly increasing steps. When the series is rewound (a restart dropped
 *       points), the owner builds a new detector and replays the kept points.
 *   <li>Values may be NaN or infinite; each detector says what it does with them.
 *   <li>{@link #observe} returns the detector's judgement after the point; it may change its mind
 *       later (hysteresis is each detector's own).
 * </ul>
 */
public interface Detector {

  /** The name used in config and verdicts ("patience", "plateau" ...). */
  String name();

  /**
   * Feeds the next point.
   *
   * @param step the point's step, greater than every earlier one
   * @param wallTime the writer's time for the point, in seconds since the epoch
   * @param value the metric's value as written (not oriented: the detector knows its mode)
   */
  Judgement observe(long step, double wallTime, double value);

  /**
   * Re-judges at time {@code nowSeconds} without a new point, for rules about time (stalled,
   * patience in wall-clock time). Detectors that do not depend on time return their last judgement.
   */
  default Judgement atTime(double nowSeconds) {
    return current();
  }

  /**
   * The earliest time, in seconds, at which {@link #atTime} could change the judgement without a
   * new point; positive infinity when time alone can change nothing (the default, and every
   * detector not about time). Never later than the change: waking at it may find nothing yet, but
   * waiting past it must not miss one. A daemon that puts idle series out of memory wakes them
   * then.
   */
  default double nextChangeAt() {
    return Double.POSITIVE_INFINITY;
  }

  /**
   * The run's learning rate dropped at {@code step} (a step schedule's next phase; {@link
   * LearningRateDrops}), told just before the first point at or after that step. A detector whose
   * judgement rests on the curve's shape so far may start afresh (the plateau detector leaves a
   * convergence and fits its forecast to the points after the drop); by default nothing changes.
   * Whatever a detector does here must be in its saved state.
   */
  default void learningRateDropped(long step) {}

  /** The judgement after the last point (a waiting TRAINING judgement before any). */
  Judgement current();

  /**
   * The last point arrived at {@code nowSeconds} on the watcher's clock (a live daemon says so; a
   * one-shot check does not). Only detectors about time care.
   */
  default void arrivedAt(double nowSeconds) {}

  /**
   * The detector's latest forecast of the series, as an evidence entry ({@code model, step, value,
   * lower, upper, ...}), or null when it makes none (the default). A verdict whose winning detector
   * has no forecast of its own carries the first one its series' detectors make.
   */
  default @Nullable Map<String, Object> forecast() {
    return null;
  }

  /**
   * The curve the detector's forecast was read from, to ask it when a target is reached (null when
   * it makes no forecast, the default).
   */
  default @Nullable ForecastCurve forecastCurve() {
    return null;
  }

  /**
   * The run is planned to end at {@code step} (its {@code max_steps}, from the configuration or
   * from the run itself); 0 or less when unknown. Detectors that forecast predict the level there
   * too; others ignore it (the default). Saved with the detector's state.
   */
  default void plannedEnd(long step) {}

  /** What the detector has learnt so far, to save with the file offsets it corresponds to. */
  DetectorState snapshot();

  /**
   * Resumes from a saved state, which must come from a detector of the same kind and parameters
   * ({@link #snapshot()}); afterwards it behaves exactly as that detector would have.
   *
   * @throws IllegalArgumentException when the state is of another detector
   */
  void restore(DetectorState state);
}
