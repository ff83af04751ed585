package dev.plateau.format;

import java.io.IOException;

/** The bits of JSON that Plateau writes by hand on its hot output paths. */
public final class JsonText {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private JsonText() {}

  /**
   * Appends a double as a JSON value that parses back to exactly the same double ({@link
   * Double#toString(double)} round-trips), or as the strings "NaN", "Infinity" and "-Infinity",
   * which JSON numbers cannot express. A float32 value widened to double prints with the digits of
   * the double (0.1f prints as 0.10000000149011612), so the stored bits are recoverable.
   */
  public static void number(Appendable out, double value) throws IOException {
    if (Double.isNaN(value)) {
      out.append("\"NaN\"");
    } else if (Double.isInfinite(value)) {
      out.append(value > 0 ? "\"Infinity\"" : "\"-Infinity\"");
    } else {
      out.append(Double.toString(value));
    }
  }

  /** Appends a JSON string literal, escaping quotes, backslashes and control characters. */
  public static void string(Appendable out, String value) throws IOException {
    out.append('"');
    int start = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\' || c < 0x20 || c == 0x2028 || c == 0x2029) {
        out.append(value, start, i);
        switch (c) {
          case '"' -> out.append("\\\"");
          case '\\' -> out.append("\\\\");
          case '\n' -> out.append("\\n");
          case '\r' -> out.append("\\r");
          case '\t' -> out.append("\\t");
          default ->
              out.append("\\u")
                  .append(HEX[(c >> 12) & 0xf])
                  .append(HEX[(c >> 8) & 0xf])
                  .append(HEX[(c >> 4) & 0xf])
                  .append(HEX[c & 0xf]);
        }
        start = i + 1;
      }
    }
    out.append(value, start, value.length());
    out.append('"');
  }
}
