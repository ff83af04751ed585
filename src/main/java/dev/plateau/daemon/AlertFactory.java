package dev.plateau.daemon;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plateau.detect.Status;
import dev.plateau.detect.Verdict;
import dev.plateau.format.VerdictJson;
import dev.plateau.series.Series;
import dev.plateau.series.SeriesKey;
import dev.plateau.sink.Alert;
import dev.plateau.verdict.ExperimentVerdict;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.function.Function;

/**
 * Turns an experiment's verdict transition into an alert: the deciding series' verdict object (as
 * {@code plateau replay} prints it) plus logdir, experiment, host, time, previous_status and recent
 * values. The id is derived from the transition: logdir, experiment, the transition's number within
 * the experiment (committed with the round, so a round decided again after a crash numbers it the
 * same), status, deciding series and decided step. Deciding the same transition again, after a
 * crash or after rebuilding the state, gives the same id, so receivers that deduplicate on {@code
 * webhook-id} see it once; a later transition to the same status is a new id.
 */
final class AlertFactory {
  /** Values sent for sparklines. */
  static final int RECENT_VALUES = 64;

  private final String logdir;
  private final String host;
  private final Function<SeriesKey, Series> kept;

  /**
   * @param kept the points kept of a series, for its recent values (null when none are kept)
   */
  AlertFactory(String logdir, String host, Function<SeriesKey, Series> kept) {
    this.logdir = logdir;
    this.host = host;
    this.kept = kept;
  }

  /** The series verdict that speaks for an experiment's status. */
  static Verdict deciding(ExperimentVerdict run) {
    for (Verdict v : run.deciding()) {
      if (v.status() == run.status()) {
        return v;
      }
    }
    return run.deciding().isEmpty() ? run.series().get(0) : run.deciding().get(0);
  }

  Alert alert(ExperimentVerdict current, Status previous, long sequence, Instant time) {
    Verdict v = deciding(current);
    ObjectNode payload = VerdictJson.of(v, current.status(), current.reason());
    payload.put("logdir", logdir);
    payload.put("experiment", current.experiment());
    payload.put("host", host);
    payload.put("time", time.toString());
    payload.put(
        "previous_status", previous == null ? Status.TRAINING.jsonName() : previous.jsonName());
    ArrayNode values = payload.putArray("values");
    Series series = kept.apply(new SeriesKey(v.run(), v.tag()));
    if (series != null) {
      for (int i = Math.max(0, series.size() - RECENT_VALUES); i < series.size(); i++) {
        values.add(VerdictJson.number(series.value(i)));
      }
    }
    long step = v.decidedAtStep() != null ? v.decidedAtStep() : v.lastStep();
    String id =
        id(current.experiment(), sequence, current.status().jsonName(), v.run(), v.tag(), step);
    payload.put("id", id);
    return new Alert(id, current.experiment(), current.status(), payload);
  }

  /**
   * What an experiment's flag holds when only its status is known (its state database was lost
   * while running): the deciding series' verdict of {@code verdict} (null when it has none), the
   * experiment and its status.
   */
  static ObjectNode statusPayload(String experiment, Status status, ExperimentVerdict verdict) {
    ObjectNode payload =
        verdict == null || verdict.series().isEmpty()
            ? JsonNodeFactory.instance.objectNode()
            : VerdictJson.of(deciding(verdict));
    payload.put("experiment", experiment);
    payload.put("status", status.jsonName());
    return payload;
  }

  String id(String experiment, long sequence, String status, String run, String tag, long step) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      String key =
          String.join(
              "\u0000",
              logdir,
              experiment,
              Long.toString(sequence),
              status,
              run,
              tag,
              Long.toString(step));
      byte[] digest = sha.digest(key.getBytes(StandardCharsets.UTF_8));
      return "msg_" + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
