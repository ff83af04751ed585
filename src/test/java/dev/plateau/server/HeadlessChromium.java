package dev.plateau.server;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real headless Chromium driven over the DevTools protocol (a WebSocket, no library): open a
 * page, evaluate JavaScript in it, move the mouse, take screenshots, while the page lives on
 * between calls (so a test can see it change without a reload).
 */
final class HeadlessChromium implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  private final Process process;
  private final WebSocket socket;
  private final Map<Integer, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();

  HeadlessChromium(Path profile, int width, int height) throws Exception {
    Files.createDirectories(profile);
    List<String> command = new ArrayList<>();
    command.add(StatusPageBrowserIT.CHROMIUM.toString());
    command.addAll(StatusPageBrowserIT.HEADLESS);
    command.addAll(
        List.of(
            "--hide-scrollbars",
            "--remote-debugging-port=0",
            "--remote-allow-origins=*",
            "--window-size=" + width + "," + height,
            "--user-data-dir=" + profile,
            "about:blank"));
    process =
        new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    Path portFile = profile.resolve("DevToolsActivePort");
    await("Chromium's DevTools port")
        .atMost(Duration.ofSeconds(60))
        .until(() -> Files.exists(portFile) && Files.readAllLines(portFile).size() >= 2);
    int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
    HttpClient http = HttpClient.newHttpClient();
    String pages =
        http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    String target = null;
    for (JsonNode t : JSON.readTree(pages)) {
      if (t.path("type").asText().equals("page")) {
        target = t.path("webSocketDebuggerUrl").asText();
        break;
      }
    }
    if (target == null) {
      throw new IOException("Chromium shows no page: " + pages);
    }
    socket =
        http.newWebSocketBuilder()
            .buildAsync(URI.create(target), new Listener())
            .get(30, TimeUnit.SECONDS);
  }

  /** A DevTools call's result. */
  JsonNode call(String method, Map<String, Object> params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    calls.put(id, answer);
    ObjectNode message = JSON.createObjectNode();
    message.put("id", id).put("method", method).set("params", JSON.valueToTree(params));
    socket.sendText(JSON.writeValueAsString(message), true).get(30, TimeUnit.SECONDS);
    JsonNode reply = answer.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (reply.has("error")) {
      throw new IOException(method + ": " + reply.path("error"));
    }
    return reply.path("result");
  }

  /** Opens {@code url} and waits for the page to have loaded. */
  void open(String url) throws Exception {
    call("Page.navigate", Map.of("url", url));
    await("the page " + url + " loaded")
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                "complete".equals(eval("document.readyState").asText())
                    && eval("location.href").asText().equals(url));
  }

  /** The value of a JavaScript expression in the page (JSON-able values). */
  JsonNode eval(String expression) throws Exception {
    JsonNode r =
        call(
            "Runtime.evaluate",
            Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
    if (r.has("exceptionDetails")) {
      throw new IOException(expression + ": " + r.path("exceptionDetails"));
    }
    return r.path("result").path("value");
  }

  /** The mouse moves to a point of the viewport, as a person's would. */
  void mouseTo(double x, double y) throws Exception {
    call("Input.dispatchMouseEvent", Map.of("type", "mouseMoved", "x", x, "y", y));
  }

  /** The viewport as a phone's or a laptop's. */
  void viewport(int width, int height, boolean mobile) throws Exception {
    call(
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", mobile));
  }

  /** A PNG of the whole page. */
  void screenshot(Path file) throws Exception {
    JsonNode shot =
        call("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
    Files.createDirectories(file.getParent());
    Files.write(file, Base64.getDecoder().decode(shot.path("data").asText()));
  }

  @Override
  public void close() throws IOException {
    try {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception ignored) {
      // Chromium goes anyway
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        try {
          JsonNode message = JSON.readTree(text.toString());
          if (message.has("id")) {
            CompletableFuture<JsonNode> f = calls.remove(message.path("id").asInt());
            if (f != null) {
              f.complete(message);
            }
          }
        } catch (IOException e) {
          calls.values().forEach(f -> f.completeExceptionally(e));
        }
        text.setLength(0);
      }
      ws.request(1);
      return null;
    }
  }
}
