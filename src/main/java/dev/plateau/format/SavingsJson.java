package dev.plateau.format;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plateau.detect.StoppingSavings;

/**
 * What stopping saved, as a JSON object: {@code steps_after_best}, {@code hours_after_best}, {@code
 * steps_spared}, {@code hours_spared}, {@code experiments}, {@code stopped}; hours unknown (no
 * pace) are null.
 */
public final class SavingsJson {
  /** The field that holds the object in an experiment's or a logdir's JSON. */
  public static final String FIELD = "saved";

  private SavingsJson() {}

  /** The object. */
  public static ObjectNode of(StoppingSavings s) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("steps_after_best", s.stepsAfterBest());
    hours(o, "hours_after_best", s.hoursAfterBest());
    o.put("steps_spared", s.stepsSpared());
    hours(o, "hours_spared", s.hoursSpared());
    o.put("experiments", s.experiments());
    o.put("stopped", s.stopped());
    return o;
  }

  private static void hours(ObjectNode o, String field, double hours) {
    if (Double.isFinite(hours)) {
      o.put(field, hours);
    } else {
      o.putNull(field);
    }
  }
}
