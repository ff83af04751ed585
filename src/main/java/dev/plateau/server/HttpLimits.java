package dev.plateau.server;

import java.time.Duration;

/**
 * What one client may cost the status server, enforced by {@link HttpLoop} for each server (not per
 * JVM).
 *
 * <p>What happens at each limit: a request whose head (request line and header fields) is too large
 * or has too many fields is answered 431 (414 when the request line alone is too long) and its
 * connection closed; a connection that has not delivered a complete request head {@code
 * maxRequestTime} after it was accepted (or, kept alive, after the first byte of its next request)
 * is closed unanswered, as is one that has not taken its response within {@code maxResponseTime} or
 * sent a next request within {@code idleTimeout}. When {@code maxConnections} are open and another
 * arrives, the server makes room rather than refusing it: it closes a connection that is done (its
 * response sent, the client not yet gone), else an idle kept-alive one, else the one that has
 * waited longest for its request or its response to go. A probe's request comes whole in one packet
 * and is answered as soon as it is read, so it is never the one that has waited longest: slow
 * clients, however many, cannot keep the probes out. Only connections whose response is being
 * computed are never closed; the new one is refused if every connection is such.
 *
 * @param maxConnections open connections at once
 * @param maxHeaderFields header field lines in a request (repeated names count each time)
 * @param maxHeaderBytes bytes of the request line and header fields, line ends included
 * @param maxRequestTime from a connection's start (or, kept alive, its next request's first byte)
 *     to its request head's last byte
 * @param maxResponseTime from the response's start to its last byte taken by the client
 * @param idleTimeout how long a kept-alive connection may wait for its next request
 * @param renderThreads threads that compute the page, {@code /api/runs} and {@code /metrics} (the
 *     probes are answered on the connection thread and never wait for these)
 * @param checkEvery how often deadlines are checked: each is enforced within this much
 */
public record HttpLimits(
    int maxConnections,
    int maxHeaderFields,
    int maxHeaderBytes,
    Duration maxRequestTime,
    Duration maxResponseTime,
    Duration idleTimeout,
    int renderThreads,
    Duration checkEvery) {

  /** Plateau's limits: ample for probes, scrapers and browsers, small for anything else. */
  public static final HttpLimits DEFAULTS =
      new HttpLimits(
          64,
          50,
          16 * 1024,
          Duration.ofSeconds(10),
          Duration.ofSeconds(30),
          Duration.ofSeconds(30),
          2,
          Duration.ofSeconds(1));

  public HttpLimits {
    if (maxConnections < 1 || maxHeaderFields < 1 || maxHeaderBytes < 64 || renderThreads < 1) {
      throw new IllegalArgumentException(
          "HTTP limits: at least 1 connection, 1 header field, 64 header bytes and 1 render thread");
    }
    for (Duration d : new Duration[] {maxRequestTime, maxResponseTime, idleTimeout, checkEvery}) {
      if (d.toMillis() < 1) {
        throw new IllegalArgumentException("HTTP time limits must be at least 1 ms, not " + d);
      }
    }
  }
}
