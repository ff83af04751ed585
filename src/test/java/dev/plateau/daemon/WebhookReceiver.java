package dev.plateau.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP receiver on loopback that records every POST and answers with a chosen status. */
final class WebhookReceiver implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One request as received. */
  record Received(String id, String timestamp, String signature, byte[] body, JsonNode json) {}

  private final HttpServer server;
  private final List<Received> received = new ArrayList<>();
  final AtomicInteger status = new AtomicInteger(200);

  WebhookReceiver() throws IOException {
    this(0);
  }

  /** A receiver on a chosen loopback port (0: any free one). */
  WebhookReceiver(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          int answer = status.get();
          if (answer == 200) {
            synchronized (received) {
              received.add(
                  new Received(
                      exchange.getRequestHeaders().getFirst("webhook-id"),
                      exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                      exchange.getRequestHeaders().getFirst("webhook-signature"),
                      body,
                      JSON.readTree(body)));
            }
          }
          byte[] reply = "ok".getBytes();
          exchange.sendResponseHeaders(answer, reply.length);
          exchange.getResponseBody().write(reply);
          exchange.close();
        });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  List<Received> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
