package dev.plateau.sink;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP server on loopback that records what it receives and answers as told: the other end
 * of a sink in tests.
 */
final class Receiver implements AutoCloseable {

  /** One request as received. */
  record Request(String method, String path, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final BlockingQueue<Request> received = new LinkedBlockingQueue<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile int status = 200;
  private volatile String body = "";
  private volatile Map<String, String> headers = Map.of();
  private volatile boolean hang;
  private volatile boolean echoPath;

  Receiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The URL of {@code path} on this server. */
  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  Receiver answer(int newStatus, String newBody, Map<String, String> newHeaders) {
    status = newStatus;
    body = newBody;
    headers = newHeaders;
    return this;
  }

  Receiver answer(int newStatus, String newBody) {
    return answer(newStatus, newBody, Map.of());
  }

  /** Answers nothing until closed: a receiver that hangs. */
  Receiver hang() {
    hang = true;
    return this;
  }

  /** Appends the request's path to every answer's body, as some error pages do. */
  Receiver echoPath() {
    echoPath = true;
    return this;
  }

  Request take() throws InterruptedException {
    Request r = received.poll(5, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("the receiver got no request");
    }
    return r;
  }

  private void handle(HttpExchange exchange) throws IOException {
    Map<String, String> h = new LinkedHashMap<>();
    exchange
        .getRequestHeaders()
        .forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
    byte[] requestBody = exchange.getRequestBody().readAllBytes();
    received.add(
        new Request(
            exchange.getRequestMethod(), exchange.getRequestURI().toString(), h, requestBody));
    if (hang) {
      try {
        release.await(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    String text = echoPath ? body + " " + exchange.getRequestURI() : body;
    byte[] out = text.getBytes(StandardCharsets.UTF_8);
    headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
    exchange.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(out);
    } catch (IOException e) {
      // The sink gave up first (a timeout test): nothing to answer to.
    }
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
