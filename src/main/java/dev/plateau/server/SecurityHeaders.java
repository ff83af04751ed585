package dev.plateau.server;

import java.util.List;

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

  static final List<HeaderFields.Field> FIELDS =
      HeaderFields.of(
              "Content-Security-Policy", CONTENT_SECURITY_POLICY,
              "X-Content-Type-Options", "nosniff",
              "X-Frame-Options", "DENY",
              "Referrer-Policy", "no-referrer",
              "Cache-Control", "no-store",
              "Cross-Origin-Resource-Policy", "same-origin")
          .fields();
}
