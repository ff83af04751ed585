package dev.plateau.server;

import java.util.List;

/**
 * The headers on every response: nothing is cached, sniffed, framed or sent on as a referrer, and
 * the page may load nothing but Plateau's own stylesheet and script ({@link StaticFile}: {@code
 * script-src 'self'}, no inline script, no other origin), fetch nothing but this server (the
 * script's in-place updates), and its forms (the filter, the token prompt) submit only here. Its
 * charts are inline SVG. Inline styles stay allowed for the token prompt's few rules.
 */
final class SecurityHeaders {
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src data:; "
          + "connect-src 'self'; form-action 'self'; "
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
