package dev.plateau.sink;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plateau.format.VerdictJson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The environment a hook's command runs with: the daemon's own without its {@code PLATEAU_*}
 * variables (its configuration and secrets are not the command's), then the verdict as {@code
 * PLATEAU_*} variables, then the hook's configured variables. A verdict's text (a run's name, a
 * reason) reaches the command only here and on its input, verbatim, never in its arguments.
 */
final class HookEnvironment {
  /** The prefix of the daemon's variables, which commands do not inherit, and of the verdict's. */
  static final String PREFIX = "PLATEAU_";

  /** Payload fields passed as {@code PLATEAU_} and the field's name in upper case. */
  static final List<String> FIELDS =
      List.of(
          AlertPayload.EXPERIMENT,
          VerdictJson.RUN,
          VerdictJson.TAG,
          VerdictJson.STATUS,
          AlertPayload.PREVIOUS_STATUS,
          VerdictJson.BEST_STEP,
          VerdictJson.BEST_VALUE,
          VerdictJson.DECIDED_AT_STEP,
          VerdictJson.LAST_STEP,
          VerdictJson.DETECTOR,
          VerdictJson.REASON,
          AlertPayload.LOGDIR,
          AlertPayload.HOST,
          AlertPayload.TIME);

  private HookEnvironment() {}

  /**
   * @param inherited the daemon's environment
   * @param hook the hook
   * @param alert the verdict
   */
  static Map<String, String> of(Map<String, String> inherited, HookSettings hook, Alert alert) {
    Map<String, String> env = new LinkedHashMap<>();
    inherited.forEach(
        (name, value) -> {
          if (!name.startsWith(PREFIX)) {
            env.put(name, value);
          }
        });
    JsonNode payload = alert.payload();
    for (String field : FIELDS) {
      JsonNode value = payload.get(field);
      if (value != null && value.isValueNode() && !value.isNull()) {
        env.put(PREFIX + field.toUpperCase(Locale.ROOT), value.asText());
      }
    }
    env.put(PREFIX + "EXPERIMENT", alert.experiment());
    env.put(PREFIX + "VERDICT_ID", alert.id());
    env.put(PREFIX + "HOOK", hook.name());
    env.putAll(hook.env());
    return env;
  }
}
