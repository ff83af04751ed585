package dev.plateau.detect;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * When a series' forecast says its {@code target} rule will be met: the step at which the fitted
 * curve reaches the target, if it does within the forecast's horizon (the planned end when the run
 * has one, else the forecast's step, twice the current one), and the writer's wall-clock time then
 * at the series' average pace. Pure: adds entries to a copy of the forecast's evidence.
 *
 * <p>Entries: {@code target}, {@code target_horizon_step}, {@code target_within_horizon} (false:
 * "not within the horizon"), and when within it {@code target_step}, {@code target_hours} (from the
 * last point the curve was fitted at) and {@code target_wall_time} (seconds since the epoch), the
 * last two when the pace is known.
 */
final class TargetForecast {
  private TargetForecast() {}

  /** The forecast's entries with the target's; the entries alone when nothing can be said. */
  static Map<String, Object> with(
      Map<String, Object> forecast, ForecastCurve curve, double target) {
    long horizon;
    // Numbers as any Number: evidence restored from a state saved as JSON holds Integers.
    if (forecast.get("max_steps") instanceof Number end) {
      horizon = end.longValue();
    } else if (forecast.get("step") instanceof Number step) {
      horizon = step.longValue();
    } else {
      return forecast;
    }
    LinkedHashMap<String, Object> out = new LinkedHashMap<>(forecast);
    out.put("target", target);
    out.put("target_horizon_step", horizon);
    OptionalLong reached = curve.stepReaching(target, horizon);
    out.put("target_within_horizon", reached.isPresent());
    if (reached.isPresent()) {
      long step = reached.getAsLong();
      out.put("target_step", step);
      double seconds = curve.secondsUntil(step);
      if (Double.isFinite(seconds)) {
        out.put("target_hours", seconds / 3600);
        if (Double.isFinite(curve.lastWallTime())) {
          out.put("target_wall_time", curve.lastWallTime() + seconds);
        }
      }
    }
    return out;
  }
}
