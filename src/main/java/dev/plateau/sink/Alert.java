package dev.plateau.sink;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plateau.detect.Status;
import org.jspecify.annotations.Nullable;

/**
 * One message about a verdict, to be delivered to every sink that wants its status.
 *
 * <p>The payload ({@link AlertPayload}) is the verdict object that {@code plateau replay} prints
 * for the deciding series (run, tag, mode, status, detector, decided_at_step, best_step,
 * best_value, last_step, points, reason, evidence) plus {@code logdir}, {@code experiment}, {@code
 * host}, {@code time} (ISO-8601, UTC), {@code previous_status} (the status last recorded other than
 * {@code training}), {@code transitions} (how many times the experiment changed status), {@code
 * last_message_time} (when the message before this one went out, or null) and {@code values} (up to
 * 64 recent values of the series, for sparklines). It is stored in the outbox as is, so a retry
 * after a restart sends the same bytes.
 *
 * @param id a function of what the verdict says (logdir, experiment, status, decided step, best
 *     step): the same across retries, restarts, state rebuilds and runs read again, used as
 *     Standard Webhooks' {@code webhook-id}
 * @param experiment the experiment (run group) the verdict is about
 * @param status the experiment's new status (the payload's {@code status}); null only for an alert
 *     read back from the outbox whose payload names no status this version knows
 * @param payload the JSON object
 */
public record Alert(String id, String experiment, @Nullable Status status, ObjectNode payload) {

  /**
   * An alert as stored in the outbox: its status is read from the payload, where the payload comes
   * back into the process. A status this version does not know (a row written by a newer one, or
   * edited) leaves it null: the alert is still delivered, as recorded.
   */
  public static Alert stored(String id, String experiment, ObjectNode payload) {
    Status status;
    try {
      status = Status.fromJsonName(payload.path("status").asText());
    } catch (IllegalArgumentException unknown) {
      status = null;
    }
    return new Alert(id, experiment, status, payload);
  }
}
