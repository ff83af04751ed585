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
 * plateau replay} prints it, plus logdir, experiment, host, time, previous_status, transitions,
 * last_message_time and recent values).
 *
 * <p>The id is a function of what the verdict says: logdir, experiment, status, the step at which
 * the experiment entered it and the best step it names. Deciding the same verdict again (after a
 * crash, after rebuilding the state, when a run is read again from its start) gives the same id,
 * and the store records an id once, so the same verdict is never sent twice nor under two ids; a
 * later change to the same status enters it at a later step, and so is a new id.
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

  /**
   * The series verdict that speaks for an experiment's status: of the deciding series with that
   * status, the one that entered it last (the experiment entered it with that series), the first of
   * them on a tie; a deciding series when none has it.
   */
  static Verdict deciding(ExperimentVerdict run) {
    Verdict latest = null;
    for (Verdict v : run.deciding()) {
      if (v.status() == run.status() && (latest == null || decidedStep(v) > decidedStep(latest))) {
        latest = v;
      }
    }
    if (latest != null) {
      return latest;
    }
    return run.deciding().isEmpty() ? run.series().get(0) : run.deciding().get(0);
  }

  /** The step at which a series entered its status (its last step when that is not known). */
  static long decidedStep(Verdict v) {
    return v.decidedAtStep() != null ? v.decidedAtStep() : v.lastStep();
  }

  /** The alert of {@code current}'s transition, found at {@code time}. */
  Alert alert(ExperimentVerdict current, AlertPayload.Change change, Instant time) {
    Verdict v = deciding(current);
    String id = id(current.experiment(), current.status(), decidedStep(v), v.bestStep());
    ObjectNode payload =
        AlertPayload.of(
            v,
            current.status(),
            current.reason(),
            new AlertPayload.Origin(logdir, current.experiment(), host, time),
            change,
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

  /**
   * The id of a verdict that says {@code experiment} entered {@code status} at {@code decidedStep}
   * with {@code bestStep} the checkpoint to keep (null: none yet).
   */
  String id(String experiment, Status status, long decidedStep, @Nullable Long bestStep) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      String key =
          String.join(
              "\u0000",
              logdir,
              experiment,
              status.jsonName(),
              Long.toString(decidedStep),
              bestStep == null ? "-" : Long.toString(bestStep));
      byte[] digest = sha.digest(key.getBytes(StandardCharsets.UTF_8));
      return "msg_" + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
