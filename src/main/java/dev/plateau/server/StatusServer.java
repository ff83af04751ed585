package dev.plateau.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.plateau.daemon.Daemon;
import dev.plateau.state.StateStore;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's HTTP endpoints: {@code /healthz} (the main loop completes rounds; never depends on
 * new data), {@code /readyz} (the first scan of every logdir is done), {@code /metrics}
 * (Prometheus text format), {@code /api/runs} (every experiment and series with its verdict, as
 * JSON) and {@code /}, the status page ({@link StatusPage}), from data the polling thread
 * publishes after each round.
 *
 * <p>It serves only these routes and only GET and HEAD ({@link RequestGate}); with a {@link
 * BearerToken}, the page and {@code /api/*} need it while the probes stay open. Every response
 * carries {@link SecurityHeaders}; the JDK enforces {@link HttpLimits} on connections, headers
 * and slow clients.
 */
public final class StatusServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StatusServer.class);
  /** How long a browser keeps the status page's session cookie. */
  static final Duration SESSION_LIFETIME = Duration.ofDays(7);

  private final HttpServer server;
  private final ThreadPoolExecutor executor;
  private final RequestGate gate;
  private final Daemon daemon;
  private final List<StateStore> stores;
  private final Duration staleAfter;
  private final Clock clock;
  private final long startedMillis;

  /** A server without a token (every route open), with {@link HttpLimits#DEFAULTS}. */
  public StatusServer(
      InetSocketAddress address, Daemon daemon, List<StateStore> stores, Duration staleAfter, Clock clock)
      throws IOException {
    this(address, daemon, stores, staleAfter, clock, null);
  }

  /**
   * @param staleAfter how long without a completed round before {@code /healthz} fails
   * @param token what the status page and {@code /api/*} need, or null to leave them open
   */
  public StatusServer(
      InetSocketAddress address,
      Daemon daemon,
      List<StateStore> stores,
      Duration staleAfter,
      Clock clock,
      BearerToken token)
      throws IOException {
    this.daemon = daemon;
    this.stores = List.copyOf(stores);
    this.staleAfter = staleAfter;
    this.clock = clock;
    this.startedMillis = clock.millis();
    HttpLimits limits = HttpLimits.DEFAULTS;
    limits.applyToJdk();
    this.server = HttpServer.create(address, 50);
    boolean loopback = server.getAddress().getAddress().isLoopbackAddress();
    this.gate = new RequestGate(token, loopback);
    // One thread per allowed connection, made when needed and let go when idle: the JDK reads
    // request headers on these threads, so slow clients must not be able to hold all of them.
    this.executor =
        new ThreadPoolExecutor(
            limits.maxConnections(), limits.maxConnections(), 30, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "http");
              t.setDaemon(true);
              return t;
            });
    executor.allowCoreThreadTimeOut(true);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    String where = "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort() + "/";
    if (token != null) {
      log.info("HTTP on {} (open: /healthz /readyz /metrics; with the token: / /api/runs)", where);
    } else {
      log.info("HTTP on {} (/healthz /readyz /metrics /api/runs)", where);
      if (!loopback) {
        log.warn(exposureWarning(where));
      }
    }
  }

  /** What is said at start-up when the server is reachable from other hosts without a token. */
  static String exposureWarning(String where) {
    return "HTTP on " + where + " is reachable from other hosts and has no token: anyone who can"
        + " connect can read the status page and /api/runs (run names, tags, logdir paths); set"
        + " PLATEAU_HTTP_TOKEN_FILE, PLATEAU_HTTP_TOKEN or --http-token-file, or bind to 127.0.0.1";
  }

  /** The bound address (with the actual port when 0 was asked for). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      SecurityHeaders.apply(exchange.getResponseHeaders());
      Admission admission =
          gate.admit(exchange.getRequestMethod(), exchange.getRequestURI(), exchange.getRequestHeaders());
      if (admission instanceof Admission.Admit admit) {
        serve(exchange, admit.route());
      } else if (admission instanceof Admission.Refuse refuse) {
        if (refuse.status() == 405) {
          exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        }
        // A refused request may have a body or more requests behind it: read none of them.
        exchange.getResponseHeaders().set("Connection", "close");
        send(exchange, refuse.status(), "text/plain; charset=utf-8", refuse.reason() + "\n");
      } else if (admission instanceof Admission.Challenge challenge) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"plateau\"");
        if (challenge.route() == Route.PAGE) {
          send(exchange, 401, "text/html; charset=utf-8", TokenPrompt.render());
        } else {
          send(exchange, 401, "text/plain; charset=utf-8",
              "this needs the token: send Authorization: Bearer TOKEN\n");
        }
      } else if (admission instanceof Admission.StartSession session) {
        exchange.getResponseHeaders().set("Set-Cookie",
            RequestGate.SESSION_COOKIE + "=" + session.cookieValue() + "; Path=/; Max-Age="
                + SESSION_LIFETIME.toSeconds() + "; HttpOnly; SameSite=Strict");
        exchange.getResponseHeaders().set("Location", "/");
        send(exchange, 303, "text/plain; charset=utf-8", "see /\n");
      }
    } catch (RuntimeException e) {
      log.warn("HTTP {}: {}", exchange.getRequestURI().getRawPath(), e.toString());
    }
  }

  private void serve(HttpExchange exchange, Route route) throws IOException {
    switch (route) {
      case HEALTHZ -> healthz(exchange);
      case READYZ -> {
        boolean ready = daemon.metrics().ready();
        send(exchange, ready ? 200 : 503, "text/plain; charset=utf-8",
            ready ? "ready\n" : "first scan not done\n");
      }
      case METRICS -> send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8",
          MetricsText.render(daemon, stores));
      case API_RUNS -> send(exchange, 200, "application/json", RunsJson.render(daemon.watchers()));
      case PAGE -> send(exchange, 200, "text/html; charset=utf-8", StatusPage.render(daemon.watchers(), 5));
    }
  }

  private void healthz(HttpExchange exchange) throws IOException {
    long beat = daemon.metrics().heartbeatMillis();
    long since = clock.millis() - (beat == 0 ? startedMillis : beat);
    boolean alive = since <= staleAfter.toMillis();
    send(
        exchange,
        alive ? 200 : 503,
        "text/plain; charset=utf-8",
        alive ? "ok\n" : "main loop has not completed a round for " + since + " ms\n");
  }

  private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    if (head) {
      // The JDK leaves a HEAD response's length to the handler: the length the GET would have.
      exchange.getResponseHeaders().set("Content-Length", Integer.toString(bytes.length));
    }
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
