package dev.plateau.sink;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plateau.detect.Status;
import dev.plateau.detect.Verdict;
import dev.plateau.format.VerdictJson;
import java.time.Instant;

/**
 * Builds an {@link Alert}'s payload: the deciding series' verdict object ({@link VerdictJson}) with
 * the experiment's status and reason, then the fields named here. The one builder of it; the sinks
 * that read a payload name its fields by these constants and {@link VerdictJson}'s.
 */
public final class AlertPayload {
  public static final String LOGDIR = "logdir";
  public static final String EXPERIMENT = "experiment";
  public static final String HOST = "host";
  public static final String TIME = "time";
  public static final String PREVIOUS_STATUS = "previous_status";
  public static final String VALUES = "values";
  public static final String ID = "id";

  /**
   * Where and when a transition was decided.
   *
   * @param logdir the watched logdir
   * @param experiment the experiment whose status changed
   * @param host the host Plateau runs on
   * @param time when the transition was found
   */
  public record Origin(String logdir, String experiment, String host, Instant time) {}

  private AlertPayload() {}

  /**
   * The payload of an experiment's transition.
   *
   * @param deciding the series verdict that speaks for the experiment's status
   * @param status the experiment's new status
   * @param reason the experiment's reason
   * @param previous the status before
   * @param recent up to 64 recent values of the deciding series (NaN and infinities kept)
   * @param id the alert's id
   */
  public static ObjectNode of(
      Verdict deciding,
      Status status,
      String reason,
      Origin origin,
      Status previous,
      double[] recent,
      String id) {
    ObjectNode payload = VerdictJson.of(deciding, status, reason);
    payload.put(LOGDIR, origin.logdir());
    payload.put(EXPERIMENT, origin.experiment());
    payload.put(HOST, origin.host());
    payload.put(TIME, origin.time().toString());
    payload.put(PREVIOUS_STATUS, previous.jsonName());
    ArrayNode values = payload.putArray(VALUES);
    for (double v : recent) {
      values.add(VerdictJson.number(v));
    }
    payload.put(ID, id);
    return payload;
  }

  /**
   * What a flag holds when only an experiment's status is known (its transition's payload was lost
   * with the state database): {@code deciding}'s verdict object (none when null), the experiment
   * and the status.
   */
  public static ObjectNode statusOnly(Verdict deciding, String experiment, Status status) {
    ObjectNode payload =
        deciding == null ? JsonNodeFactory.instance.objectNode() : VerdictJson.of(deciding);
    payload.put(EXPERIMENT, experiment);
    payload.put(VerdictJson.STATUS, status.jsonName());
    return payload;
  }
}
