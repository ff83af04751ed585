package dev.plateau.detect;

import java.util.OptionalLong;

/**
 * The learning curve a forecast was read from, to ask it more than one question: where the metric
 * will be at a step, when it will reach a target, and from which step training gains less than a
 * given amount. Pure: numbers in, numbers out.
 *
 * <p>The curve is {@code level(t) = asymptote + amplitude·x(t)}, over the point position t (1 for
 * the series' first point), with {@code x = t^-rate} for a power law and {@code e^(-rate·t)} for an
 * exponential approach, in lower-is-better orientation (values as {@link Mode#lowerIsBetter} gives
 * them). Steps map to positions at the series' average spacing: position {@code points} is {@code
 * lastStep}, each further {@code stepsPerPoint} steps one more position.
 *
 * @param powerLaw true for a power law, false for an exponential approach
 * @param asymptote a: where the curve leads
 * @param amplitude b: positive for a curve that comes down towards a
 * @param rate the power law's exponent, or the exponential's rate per position
 * @param mode the metric's direction (values in and out are in the metric's own orientation)
 * @param lastStep the series' last step when the curve was fitted
 * @param points the points seen then
 * @param stepsPerPoint the average steps between points (at least a tiny positive number)
 * @param secondsPerStep the writer's average wall-clock seconds per step (NaN when unknown)
 * @param lastWallTime the writer's wall time of the last point, in seconds (NaN when unknown)
 */
public record ForecastCurve(
    boolean powerLaw,
    double asymptote,
    double amplitude,
    double rate,
    Mode mode,
    long lastStep,
    long points,
    double stepsPerPoint,
    double secondsPerStep,
    double lastWallTime) {

  /** How many bisection steps a search takes: enough for any step in the long range. */
  private static final int BISECTIONS = 64;

  /** The multiplier between the positions a gain search scans before it bisects. */
  private static final double SCAN_FACTOR = 1.25;

  /** The position of {@code step} on the fitted curve. */
  double position(long step) {
    return points + (step - (double) lastStep) / stepsPerPoint;
  }

  /** The step of {@code position} (rounded up, never below 0). */
  long step(double position) {
    double s = lastStep + (position - points) * stepsPerPoint;
    if (s >= Long.MAX_VALUE) {
      return Long.MAX_VALUE;
    }
    return Math.max(0, (long) Math.ceil(s));
  }

  /** The level at position t, lower is better. */
  double level(double t) {
    double x = powerLaw ? Math.exp(-rate * Math.log(Math.max(t, 1e-9))) : Math.exp(-rate * t);
    return asymptote + amplitude * x;
  }

  /** The curve's value at {@code step}, in the metric's orientation. */
  public double valueAt(long step) {
    return mode.fromLowerIsBetter(level(position(step)));
  }

  /**
   * The first step after the last one at which the curve reaches {@code target} (&le; for a min
   * metric, &ge; for max), if it does by {@code horizonStep}; the last step when the curve is there
   * already. Empty when it does not within the horizon.
   */
  public OptionalLong stepReaching(double target, long horizonStep) {
    double goal = mode.lowerIsBetter(target);
    if (level(position(lastStep)) <= goal) {
      return OptionalLong.of(lastStep);
    }
    if (horizonStep <= lastStep || !(level(position(horizonStep)) <= goal)) {
      return OptionalLong.empty();
    }
    // The curve is monotone: bisect between a step before the target and one at or after it.
    long before = lastStep;
    long after = horizonStep;
    for (int i = 0; i < BISECTIONS && after - before > 1; i++) {
      long mid = before + (after - before) / 2;
      if (level(position(mid)) <= goal) {
        after = mid;
      } else {
        before = mid;
      }
    }
    return OptionalLong.of(after);
  }

  /**
   * The wall-clock seconds from the last point to {@code step} at the series' average pace, or NaN
   * when the pace is unknown.
   */
  public double secondsUntil(long step) {
    return (step - (double) lastStep) * secondsPerStep;
  }

  /**
   * The first step from which training {@code horizon} times as long again (as the plateau detector
   * imagines it) gains less than {@code delta} on the curve: the step where a converging run stops
   * being worth its compute. Scans positions geometrically up to {@code limitStep}, then bisects;
   * empty when training still gains {@code delta} there.
   */
  public OptionalLong stepGainingLessThan(double delta, double horizon, long limitStep) {
    if (!(delta > 0) || !(horizon > 0)) {
      return OptionalLong.empty();
    }
    double limit = position(limitStep);
    if (!(gain(limit, horizon) < delta)) {
      return OptionalLong.empty();
    }
    // The last scanned position that still gains delta; the answer is past it.
    double worth = Double.NaN;
    double t = 1;
    for (; t < limit; t *= SCAN_FACTOR) {
      if (gain(t, horizon) >= delta) {
        worth = t;
      }
    }
    if (Double.isNaN(worth)) {
      return OptionalLong.of(step(1));
    }
    double from = worth;
    double to = Math.min(limit, worth * SCAN_FACTOR);
    for (int i = 0; i < BISECTIONS / 2; i++) {
      double mid = 0.5 * (from + to);
      if (gain(mid, horizon) >= delta) {
        from = mid;
      } else {
        to = mid;
      }
    }
    return OptionalLong.of(step(to));
  }

  /** The gain from position t to t·(1 + horizon), lower is better (negative for a worsening). */
  private double gain(double t, double horizon) {
    return level(t) - level(t * (1 + horizon));
  }
}
