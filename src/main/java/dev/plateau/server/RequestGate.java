package dev.plateau.server;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Decides what happens to a request before a route runs, in this order: only GET and HEAD (405); no
 * request body (413); a target in the origin or absolute form ({@link RequestTarget}, 400); at most
 * one {@code Host} (400); on a loopback-bound server only loopback host names (421: a web page that
 * rebinds its own domain name to 127.0.0.1 must not read the API), the host being the absolute
 * form's authority when the target has one and {@code Host} otherwise (RFC 9112 section 3.2.2), so
 * that neither can stand in for the other; only the known paths (404); and for guarded routes, when
 * a token is configured, the token (401).
 *
 * <p>The token is accepted as {@code Authorization: Bearer TOKEN} on every guarded route, as the
 * session cookie set for a browser, and, on the status page only, as {@code ?token=TOKEN}, which
 * starts a browser session.
 */
final class RequestGate {
  static final String SESSION_COOKIE = "plateau_session";

  private static final Pattern LOOPBACK_V4 = Pattern.compile("127(\\.\\d{1,3}){3}");

  private final @Nullable BearerToken token;
  private final boolean loopbackBound;

  /**
   * @param token the token guarded routes need, or null for none
   * @param loopbackBound whether the server listens on a loopback address only
   */
  RequestGate(@Nullable BearerToken token, boolean loopbackBound) {
    this.token = token;
    this.loopbackBound = loopbackBound;
  }

  Admission admit(RequestHead head) {
    String method = head.method();
    HeaderFields headers = head.fields();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      return new Admission.Refuse(405, "only GET and HEAD");
    }
    if (hasBody(headers)) {
      return new Admission.Refuse(413, "requests to this server have no body");
    }
    Optional<RequestTarget> target = RequestTarget.parse(head.target());
    if (target.isEmpty()) {
      return new Admission.Refuse(400, "not a request target: /PATH or http://HOST/PATH");
    }
    List<String> hosts = headers.values("Host");
    if (hosts.size() > 1) {
      return new Admission.Refuse(400, "more than one Host field");
    }
    // RFC 9112 section 3.2.2: an absolute-form target's authority is the host, whatever Host says.
    String host = target.get().authority();
    if (host == null) {
      host = hosts.isEmpty() ? null : hosts.get(0);
    }
    if (loopbackBound && !isLoopbackHost(host)) {
      return new Admission.Refuse(
          421, "this server answers to localhost and loopback addresses only");
    }
    Optional<Route> found = Route.of(target.get().rawPath());
    if (found.isEmpty()) {
      return new Admission.Refuse(404, "not found");
    }
    Route route = found.get();
    if (token == null || !route.guarded()) {
      return new Admission.Admit(route);
    }
    if (bearerMatches(headers.values("Authorization"))
        || sessionMatches(headers.values("Cookie"))) {
      return new Admission.Admit(route);
    }
    if (route == Route.PAGE && token.matches(queryToken(target.get().rawQuery()))) {
      return new Admission.StartSession(token.sessionValue());
    }
    return new Admission.Challenge(route);
  }

  /**
   * Whether an admitted request may read experiment names and logdir paths where an open route
   * carries them ({@code /metrics}' per-experiment status): always without a token, with one only
   * when the request carries it, as for the page and {@code /api/*}.
   */
  boolean mayReadNames(RequestHead head) {
    return token == null
        || bearerMatches(head.fields().values("Authorization"))
        || sessionMatches(head.fields().values("Cookie"));
  }

  /**
   * Whether the request announces a body: any Transfer-Encoding, or a Content-Length other than a
   * single 0. The body is never read, so it is never parsed either.
   */
  private static boolean hasBody(HeaderFields headers) {
    List<String> lengths = headers.values("Content-Length");
    return headers.contains("Transfer-Encoding")
        || lengths.size() > 1
        || (lengths.size() == 1 && !lengths.get(0).equals("0"));
  }

  /** Host names a loopback-bound server answers to: localhost, 127.0.0.0/8 and ::1, any port. */
  static boolean isLoopbackHost(String host) {
    if (host == null) {
      return true; // HTTP/1.0 clients send none; browsers always do
    }
    String h = host.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end > 0 && h.substring(1, end).equals("::1") && portOnly(h.substring(end + 1));
    }
    int colon = h.indexOf(':');
    String name = colon < 0 ? h : h.substring(0, colon);
    if (colon >= 0 && !portOnly(h.substring(colon))) {
      return false;
    }
    return name.equals("localhost") || LOOPBACK_V4.matcher(name).matches();
  }

  private static boolean portOnly(String rest) {
    return rest.isEmpty() || rest.matches(":\\d{1,5}");
  }

  private boolean bearerMatches(List<String> values) {
    for (String value : values) {
      String v = value.strip();
      if (v.regionMatches(true, 0, "Bearer ", 0, 7) && token.matches(v.substring(7).strip())) {
        return true;
      }
    }
    return false;
  }

  private boolean sessionMatches(List<String> values) {
    for (String value : values) {
      for (String pair : value.split(";")) {
        int eq = pair.indexOf('=');
        if (eq > 0
            && pair.substring(0, eq).strip().equals(SESSION_COOKIE)
            && token.matchesSession(pair.substring(eq + 1).strip())) {
          return true;
        }
      }
    }
    return false;
  }

  /** The value of {@code token=} in a raw query, decoded; null when absent or malformed. */
  static String queryToken(String rawQuery) {
    if (rawQuery == null) {
      return null;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.startsWith("token=")) {
        try {
          return URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
          return null;
        }
      }
    }
    return null;
  }
}
