package dev.plateau.server;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a request target names (RFC 9112 section 3.2): the origin form {@code /path?query} that
 * clients send to a server, or the absolute form {@code http://authority/path?query} that they send
 * to a proxy and that a server must accept too. Nothing is decoded: routes match the raw path, so
 * {@code //evil.example/api/runs} is a path (and 404), not an authority.
 *
 * @param authority the absolute form's {@code host[:port]}, or null in the origin form
 * @param rawPath the path as sent, {@code /} when the absolute form has none
 * @param rawQuery the text after {@code ?}, or null
 */
record RequestTarget(@Nullable String authority, String rawPath, @Nullable String rawQuery) {

  /**
   * The target's parts, or empty when it is in neither form: the asterisk and authority forms (for
   * OPTIONS and CONNECT, which this server refuses anyway), another scheme, user information in the
   * authority (RFC 9110 section 4.2.4: an error), or a fragment.
   */
  static Optional<RequestTarget> parse(String target) {
    if (target.indexOf('#') >= 0) {
      return Optional.empty();
    }
    if (target.startsWith("/")) {
      return Optional.of(pathAndQuery(null, target));
    }
    int afterScheme = schemeEnd(target);
    if (afterScheme < 0) {
      return Optional.empty();
    }
    int end = afterScheme;
    while (end < target.length() && target.charAt(end) != '/' && target.charAt(end) != '?') {
      end++;
    }
    String authority = target.substring(afterScheme, end);
    if (authority.isEmpty() || authority.indexOf('@') >= 0) {
      return Optional.empty();
    }
    String rest = target.substring(end);
    return Optional.of(pathAndQuery(authority, rest.startsWith("/") ? rest : "/" + rest));
  }

  /** Where the authority starts after {@code http://} or {@code https://} (any case), or -1. */
  private static int schemeEnd(String target) {
    for (String scheme : new String[] {"http://", "https://"}) {
      if (target.regionMatches(true, 0, scheme, 0, scheme.length())) {
        return scheme.length();
      }
    }
    return -1;
  }

  private static RequestTarget pathAndQuery(String authority, String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    return q < 0
        ? new RequestTarget(authority, pathAndQuery, null)
        : new RequestTarget(authority, pathAndQuery.substring(0, q), pathAndQuery.substring(q + 1));
  }
}
