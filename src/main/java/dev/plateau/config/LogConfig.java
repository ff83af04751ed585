package dev.plateau.config;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The {@code log} section: how much is logged and in which format. Logs go to standard error. A
 * value not set anywhere is null: logging then stays as {@code config/logback.xml} started it
 * (INFO, text, or its {@code -Dplateau.log.*} properties).
 *
 * @param level the least level logged: TRACE, DEBUG, INFO, WARN, ERROR or OFF ({@code log.level}),
 *     or null
 * @param format text or JSON lines ({@code log.format}), or null
 */
public record LogConfig(@Nullable String level, @Nullable LogFormat format) {
  static final Set<String> KEYS = Set.of("level", "format");
  static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

  /** Nothing set: as logging started (INFO, as text, unless -Dplateau.log.* say otherwise). */
  public static LogConfig defaults() {
    return new LogConfig(null, null);
  }

  static LogConfig parse(ConfigNode log) throws ConfigException {
    log.allowOnly(KEYS);
    String written = log.get("level").string(null);
    String level = written == null ? null : written.strip().toUpperCase(Locale.ROOT);
    if (level != null && !LEVELS.contains(level)) {
      throw log.get("level")
          .error(
              "'"
                  + log.get("level").raw()
                  + "' is not a log level; allowed (any case): "
                  + String.join(", ", LEVELS));
    }
    ConfigNode formatNode = log.get("format");
    String formatText = formatNode.string(null);
    if (formatText == null) {
      return new LogConfig(level, null);
    }
    LogFormat format =
        LogFormat.parse(formatText)
            .orElseThrow(
                () ->
                    formatNode.error(
                        "'"
                            + formatText
                            + "' is not a log format; allowed (any case): text, json"));
    return new LogConfig(level, format);
  }
}
