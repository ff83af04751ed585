package dev.plateau.daemon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * What Plateau logs while a test runs, caught by a real logback appender on the {@code dev.plateau}
 * logger: the lines a user of {@code plateau watch} would read on standard error.
 */
final class CapturedLog implements AutoCloseable {
  private final Logger logger = (Logger) LoggerFactory.getLogger("dev.plateau");
  private final Level previousLevel = logger.getLevel();
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  /** Catches INFO and above, as {@code plateau watch} logs by default. */
  CapturedLog() {
    this(Level.INFO);
  }

  /** Catches {@code level} and above ({@code PLATEAU_LOG_LEVEL=DEBUG} for DEBUG). */
  CapturedLog(Level level) {
    logger.setLevel(level);
    appender.setContext(logger.getLoggerContext());
    appender.start();
    logger.addAppender(appender);
  }

  /** Every line caught so far, as {@code LEVEL message}. */
  List<String> lines() {
    synchronized (appender.list) {
      return appender.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
    }
  }

  /** The lines at {@code level} exactly. */
  List<String> at(Level level) {
    synchronized (appender.list) {
      return appender.list.stream()
          .filter(e -> e.getLevel() == level)
          .map(ILoggingEvent::getFormattedMessage)
          .toList();
    }
  }

  /** The lines at {@code level} that mention {@code text}. */
  List<String> at(Level level, String text) {
    return at(level).stream().filter(l -> l.contains(text)).toList();
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
    logger.setLevel(previousLevel);
  }
}
