package dev.plateau.format;

import java.util.Locale;
import java.util.Map;

/**
 * A verdict's forecast for people: {@code 0.3393 [0.3367, 0.3413] @274} (the predicted level, its
 * 90% interval, and the step it is predicted for), or an empty string when the evidence has none.
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
    return String.format(
        Locale.ROOT,
        "%.4g [%.4g, %.4g] @%d",
        value.doubleValue(),
        lower.doubleValue(),
        upper.doubleValue(),
        step.longValue());
  }
}
