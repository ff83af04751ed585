package dev.plateau.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plateau.detect.Verdict;
import java.util.Map;

/**
 * Verdicts as JSON objects, with the field names users' scripts rely on: run, tag, mode, status,
 * detector, decided_at_step, best_step, best_value, last_step, points, reason, evidence. Numbers
 * that JSON cannot express (NaN, infinities) are written as the strings "NaN", "Infinity" and
 * "-Infinity".
 */
public final class VerdictJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private VerdictJson() {}

  public static ObjectNode of(Verdict v) {
    ObjectNode o = NODES.objectNode();
    o.put("run", v.run());
    o.put("tag", v.tag());
    o.put("mode", v.mode().jsonName());
    o.put("status", v.status().jsonName());
    o.put("detector", v.detector());
    putLong(o, "decided_at_step", v.decidedAtStep());
    putLong(o, "best_step", v.bestStep());
    o.set("best_value", v.bestStep() == null ? NODES.nullNode() : number(v.bestValue()));
    o.put("last_step", v.lastStep());
    o.put("points", v.points());
    o.put("reason", v.reason());
    o.set("evidence", evidence(v.evidence()));
    return o;
  }

  /** A double as a JSON number, or a string for NaN and the infinities. */
  public static JsonNode number(double value) {
    if (Double.isNaN(value)) {
      return NODES.textNode("NaN");
    }
    if (Double.isInfinite(value)) {
      return NODES.textNode(value > 0 ? "Infinity" : "-Infinity");
    }
    return NODES.numberNode(value);
  }

  static ObjectNode evidence(Map<String, Object> evidence) {
    ObjectNode o = NODES.objectNode();
    evidence.forEach(
        (k, val) -> {
          if (val instanceof Double d) {
            o.set(k, number(d));
          } else if (val instanceof Float f) {
            o.set(k, number(f));
          } else if (val instanceof Integer i) {
            o.put(k, i);
          } else if (val instanceof Long l) {
            o.put(k, l);
          } else if (val instanceof Boolean b) {
            o.put(k, b);
          } else {
            o.put(k, String.valueOf(val));
          }
        });
    return o;
  }

  private static void putLong(ObjectNode o, String field, Long value) {
    if (value == null) {
      o.putNull(field);
    } else {
      o.put(field, value.longValue());
    }
  }
}
