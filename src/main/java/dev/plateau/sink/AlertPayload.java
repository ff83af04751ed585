package dev.plateau.sink;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plateau.detect.Status;
import dev.plateau.detect.Verdict;
import dev.plateau.format.VerdictJson;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

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
  public static final String TRANSITIONS = "transitions";
  public static final String LAST_MESSAGE_TIME = "last_message_time";

  /**
   * Where and when a transition was decided.
   *
   * @param logdir the watched logdir
   * @param experiment the experiment whose status changed
   * @param host the host Plateau runs on
   * @param time when the transition was found
   */
  public record Origin(String logdir, String experiment, String host, Instant time) {}

  /**
   * Where a transition stands in its experiment's history.
   *
   * @param previous the status last recorded for the experiment other than {@code training} ({@code
   *     training} when none; see {@link AlertMemory#settled})
   * @param transitions how many times the experiment has changed status, this change included
   * @param lastMessage when the last message before this one went out for the experiment, or null
   */
  public record Change(Status previous, long transitions, @Nullable Instant lastMessage) {}

  private AlertPayload() {}

  /**
   * The payload of an experiment's transition.
   *
   * @param deciding the series verdict that speaks for the experiment's status
   * @param status the experiment's new status
   * @param reason the experiment's reason
   * @param change where the transition stands in the experiment's history
   * @param recent up to 64 recent values of the deciding series (NaN and infinities kept)
   * @param id the alert's id
   */
  public static ObjectNode of(
      Verdict deciding,
      Status status,
      String reason,
      Origin origin,
      Change change,
      double[] recent,
      String id) {
    ObjectNode payload = VerdictJson.of(deciding, status, reason);
    payload.put(LOGDIR, origin.logdir());
    payload.put(EXPERIMENT, origin.experiment());
    payload.put(HOST, origin.host());
    payload.put(TIME, origin.time().toString());
    payload.put(PREVIOUS_STATUS, change.previous().jsonName());
    payload.put(TRANSITIONS, change.transitions());
    if (change.lastMessage() == null) {
      payload.putNull(LAST_MESSAGE_TIME);
    } else {
      payload.put(LAST_MESSAGE_TIME, change.lastMessage().toString());
    }
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
