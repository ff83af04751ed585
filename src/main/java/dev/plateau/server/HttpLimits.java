package dev.plateau.server;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one client may cost the status server: connections, request headers, and how long a request
 * may take to arrive or a response to be taken. The JDK's server ({@code com.sun.net.httpserver})
 * enforces these itself, configured by system properties that it reads once per JVM, when its
 * first server is created; {@link #applyToJdk()} sets them before that happens (a property the
 * operator already set, e.g. {@code -Dsun.net.httpserver.maxReqTime=20}, is left as it is).
 *
 * <p>What the JDK does when a limit is hit: a request with too many header fields or too many
 * header bytes (the request line counts) is answered by closing the connection; a connection that
 * has not delivered a complete request {@code maxRequestTime} after its first byte (or after it
 * was accepted, if it sends nothing) is closed; connections beyond {@code maxConnections} are
 * closed as soon as they are accepted.
 *
 * <p>The server's handler threads number {@code maxConnections}: the JDK reads a request's headers
 * on a handler thread, so fewer threads than connections would let a few clients that send their
 * headers slowly hold every thread and starve the health probes.
 *
 * @param maxConnections open connections at once ({@code jdk.httpserver.maxConnections})
 * @param maxRequestHeaders distinct header names in a request ({@code
 *     sun.net.httpserver.maxReqHeaders}); repeated names are bounded by {@code maxHeaderBytes}
 * @param maxHeaderBytes bytes of the request line and headers, each field counted as name plus
 *     value plus 32 ({@code sun.net.httpserver.maxReqHeaderSize})
 * @param maxRequestTime from a request's first byte to its last ({@code
 *     sun.net.httpserver.maxReqTime}, whole seconds); also how long a new connection may stay
 *     silent
 * @param maxResponseTime from the response's start to its last byte taken by the client ({@code
 *     sun.net.httpserver.maxRspTime}, whole seconds)
 * @param idleTimeout how long a kept-alive connection may wait for its next request ({@code
 *     sun.net.httpserver.idleInterval}, whole seconds)
 * @param maxIdleConnections kept-alive connections held open between requests ({@code
 *     sun.net.httpserver.maxIdleConnections})
 * @param checkEvery how often the JDK looks for connections past their time ({@code
 *     sun.net.httpserver.clockTick} and {@code timerMillis})
 */
public record HttpLimits(
    int maxConnections,
    int maxRequestHeaders,
    int maxHeaderBytes,
    Duration maxRequestTime,
    Duration maxResponseTime,
    Duration idleTimeout,
    int maxIdleConnections,
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
          16,
          Duration.ofSeconds(1));

  public HttpLimits {
    if (maxConnections < 1 || maxRequestHeaders < 1 || maxHeaderBytes < 1 || maxIdleConnections < 0) {
      throw new IllegalArgumentException("HTTP limits must be positive");
    }
    for (Duration d : new Duration[] {maxRequestTime, maxResponseTime, idleTimeout}) {
      if (d.toSeconds() < 1) {
        throw new IllegalArgumentException("HTTP time limits are whole seconds, at least 1 s");
      }
    }
    if (checkEvery.toMillis() < 1) {
      throw new IllegalArgumentException("the HTTP timer interval must be at least 1 ms");
    }
  }

  /** The JDK system properties that carry these limits, by name. */
  public Map<String, String> jdkProperties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("jdk.httpserver.maxConnections", Integer.toString(maxConnections));
    p.put("sun.net.httpserver.maxReqHeaders", Integer.toString(maxRequestHeaders));
    p.put("sun.net.httpserver.maxReqHeaderSize", Integer.toString(maxHeaderBytes));
    p.put("sun.net.httpserver.maxReqTime", Long.toString(maxRequestTime.toSeconds()));
    p.put("sun.net.httpserver.maxRspTime", Long.toString(maxResponseTime.toSeconds()));
    p.put("sun.net.httpserver.idleInterval", Long.toString(idleTimeout.toSeconds()));
    p.put("sun.net.httpserver.maxIdleConnections", Integer.toString(maxIdleConnections));
    p.put("sun.net.httpserver.clockTick", Long.toString(checkEvery.toMillis()));
    p.put("sun.net.httpserver.timerMillis", Long.toString(checkEvery.toMillis()));
    return p;
  }

  /**
   * Sets the properties not already set. Call before the JVM creates its first HTTP server: later,
   * the JDK has read its configuration and ignores them.
   */
  public void applyToJdk() {
    synchronized (HttpLimits.class) {
      for (Map.Entry<String, String> e : jdkProperties().entrySet()) {
        if (System.getProperty(e.getKey()) == null) {
          System.setProperty(e.getKey(), e.getValue());
        }
      }
    }
  }
}
