package dev.plateau.server;

/**
 * The page a browser gets (with 401) when the status page needs the token: a form that opens {@code
 * /?token=...} once, after which a session cookie carries the browser (and the page's own reloads)
 * on.
 */
final class TokenPrompt {
  private TokenPrompt() {}

  static String render() {
    return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<title>Plateau: token needed</title><style>"
        + "body{font:14px system-ui,sans-serif;margin:24px;color:#222}h1{font-size:20px}"
        + "</style></head><body><h1>Plateau</h1>"
        + "<p id=\"token-needed\">This status page needs the token Plateau was started with"
        + " (<code>--http-token-file</code>, <code>PLATEAU_HTTP_TOKEN</code>).</p>"
        + "<form method=\"get\" action=\"/\"><label>Token <input type=\"password\" name=\"token\""
        + " autocomplete=\"current-password\" required></label> <button type=\"submit\">Open</button>"
        + "</form></body></html>";
  }
}
