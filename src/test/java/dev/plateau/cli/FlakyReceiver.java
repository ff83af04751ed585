package dev.plateau.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A webhook receiver on a fixed loopback port that misbehaves on demand: it answers at once, or
 * after seconds, or 503 and 429 with a Retry-After, or is down (its port closed, then opened
 * again). Like the receivers docs/alerts-and-sinks.md describes, it acts on each webhook-id once: a
 * request whose id it already acknowledged is answered 200 and dropped as a duplicate. It records
 * every request it answered: the webhook-id, the verdict's status, the answer, whether it was a
 * duplicate, when it arrived (to tell which daemon process sent it) and whether the answer went out
 * whole.
 */
final class FlakyReceiver implements AutoCloseable {
  /** How requests are answered. */
  enum Mode {
    OK,
    SLOW,
    UNAVAILABLE,
    TOO_MANY,
    DOWN
  }

  /**
   * One request and its answer.
   *
   * @param id the webhook-id header
   * @param verdictStatus the {@code status} field of the body (the verdict's status)
   * @param status the status answered (0: none, the connection broke first)
   * @param duplicate answered 200 for an id acknowledged before, and dropped
   * @param arrivedNanos System.nanoTime() when the request arrived
   * @param mode the mode it was answered in
   * @param verdict the body, or a missing node when it was not JSON
   */
  record Answer(
      String id,
      String verdictStatus,
      int status,
      boolean duplicate,
      long arrivedNanos,
      Mode mode,
      JsonNode verdict) {
    boolean accepted() {
      return status >= 200 && status < 300;
    }

    /** The first 200 for its id: the verdict is acted on, once. */
    boolean acknowledged() {
      return accepted() && !duplicate;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final int port;
  private final ExecutorService handlers =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "flaky-receiver");
            t.setDaemon(true);
            return t;
          });
  private final List<Answer> answers = new ArrayList<>();

  /** Ids answered 200, whose answer went out whole. */
  private final Set<String> acknowledged = new HashSet<>();

  private final Map<Mode, Integer> modeChanges = new TreeMap<>();
  private volatile Mode mode = Mode.OK;
  private HttpServer server;

  FlakyReceiver() throws IOException {
    server = listen(0);
    port = server.getAddress().getPort();
  }

  private HttpServer listen(int onPort) throws IOException {
    HttpServer s =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 64);
    s.createContext("/", this::handle);
    s.setExecutor(handlers);
    s.start();
    return s;
  }

  String url() {
    return "http://127.0.0.1:" + port + "/hook";
  }

  /** Switches to {@code next}: DOWN closes the port, leaving DOWN opens it again. */
  synchronized void mode(Mode next) throws IOException, InterruptedException {
    modeChanges.merge(next, 1, Integer::sum);
    if (next == Mode.DOWN && server != null) {
      server.stop(0);
      server = null;
    } else if (next != Mode.DOWN && server == null) {
      for (int attempt = 0; server == null; attempt++) {
        try {
          server = listen(port);
        } catch (BindException busy) {
          if (attempt > 50) {
            throw busy;
          }
          Thread.sleep(100);
        }
      }
    }
    mode = next;
  }

  /** How often each mode was switched to. */
  synchronized Map<Mode, Integer> modeChanges() {
    return new TreeMap<>(modeChanges);
  }

  List<Answer> answers() {
    synchronized (answers) {
      return List.copyOf(answers);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    long arrived = System.nanoTime();
    Mode now = mode;
    String id = exchange.getRequestHeaders().getFirst("webhook-id");
    String verdictStatus = null;
    JsonNode verdict = com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    int status = 0;
    boolean duplicate = false;
    try {
      verdict = JSON.readTree(exchange.getRequestBody().readAllBytes());
      verdictStatus = verdict.path("status").asText(null);
      int answer = 200;
      switch (now) {
        case SLOW -> Thread.sleep(1000 + ThreadLocalRandom.current().nextInt(3000));
        case UNAVAILABLE -> {
          exchange.getResponseHeaders().add("Retry-After", "1");
          answer = 503;
        }
        case TOO_MANY -> {
          exchange.getResponseHeaders().add("Retry-After", "2");
          answer = 429;
        }
        default -> {}
      }
      byte[] body = (answer == 200 ? "ok" : "try later").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(answer, body.length);
      exchange.getResponseBody().write(body);
      exchange.getResponseBody().flush();
      status = answer;
      if (answer == 200) {
        synchronized (acknowledged) {
          duplicate = !acknowledged.add(id);
        }
      }
    } catch (IOException broken) {
      // The connection went away (the daemon was killed, or the port closed): not an answer.
    } catch (InterruptedException stopping) {
      Thread.currentThread().interrupt();
    } finally {
      exchange.close();
      synchronized (answers) {
        answers.add(new Answer(id, verdictStatus, status, duplicate, arrived, now, verdict));
      }
    }
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      server.stop(0);
    }
    handlers.shutdownNow();
  }
}
