package dev.plateau.server;

/**
 * The frame of the status pages: the stylesheet and the one script, both served by Plateau ({@code
 * /static/plateau.css}, {@code /static/plateau.js}; the CSP allows nothing else), and for browsers
 * without scripts a reload every few seconds (inside {@code <noscript>}, so the script's in-place
 * updates replace it).
 */
final class PageLayout {
  /** Seconds between reloads without scripts, and between the script's updates. */
  static final int REFRESH_SECONDS = 5;

  private PageLayout() {}

  static void open(StringBuilder out) {
    out.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<noscript><meta http-equiv=\"refresh\" content=\"")
        .append(REFRESH_SECONDS)
        .append("\"></noscript>")
        .append("<title>Plateau</title>")
        .append("<link rel=\"stylesheet\" href=\"")
        .append(StaticFile.STYLE.path())
        .append("\">")
        .append("<script src=\"")
        .append(StaticFile.SCRIPT.path())
        .append("\" defer></script>")
        .append("</head><body data-refresh=\"")
        .append(REFRESH_SECONDS)
        .append("\"><header><a class=\"home\" href=\"/\">Plateau</a>")
        .append("<span id=\"updated\" class=\"muted\"></span></header>");
  }

  static void close(StringBuilder out) {
    out.append("</body></html>");
  }

  /** A status badge. */
  static void badge(StringBuilder out, String status) {
    out.append("<span class=\"status ")
        .append(status)
        .append("\">")
        .append(status)
        .append("</span>");
  }
}
