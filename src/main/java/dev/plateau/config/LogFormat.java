package dev.plateau.config;

import java.util.Locale;
import java.util.Optional;

/** How log lines are written ({@code log.format}): readable text, or one JSON object a line. */
public enum LogFormat {
  /** A readable line: ISO-8601 time in UTC, level, logger, message. */
  TEXT,
  /** One JSON object a line, with the run, tag, status or file of the event as fields. */
  JSON;

  /** The format {@code text} names, in any case, or empty when it names none. */
  public static Optional<LogFormat> parse(String text) {
    for (LogFormat format : values()) {
      if (format.name().equalsIgnoreCase(text.strip())) {
        return Optional.of(format);
      }
    }
    return Optional.empty();
  }

  /** The name as written in the configuration, in lower case. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
