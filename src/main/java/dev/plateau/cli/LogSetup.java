package dev.plateau.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.plateau.config.LogConfig;
import org.slf4j.LoggerFactory;

/**
 * Applies the {@code log} section once a command has read its configuration: the root level and the
 * format of {@link LogEncoder}. Before that, {@code config/logback.xml} logs as its variables say.
 */
final class LogSetup {
  private LogSetup() {}

  /** Applies what the configuration sets; what it leaves unset stays as logging started. */
  static void apply(LogConfig log) {
    if (log.level() != null
        && LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
      root.setLevel(Level.toLevel(log.level(), Level.INFO));
    }
    if (log.format() != null) {
      LogEncoder.use(log.format());
    }
  }
}
