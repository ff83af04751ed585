package dev.plateau.cli;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.core.encoder.EncoderBase;
import dev.plateau.config.LogFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.event.KeyValuePair;

/**
 * Writes a log event as a readable line or as a JSON object, whichever {@code log.format} says;
 * used by {@code config/logback.xml}. The format is first read from {@code -Dplateau.log.format} or
 * {@code PLATEAU_LOG_FORMAT} (any case) when logging starts, and set again from the whole
 * configuration (file, variable, option) once a command has read it ({@link LogSetup}). A value
 * that names no format logs as text after one line on standard error saying so: logging is never
 * silent.
 *
 * <p>Text lines start with the time in ISO-8601, in UTC ({@code 2026-12-07T20:01:41.123Z}). JSON
 * lines carry the event's key-value pairs ({@code logdir}, {@code experiment}, {@code run}, {@code
 * tag}, {@code status}, {@code file} ...) as fields of its {@code mdc} object, beside the message.
 */
public final class LogEncoder extends EncoderBase<ILoggingEvent> {
  /** The text line: ISO-8601 time in UTC, level, logger, message (control characters escaped). */
  static final String TEXT_PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX, UTC} %-5level %logger{0} - %msg%n";

  private static volatile LogFormat format = initial();

  private final PatternLayoutEncoder text = new PatternLayoutEncoder();
  private final JsonEncoder json = new JsonEncoder();

  /** Sets the format of every line from now on. */
  static void use(LogFormat chosen) {
    format = chosen;
  }

  @Override
  public void start() {
    text.setContext(getContext());
    text.setPattern(TEXT_PATTERN);
    text.start();
    json.setContext(getContext());
    json.setWithSequenceNumber(false);
    json.setWithNanoseconds(false);
    json.setWithContext(false);
    json.setWithMDC(true);
    json.setWithKVPList(false);
    json.setWithArguments(false);
    json.setWithFormattedMessage(true);
    json.setWithMessage(false);
    json.start();
    super.start();
  }

  @Override
  public void stop() {
    text.stop();
    json.stop();
    super.stop();
  }

  @Override
  public byte[] headerBytes() {
    return null;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    return format == LogFormat.JSON ? json.encode(withFields(event)) : text.encode(event);
  }

  /**
   * The event with its key-value pairs in its MDC, so that JSON shows them as one object of named
   * fields ({@code "mdc": {"experiment": "a", "status": "converged"}}) rather than logback's list
   * of one-key objects.
   */
  static ILoggingEvent withFields(ILoggingEvent event) {
    List<KeyValuePair> pairs = event.getKeyValuePairs();
    if (pairs == null || pairs.isEmpty()) {
      return event;
    }
    Map<String, String> fields = new LinkedHashMap<>(event.getMDCPropertyMap());
    for (KeyValuePair pair : pairs) {
      fields.put(pair.key, String.valueOf(pair.value));
    }
    LoggingEvent copy = new LoggingEvent();
    copy.setLoggerName(event.getLoggerName());
    copy.setLoggerContextRemoteView(event.getLoggerContextVO());
    copy.setLevel(event.getLevel());
    copy.setThreadName(event.getThreadName());
    copy.setMessage(event.getMessage());
    copy.setArgumentArray(event.getArgumentArray());
    copy.setInstant(event.getInstant());
    if (event.getThrowableProxy() instanceof ThrowableProxy thrown) {
      copy.setThrowableProxy(thrown);
    }
    copy.setMDCPropertyMap(fields);
    return copy;
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }

  private static LogFormat initial() {
    String property = System.getProperty("plateau.log.format");
    String name = property != null ? "-Dplateau.log.format" : "PLATEAU_LOG_FORMAT";
    String value = property != null ? property : System.getenv("PLATEAU_LOG_FORMAT");
    if (value == null || value.isBlank()) {
      return LogFormat.TEXT;
    }
    Optional<LogFormat> read = LogFormat.parse(value);
    if (read.isEmpty()) {
      System.err.println(
          "plateau: "
              + name
              + "='"
              + PrintableMessage.printable(value)
              + "' is not a log format (allowed, any case: text, json); logging as text");
    }
    return read.orElse(LogFormat.TEXT);
  }
}
