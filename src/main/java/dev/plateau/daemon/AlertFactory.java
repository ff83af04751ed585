package dev.plateau.daemon;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plateau.detect.Status;
import dev.plateau.detect.Verdict;
import dev.plateau.series.Series;
import dev.plateau.series.SeriesKey;
import dev.plateau.sink.Alert;
import dev.plateau.sink.AlertPayload;
import dev.plateau.verdict.ExperimentVerdict;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Turns an experiment's verdict transition into an alert: which series decides, its recent values,
 * and the id; the payload is {@link AlertPayload}'s (the deciding series' verdict object, as {@code
 * plateau replay} prints it, plus logdir, experiment, host, time, previous_status and recent
 * values). The id is derived from the transition: logdir, experiment, the transition's number
 * within the experiment (committed with the round, so a round decided again after a crash numbers
 * it the same), status, deciding series and decided step. Deciding the same transition again, after
 * a crash or after rebuilding the state, gives the same id, so receivers that deduplicate on {@code
 * webhook-id} see it once; a later transition to the same status is a new id.
 */
final class AlertFactory {
  /** Values sent for sparklines. */
  static final int RECENT_VALUES = 64;

  private final String logdir;
  private final String host;
  private final Function<SeriesKey, @Nullable Series> kept;

  /**
   * @param kept the points kept of a series, for its recent values (null when none are kept)
   */
  AlertFactory(String logdir, String host, Function<SeriesKey, @Nullable Series> kept) {
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
    long step = v.decidedAtStep() != null ? v.decidedAtStep() : v.lastStep();
    String id =
        id(current.experiment(), sequence, current.status().jsonName(), v.run(), v.tag(), step);
    ObjectNode payload =
        AlertPayload.of(
            v,
            current.status(),
            current.reason(),
            new AlertPayload.Origin(logdir, current.experiment(), host, time),
            previous == null ? Status.TRAINING : previous,
            recentValues(new SeriesKey(v.run(), v.tag())),
            id);
    return new Alert(id, current.experiment(), current.status(), payload);
  }

  /** The last {@value #RECENT_VALUES} values kept of a series (none when none are kept). */
  private double[] recentValues(SeriesKey key) {
    Series series = kept.apply(key);
    if (series == null) {
      return new double[0];
    }
    int from = Math.max(0, series.size() - RECENT_VALUES);
    double[] values = new double[series.size() - from];
    for (int i = from; i < series.size(); i++) {
      values[i - from] = series.value(i);
    }
    return values;
  }

  /**
   * What an experiment's flag holds when only its status is known (its state database was lost
   * while running), from its last verdict (null when it had none).
   */
  static ObjectNode statusPayload(String experiment, Status status, ExperimentVerdict verdict) {
    Verdict deciding = verdict == null || verdict.series().isEmpty() ? null : deciding(verdict);
    return AlertPayload.statusOnly(deciding, experiment, status);
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
