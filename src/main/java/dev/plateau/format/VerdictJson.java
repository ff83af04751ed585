package dev.plateau.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plateau.detect.Status;
import dev.plateau.detect.Verdict;
import java.util.List;
import java.util.Map;

/**
 * Verdicts as JSON objects, with the field names users' scripts rely on: run, tag, mode, status,
 * detector, decided_at_step, best_step, best_value, last_step, points, reason, evidence. Numbers
 * that JSON cannot express (NaN, infinities) are written as the strings "NaN", "Infinity" and
 * "-Infinity". An evidence entry that is itself a map (the {@code forecast}) is an object.
 *
 * <p>The one place a verdict object is built: {@code replay}, {@code check}, {@code /api/runs}, and
 * the alert payload ({@code sink.AlertPayload} adds its fields to {@link #of(Verdict, Status,
 * String)}), which flag files hold, all take theirs from here; readers of a payload (the Slack
 * message) name its fields by these constants.
 */
public final class VerdictJson {
  public static final String RUN = "run";
  public static final String TAG = "tag";
  public static final String MODE = "mode";
  public static final String STATUS = "status";
  public static final String DETECTOR = "detector";
  public static final String DECIDED_AT_STEP = "decided_at_step";
  public static final String BEST_STEP = "best_step";
  public static final String BEST_VALUE = "best_value";
  public static final String LAST_STEP = "last_step";
  public static final String POINTS = "points";
  public static final String REASON = "reason";
  public static final String EVIDENCE = "evidence";

  /** An experiment's object: its series' verdicts. */
  public static final String SERIES = "series";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private VerdictJson() {}

  /** A series' verdict. */
  public static ObjectNode of(Verdict v) {
    return of(v, v.status(), v.reason());
  }

  /**
   * A series' verdict speaking for a status and reason not its own (an experiment's, combined from
   * its series'); the fields in the same order as {@link #of(Verdict)}.
   */
  public static ObjectNode of(Verdict v, Status status, String reason) {
    ObjectNode o = NODES.objectNode();
    o.put(RUN, v.run());
    o.put(TAG, v.tag());
    o.put(MODE, v.mode().jsonName());
    o.put(STATUS, status.jsonName());
    o.put(DETECTOR, v.detector());
    putLong(o, DECIDED_AT_STEP, v.decidedAtStep());
    putLong(o, BEST_STEP, v.bestStep());
    o.set(BEST_VALUE, v.bestStep() == null ? NODES.nullNode() : number(v.bestValue()));
    o.put(LAST_STEP, v.lastStep());
    o.put(POINTS, v.points());
    o.put(REASON, reason);
    o.set(EVIDENCE, evidence(v.evidence()));
    return o;
  }

  /**
   * An experiment's verdict: its name (as {@code run}), status, reason, and each watched series'
   * verdict.
   */
  public static ObjectNode experiment(
      String experiment, Status status, String reason, List<Verdict> series) {
    ObjectNode o = NODES.objectNode();
    o.put(RUN, experiment);
    o.put(STATUS, status.jsonName());
    o.put(REASON, reason);
    ArrayNode array = o.putArray(SERIES);
    for (Verdict v : series) {
      array.add(of(v));
    }
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

  static ObjectNode evidence(Map<?, ?> evidence) {
    ObjectNode o = NODES.objectNode();
    evidence.forEach(
        (key, val) -> {
          String k = String.valueOf(key);
          if (val instanceof Map<?, ?> nested) {
            o.set(k, evidence(nested)); // the forecast: an object, its numbers as numbers
          } else if (val instanceof Double d) {
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
