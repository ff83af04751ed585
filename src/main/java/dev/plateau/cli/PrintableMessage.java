package dev.plateau.cli;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * The log message with every control character escaped ({@code \n}, {@code \r}, {@code \t},
 * {@code \u001B} ...), and the Unicode controls that reorder or hide text (bidirectional marks and
 * isolates, zero-width characters) too, so that a run or tag named {@code "nl\nrun"} or with an
 * ANSI escape cannot forge a log line or repaint a terminal. Used by {@code config/logback.xml}
 * for {@code %msg}; the JSON format escapes them as JSON does.
 */
public final class PrintableMessage extends MessageConverter {

  @Override
  public String convert(ILoggingEvent event) {
    return printable(super.convert(event));
  }

  /** {@code text} with control and invisible formatting characters written as escapes. */
  public static String printable(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String escape = escape(c);
      if (escape != null && out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (out != null) {
        if (escape != null) {
          out.append(escape);
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? text : out.toString();
  }

  private static String escape(char c) {
    switch (c) {
      case '\n':
        return "\\n";
      case '\r':
        return "\\r";
      case '\t':
        return "\\t";
      default:
        break;
    }
    int type = Character.getType(c);
    if (type == Character.CONTROL || type == Character.FORMAT || c == '\u2028' || c == '\u2029') {
      return String.format(java.util.Locale.ROOT, "\\u%04X", (int) c);
    }
    return null;
  }
}
