package dev.plateau.verdict;

import java.util.HashMap;
import java.util.Map;

/**
 * The steps experiments say they will end at: a run that logs a scalar tag named {@code max_steps}
 * (or ending in {@code /max_steps}, such as {@code hparams/max_steps}) declares its planned end,
 * for its experiment's forecasts. The newest value wins; values that are not a positive finite
 * number are ignored.
 */
final class PlannedEnds {
  /** The tag's name, alone or as the last part of a path. */
  static final String TAG = "max_steps";

  private final Map<String, Long> byExperiment = new HashMap<>();

  /** True for a tag that declares the run's planned end. */
  static boolean declares(String tag) {
    return tag.equals(TAG) || tag.endsWith("/" + TAG);
  }

  /**
   * Records {@code value} as the experiment's planned end; returns the step when it is new (the
   * experiment's judges must be told), else -1.
   */
  long record(String experiment, double value) {
    if (!(value > 0) || !Double.isFinite(value) || value >= Long.MAX_VALUE / 2.0) {
      return -1;
    }
    long step = Math.round(value);
    Long before = byExperiment.put(experiment, step);
    return before != null && before == step ? -1 : step;
  }

  /** True while no experiment has said its end (checked per point: cheaper than a lookup). */
  boolean isEmpty() {
    return byExperiment.isEmpty();
  }

  /** The experiment's planned end, or 0 when it has not said one. */
  long of(String experiment) {
    Long step = byExperiment.get(experiment);
    return step == null ? 0 : step;
  }
}
