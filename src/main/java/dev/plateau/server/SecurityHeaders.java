package dev.plateau.server;

import com.sun.net.httpserver.Headers;

/**
 * The headers on every response: nothing is cached, sniffed, framed or sent on as a referrer, and
 * the page may load nothing and run no script (its styles are inline, its charts inline SVG, its
 * one form, the token prompt, submits to this server).
 */
final class SecurityHeaders {
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; "
          + "frame-ancestors 'none'; base-uri 'none'";

  private SecurityHeaders() {}

  static void apply(Headers headers) {
    headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("X-Frame-Options", "DENY");
    headers.set("Referrer-Policy", "no-referrer");
    headers.set("Cache-Control", "no-store");
    headers.set("Cross-Origin-Resource-Policy", "same-origin");
  }
}
