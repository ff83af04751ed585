package dev.plateau.format;

import java.util.Locale;

/**
 * Text for a terminal or a log line with every control character escaped ({@code \n}, {@code \r},
 * {@code \t}, {@code \u001B} ...) and the Unicode characters that reorder or hide text
 * (bidirectional marks and isolates, zero-width characters, line and paragraph separators) too, so
 * that a run or tag name cannot forge a line, repaint a terminal or reverse what follows it.
 */
public final class PrintableText {
  private PrintableText() {}

  /** {@code text} with control and invisible formatting characters written as escapes. */
  public static String of(String text) {
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
      return String.format(Locale.ROOT, "\\u%04X", (int) c);
    }
    return null;
  }
}
