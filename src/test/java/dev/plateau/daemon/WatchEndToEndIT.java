package dev.plateau.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plateau.write.EventFileWriter;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `plateau watch` as a real process: events written by a separate writer while it runs give a flag
 * file, one webhook delivery, and answers on /healthz, /readyz, /metrics and /api/runs.
 */
class WatchEndToEndIT {
  static final HttpClient CLIENT = HttpClient.newHttpClient();

  static String get(int port, String path) throws Exception {
    return CLIENT
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  static int status(int port, String path) throws Exception {
    return CLIENT
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  void watchActsOnEventsAndReportsOverHttp(@TempDir Path temp) throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
      Process p =
          new ProcessBuilder(
                  java,
                  "-jar",
                  System.getProperty("plateau.jar", "target/plateau.jar"),
                  "watch",
                  logdir.toString(),
                  "--state-dir",
                  temp.resolve("state").toString(),
                  "--webhook",
                  receiver.url(),
                  "--http",
                  "127.0.0.1:" + port,
                  "--poll-interval",
                  "500ms")
              .redirectErrorStream(true)
              .redirectOutput(temp.resolve("watch.log").toFile())
              .start();
      try {
        Path log = temp.resolve("watch.log");
        awaitShowingLog(
            "ready",
            log,
            () -> {
              try {
                return status(port, "/readyz") == 200;
              } catch (IOException notYet) {
                return false;
              }
            });
        double start = System.currentTimeMillis() / 1000.0;
        try (EventFileWriter w =
                EventFileWriter.create(logdir.resolve("exp/train"), start, "e2e", 0);
            EventFileWriter v =
                EventFileWriter.create(logdir.resolve("exp/validation"), start, "e2e", 1)) {
          for (int t = 0; t < 120; t++) {
            w.simpleValue(
                "epoch_loss", t, start + t * 0.01, (float) (0.8 + 8 * Math.exp(-t / 8.0)));
            v.simpleValue("epoch_loss", t, start + t * 0.01, (float) (1 + 8 * Math.exp(-t / 8.0)));
            if (t % 20 == 0) {
              w.flush();
              v.flush();
              Thread.sleep(100);
            }
          }
        }
        Path flag = logdir.resolve("exp/CONVERGED");
        awaitShowingLog(
            "the flag and the webhook",
            log,
            () -> Files.exists(flag) && !receiver.received().isEmpty());
        assertThat(flag).exists();
        assertThat(receiver.received()).hasSize(1);
        assertThat(receiver.received().get(0).json().path("experiment").asText()).isEqualTo("exp");

        assertThat(status(port, "/healthz")).isEqualTo(200);
        // The receiver has the POST a moment before the daemon counts it as delivered, and the
        // verdict may come from a round that had not yet read the last points written.
        awaitShowingLog(
            "the delivery counted and every point read",
            log,
            () -> {
              String scraped = get(port, "/metrics");
              return Pattern.compile("outcome=\"delivered\",sink=\"[^\"]+\"} 1\\.0")
                      .matcher(scraped)
                      .find()
                  && scraped.contains("plateau_points_read_total 240.0");
            });
        String metrics = get(port, "/metrics");
        assertThat(metrics)
            .contains("plateau_points_read_total 240.0")
            .contains("plateau_verdicts_total{status=\"converged\"} 1.0")
            .containsPattern(
                "plateau_deliveries_total\\{outcome=\"delivered\",sink=\"webhook-[0-9a-f]+\"} 1\\.0");
        JsonNode runs = new ObjectMapper().readTree(get(port, "/api/runs"));
        JsonNode run = runs.path("logdirs").get(0).path("runs").get(0);
        assertThat(run.path("run").asText()).isEqualTo("exp");
        assertThat(run.path("status").asText()).isEqualTo("converged");
        assertThat(run.path("series")).hasSize(2);
      } finally {
        p.destroy();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(p.exitValue()).isZero();
    }
  }

  /** Waits for what the daemon process does, a minute at most; on a timeout, shows its log. */
  private static void awaitShowingLog(String what, Path log, Callable<Boolean> condition)
      throws IOException {
    try {
      await(what)
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(50))
          .until(condition);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          what + " not reached within a minute; plateau watch said:\n" + Files.readString(log), e);
    }
  }
}
