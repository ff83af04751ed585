package dev.plateau.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import dev.plateau.config.LogFormat;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/** Text lines carry an ISO-8601 time with its zone; JSON lines carry the event's fields. */
class LogEncoderTest {
  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final LogEncoder encoder = new LogEncoder();

  @AfterEach
  void textAgain() {
    LogEncoder.use(LogFormat.TEXT);
    encoder.stop();
  }

  private LoggingEvent transition() {
    Logger logger = context.getLogger("dev.plateau.daemon.Watcher");
    LoggingEvent event =
        new LoggingEvent(
            Logger.class.getName(),
            logger,
            Level.INFO,
            "{} {}: {} -> {}",
            null,
            new Object[] {"/logs", "exp-1", "training", "converged"});
    event.setInstant(Instant.parse("2026-12-07T20:01:41.123Z"));
    event.addKeyValuePair(new KeyValuePair("experiment", "exp-1"));
    event.addKeyValuePair(new KeyValuePair("status", "converged"));
    return event;
  }

  private String encoded() {
    encoder.setContext(context);
    encoder.start();
    return new String(encoder.encode(transition()), StandardCharsets.UTF_8);
  }

  @Test
  void aTextLineStartsWithTheDateTimeAndZoneInIso8601() {
    LogEncoder.use(LogFormat.TEXT);
    assertThat(encoded())
        .startsWith("2026-12-07T20:01:41.123Z INFO  Watcher - /logs exp-1: training -> converged");
  }

  @Test
  void aJsonLineCarriesTheEventsFieldsBesideTheMessage() {
    LogEncoder.use(LogFormat.JSON);
    String line = encoded();
    assertThat(line)
        .contains("\"mdc\": {\"experiment\":\"exp-1\",\"status\":\"converged\"}")
        .contains("\"formattedMessage\":\"\\/logs exp-1: training -> converged\"")
        .contains("\"timestamp\":" + Instant.parse("2026-12-07T20:01:41.123Z").toEpochMilli());
  }
}
