package dev.plateau.server;

import java.util.Locale;

/**
 * Escaping for text and attribute values in the pages Plateau serves.
 *
 * <p>Run and tag names come from directory names and event files anyone who can write the logdir
 * chose, so besides markup they may hold characters a reader cannot see: bidirectional controls
 * (U+202E before {@code gnp.exe} makes it read {@code exe.png}), zero-width characters (U+200B
 * makes two names that look the same), tag characters (U+E0041 ...: hidden text) and control
 * characters. Those ({@linkplain #isHidden(int) Unicode categories Cc, Cf, Zl and Zp}, and lone
 * surrogates) are never written as themselves: in text they appear as their {@linkplain #code
 * code}, marked ({@code <span class="cp">}, titled with the character's name); in attributes, where
 * no markup can go, as the code alone.
 */
final class Html {
  /** The style of a {@link #text marked} character, for the page's stylesheet. */
  static final String HIDDEN_STYLE =
      ".cp{font:12px monospace;color:#b71c1c;background:#fdecea;border-radius:2px;padding:0 1px}";

  private Html() {}

  /**
   * Text for an element's content: &amp;, &lt;, &gt;, quotes and apostrophes escaped, and every
   * hidden character shown as its code in a marked span.
   */
  static String text(String text) {
    return escape(text, true);
  }

  /**
   * An attribute value: &amp;, &lt;, &gt;, quotes and apostrophes escaped (also safe as text), and
   * every hidden character written as its code.
   */
  static String attribute(String text) {
    return escape(text, false);
  }

  /**
   * Whether a code point is one a reader cannot see or that rearranges what is around it: controls
   * (Cc), format characters (Cf: bidirectional controls, zero-width characters, tag characters, the
   * byte order mark), line and paragraph separators (Zl, Zp) and lone surrogates (Cs).
   */
  static boolean isHidden(int codePoint) {
    return switch (Character.getType(codePoint)) {
      case Character.CONTROL,
          Character.FORMAT,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR,
          Character.SURROGATE ->
          true;
      default -> false;
    };
  }

  /**
   * A code point as Java and JSON write it, a backslash, {@code u} and four hex digits ({@code
   * \}{@code u202E}), or beyond the basic plane {@code \U} and eight ({@code \U000E0041}).
   */
  static String code(int codePoint) {
    return Character.isBmpCodePoint(codePoint)
        ? String.format(Locale.ROOT, "\\u%04X", codePoint)
        : String.format(Locale.ROOT, "\\U%08X", codePoint);
  }

  private static String escape(String text, boolean marked) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> {
          if (!isHidden(c)) {
            out.appendCodePoint(c);
          } else if (marked) {
            String name = Character.getName(c);
            out.append("<span class=\"cp\" title=\"")
                .append(
                    name == null ? "U+" + Integer.toHexString(c).toUpperCase(Locale.ROOT) : name)
                .append("\">")
                .append(code(c))
                .append("</span>");
          } else {
            out.append(code(c));
          }
        }
      }
    }
    return out.toString();
  }
}
