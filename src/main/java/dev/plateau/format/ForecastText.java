package dev.plateau.format;

import java.util.Locale;
import java.util.Map;

/**
 * A verdict's forecast for people, or an empty string when the evidence has none: the predicted
 * level, its 90% interval and the step it is predicted for ({@code 0.3393 [0.3367, 0.3413] @274});
 * then, when the forecast says them, the same at the run's planned end ({@code ; 0.331 [0.32,
 * 0.34] @1000 max_steps}), when the target rule is forecast to be met ({@code ; target 0.3 @812 in
 * 2.1 h}, or {@code ; target 0.3 not by @1000}), and the step from which training gains less than
 * {@code min_delta} ({@code ; gains < min_delta from @640}).
 */
public final class ForecastText {
  private ForecastText() {}

  /** The forecast in {@code evidence} (its {@code forecast} entry), or "". */
  public static String of(Map<String, Object> evidence) {
    if (!(evidence.get("forecast") instanceof Map<?, ?> f)
        || !(f.get("value") instanceof Number value)
        || !(f.get("lower") instanceof Number lower)
        || !(f.get("upper") instanceof Number upper)
        || !(f.get("step") instanceof Number step)) {
      return "";
    }
    StringBuilder out = new StringBuilder(level(value, lower, upper, step));
    if (f.get("max_steps_value") instanceof Number v
        && f.get("max_steps_lower") instanceof Number l
        && f.get("max_steps_upper") instanceof Number u
        && f.get("max_steps") instanceof Number end) {
      out.append("; ").append(level(v, l, u, end)).append(" max_steps");
    }
    if (f.get("target") instanceof Number target) {
      out.append(String.format(Locale.ROOT, "; target %.4g ", target.doubleValue()));
      if (f.get("target_step") instanceof Number at) {
        out.append('@').append(at.longValue());
        if (f.get("target_hours") instanceof Number hours) {
          out.append(String.format(Locale.ROOT, " in %.2g h", hours.doubleValue()));
        }
      } else if (f.get("target_horizon_step") instanceof Number horizon) {
        out.append("not by @").append(horizon.longValue());
      }
    }
    if (f.get("converges_at_step") instanceof Number at) {
      out.append("; gains < min_delta from @").append(at.longValue());
    }
    return out.toString();
  }

  private static String level(Number value, Number lower, Number upper, Number step) {
    return String.format(
        Locale.ROOT,
        "%.4g [%.4g, %.4g] @%d",
        value.doubleValue(),
        lower.doubleValue(),
        upper.doubleValue(),
        step.longValue());
  }
}
