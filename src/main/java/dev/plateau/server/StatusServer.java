package dev.plateau.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.plateau.daemon.Daemon;
import dev.plateau.daemon.DaemonMetrics;
import dev.plateau.daemon.Watcher;
import dev.plateau.detect.Verdict;
import dev.plateau.format.VerdictJson;
import dev.plateau.state.StateException;
import dev.plateau.state.StateStore;
import dev.plateau.verdict.RunVerdict;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's HTTP endpoints: {@code /healthz} (the main loop completes rounds; never depends on
 * new data), {@code /readyz} (the first scan of every logdir is done), {@code /metrics}
 * (Prometheus text format) and {@code /api/runs} (every experiment and series with its verdict, as
 * JSON) and {@code /}, the status page ({@link StatusPage}). It serves only these routes, only GET
 * and HEAD, from data the polling thread publishes after each round.
 */
public final class StatusServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StatusServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final Daemon daemon;
  private final List<StateStore> stores;
  private final Duration staleAfter;
  private final Clock clock;
  private final long startedMillis;

  /**
   * @param staleAfter how long without a completed round before {@code /healthz} fails
   */
  public StatusServer(
      InetSocketAddress address, Daemon daemon, List<StateStore> stores, Duration staleAfter, Clock clock)
      throws IOException {
    this.daemon = daemon;
    this.stores = List.copyOf(stores);
    this.staleAfter = staleAfter;
    this.clock = clock;
    this.startedMillis = clock.millis();
    this.server = HttpServer.create(address, 16);
    server.setExecutor(Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "http");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", this::route);
    server.start();
    log.info("HTTP on http://{}:{}/ (/healthz /readyz /metrics /api/runs)",
        server.getAddress().getHostString(), server.getAddress().getPort());
  }

  /** The bound address (with the actual port when 0 was asked for). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  private void route(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, "text/plain", "only GET and HEAD\n");
        return;
      }
      switch (exchange.getRequestURI().getPath()) {
        case "/healthz" -> healthz(exchange);
        case "/readyz" -> {
          boolean ready = daemon.metrics().ready();
          send(exchange, ready ? 200 : 503, "text/plain", ready ? "ready\n" : "first scan not done\n");
        }
        case "/metrics" -> send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics());
        case "/api/runs" -> send(exchange, 200, "application/json", runs());
        case "/" -> {
          // The page runs no script and loads nothing from elsewhere; say so to the browser.
          exchange.getResponseHeaders()
              .set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
          exchange.getResponseHeaders().set("X-Frame-Options", "DENY");
          send(exchange, 200, "text/html; charset=utf-8", StatusPage.render(daemon.watchers(), 5));
        }
        default -> send(exchange, 404, "text/plain", "not found\n");
      }
    } catch (RuntimeException e) {
      log.warn("HTTP {}: {}", exchange.getRequestURI().getPath(), e.toString());
    }
  }

  private void healthz(HttpExchange exchange) throws IOException {
    long beat = daemon.metrics().heartbeatMillis();
    long since = clock.millis() - (beat == 0 ? startedMillis : beat);
    boolean alive = since <= staleAfter.toMillis();
    send(
        exchange,
        alive ? 200 : 503,
        "text/plain",
        alive ? "ok\n" : "main loop has not completed a round for " + since + " ms\n");
  }

  String metrics() {
    DaemonMetrics m = daemon.metrics();
    StringBuilder out = new StringBuilder(2048);
    counter(out, "plateau_records_read_total", "Complete records read from event files.", m.records());
    counter(out, "plateau_bytes_read_total", "Bytes of complete records read.", m.bytes());
    counter(out, "plateau_points_read_total", "Scalar points decoded.", m.points());
    counter(out, "plateau_corrupt_records_total", "Corrupt stretches skipped in event files.", m.corruptRecords());
    counter(out, "plateau_rounds_total", "Rounds of reading completed.", m.rounds());
    counter(out, "plateau_failed_rounds_total", "Rounds that failed or could not be committed.", m.failedRounds());
    int runs = 0;
    int series = 0;
    for (Watcher w : daemon.watchers()) {
      for (RunVerdict r : w.published()) {
        runs++;
        series += r.series().size();
      }
    }
    gauge(out, "plateau_runs", "Experiments with watched series.", runs);
    gauge(out, "plateau_series", "Watched series.", series);
    out.append("# HELP plateau_verdicts_total Verdict transitions recorded, by status.\n");
    out.append("# TYPE plateau_verdicts_total counter\n");
    for (Map.Entry<String, Long> e : m.verdicts().entrySet()) {
      out.append("plateau_verdicts_total{status=\"").append(label(e.getKey())).append("\"} ")
          .append(e.getValue()).append('\n');
    }
    out.append("# HELP plateau_deliveries_total Delivery attempts, by sink and outcome.\n");
    out.append("# TYPE plateau_deliveries_total counter\n");
    for (Map.Entry<String, Long> e : m.deliveries().entrySet()) {
      String[] parts = e.getKey().split("\u0000", 2);
      out.append("plateau_deliveries_total{sink=\"").append(label(parts[0]))
          .append("\",outcome=\"").append(label(parts[1])).append("\"} ")
          .append(e.getValue()).append('\n');
    }
    long pending = 0;
    for (StateStore store : stores) {
      try {
        pending += store.pendingCount();
      } catch (StateException e) {
        log.debug("metrics: {}", e.getMessage());
      }
    }
    gauge(out, "plateau_outbox_pending", "Deliveries waiting in the outbox.", pending);
    gaugeSeconds(out, "plateau_lag_seconds", "Writer's wall time of the newest point read in the last round, to its processing.", m.lagMillis());
    gaugeSeconds(out, "plateau_last_round_seconds", "Duration of the last round.", m.lastRoundMillis());
    return out.toString();
  }

  String runs() throws IOException {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode logdirs = root.putArray("logdirs");
    for (Watcher w : daemon.watchers()) {
      ObjectNode l = logdirs.addObject();
      l.put("logdir", w.logdir().toString());
      ArrayNode runs = l.putArray("runs");
      for (RunVerdict r : w.published()) {
        ObjectNode run = runs.addObject();
        run.put("run", r.run());
        run.put("status", r.status().jsonName());
        run.put("reason", r.reason());
        ArrayNode series = run.putArray("series");
        for (Verdict v : r.series()) {
          series.add(VerdictJson.of(v));
        }
      }
    }
    return JSON.writeValueAsString(root);
  }

  private static void counter(StringBuilder out, String name, String help, long value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" counter\n");
    out.append(name).append(' ').append(value).append('\n');
  }

  private static void gauge(StringBuilder out, String name, String help, long value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" gauge\n");
    out.append(name).append(' ').append(value).append('\n');
  }

  private static void gaugeSeconds(StringBuilder out, String name, String help, long millis) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" gauge\n");
    out.append(name).append(' ').append(String.format(Locale.ROOT, "%.3f", millis / 1000.0)).append('\n');
  }

  /** A Prometheus label value: backslash, quote and newline escaped. */
  private static String label(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    boolean head = exchange.getRequestMethod().equals("HEAD");
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
  }
}
