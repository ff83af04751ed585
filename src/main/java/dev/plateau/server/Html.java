package dev.plateau.server;

/** Escaping for text and attribute values in the pages Plateau serves. */
final class Html {
  private Html() {}

  /** The text with &amp;, &lt;, &gt;, quotes and apostrophes escaped (safe in text and attributes). */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
