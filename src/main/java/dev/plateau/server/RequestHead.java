package dev.plateau.server;

import java.util.Locale;

/**
 * A request's line and header fields, as {@link HeadScanner} read them. Requests to this server
 * have no body: the head is the whole request.
 *
 * @param method as sent (methods are case-sensitive)
 * @param target the request target as sent; {@link RequestTarget#parse} says what it names
 * @param version {@code HTTP/1.1} or {@code HTTP/1.0}
 */
record RequestHead(String method, String target, String version, HeaderFields fields) {
  /**
   * Whether the client may send another request on the connection after this one: HTTP/1.1 unless
   * it asked for {@code Connection: close}. HTTP/1.0 connections end after one response.
   */
  boolean keepAlive() {
    if (!version.equals("HTTP/1.1")) {
      return false;
    }
    for (String value : fields.values("Connection")) {
      for (String option : value.split(",")) {
        if (option.strip().toLowerCase(Locale.ROOT).equals("close")) {
          return false;
        }
      }
    }
    return true;
  }

  boolean isHead() {
    return method.equals("HEAD");
  }
}
