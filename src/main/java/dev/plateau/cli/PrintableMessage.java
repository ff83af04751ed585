package dev.plateau.cli;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.plateau.format.PrintableText;

/**
 * The log message with every control character escaped ({@code \n}, {@code \r}, {@code \t}, {@code
 * \u001B} ...), and the Unicode controls that reorder or hide text (bidirectional marks and
 * isolates, zero-width characters) too, so that a run or tag named {@code "nl\nrun"} or with an
 * ANSI escape cannot forge a log line or repaint a terminal. Used by {@code config/logback.xml} for
 * {@code %msg}; the JSON format escapes them as JSON does.
 */
public final class PrintableMessage extends MessageConverter {

  @Override
  public String convert(ILoggingEvent event) {
    return printable(super.convert(event));
  }

  /** {@code text} with control and invisible formatting characters written as escapes. */
  public static String printable(String text) {
    return PrintableText.of(text);
  }
}
