package dev.plateau.daemon;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP receiver on loopback that accepts every POST and, while {@link #hang} is set, reads
 * it and never answers (the connection stays open until the receiver is closed). Once {@link #hang}
 * is cleared it answers 200 and records the {@code webhook-id} of what it received.
 */
final class HangingReceiver implements AutoCloseable {
  final AtomicBoolean hang = new AtomicBoolean(true);
  private final AtomicInteger requests = new AtomicInteger();
  private final List<String> answered = new ArrayList<>();
  private final CountDownLatch closing = new CountDownLatch(1);
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final HttpServer server;

  HangingReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(threads);
    server.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          requests.incrementAndGet();
          if (hang.get()) {
            try {
              closing.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
          }
          synchronized (answered) {
            answered.add(exchange.getRequestHeaders().getFirst("webhook-id"));
          }
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  /** POSTs received so far, answered or not. */
  int requests() {
    return requests.get();
  }

  /** The webhook-ids of the POSTs answered with 200. */
  List<String> answered() {
    synchronized (answered) {
      return List.copyOf(answered);
    }
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    threads.shutdownNow();
  }
}
