package dev.plateau.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plateau.daemon.Daemon;
import dev.plateau.daemon.Watcher;
import dev.plateau.state.StateStore;
import dev.plateau.testing.FakeClock;
import dev.plateau.testing.LoopbackStatus;
import dev.plateau.testing.RunningDaemon;
import dev.plateau.write.EventFileWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP endpoints of a running daemon, on loopback. */
class StatusServerTest {
  static final HttpClient CLIENT = HttpClient.newHttpClient();

  static HttpResponse<String> get(InetSocketAddress address, String path, String method)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.getPort() + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(5))
            .build();
    return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthReadinessMetricsAndRunsReflectTheDaemon(@TempDir Path temp) throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    Clock clock = Clock.systemUTC();
    try (StateStore store = StateStore.open(temp.resolve("s.db"), false, clock)) {
      Watcher watcher = LoopbackStatus.watcher(logdir, store, List.of(), clock);
      watcher.restore();
      Daemon daemon = LoopbackStatus.daemon(watcher, List.of());
      try (StatusServer server =
          LoopbackStatus.server(daemon, store, Duration.ofSeconds(5), clock)) {
        InetSocketAddress address = server.address();
        assertThat(get(address, "/readyz", "GET").statusCode())
            .as("before the first scan")
            .isEqualTo(503);
        assertThat(get(address, "/healthz", "GET").statusCode())
            .as("starting up is healthy")
            .isEqualTo(200);

        try (RunningDaemon running = RunningDaemon.start(daemon)) {
          double start = clock.millis() / 1000.0 - 100;
          try (EventFileWriter w =
              EventFileWriter.create(logdir.resolve("exp1/validation"), start, "h", 0)) {
            for (int t = 0; t < 120; t++) {
              w.simpleValue("val_loss", t, start + t, (float) (1 + 8 * Math.exp(-t / 8.0)));
            }
          }
          AtomicReference<String> scraped = new AtomicReference<>("");
          // Counted and published: the transition's counter and the experiment's current status.
          running.awaitUntil(
              "the convergence counted and published",
              () -> {
                scraped.set(get(address, "/metrics", "GET").body());
                return scraped.get().contains("plateau_verdicts_total{status=\"converged\"} 1.0")
                    && scraped.get().contains("plateau_experiments{status=\"converged\"} 1.0");
              });
          String metrics = scraped.get();
          assertThat(get(address, "/readyz", "GET").statusCode()).isEqualTo(200);
          assertThat(metrics)
              .contains("# TYPE plateau_records_read_total counter")
              .contains("plateau_points_read_total 120.0")
              .contains("plateau_verdicts_total{status=\"converged\"} 1.0")
              .contains("plateau_watched_experiments 1.0")
              .contains("plateau_experiments{status=\"converged\"} 1.0")
              .contains("plateau_experiments{status=\"not_learning\"} 0.0")
              .contains("plateau_series 1.0")
              .contains("plateau_outbox_pending 0.0");
          JsonNode runs = new ObjectMapper().readTree(get(address, "/api/runs", "GET").body());
          JsonNode run = runs.path("logdirs").get(0).path("runs").get(0);
          assertThat(run.path("run").asText()).isEqualTo("exp1");
          assertThat(run.path("status").asText()).isEqualTo("converged");
          assertThat(run.path("series").get(0).path("best_step").isNumber()).isTrue();

          HttpResponse<String> page = get(address, "/", "GET");
          assertThat(page.statusCode()).isEqualTo(200);
          assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
              .contains("default-src 'none'");
          assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
              .as("only Plateau's own script runs")
              .contains("script-src 'self'")
              .doesNotContain("unsafe-eval", "script-src 'self' 'unsafe-inline'");
          assertThat(withoutOwnScript(page.body()))
              .contains(
                  "data-run=\"exp1\"", "converged", "<svg", "/experiment?logdir=0&amp;name=exp1")
              .doesNotContain("<script");
          HttpResponse<String> experiment = get(address, "/experiment?logdir=0&name=exp1", "GET");
          assertThat(experiment.statusCode()).isEqualTo(200);
          assertThat(withoutOwnScript(experiment.body()))
              .contains(
                  "data-run=\"exp1\"",
                  "<svg",
                  "<polyline",
                  "class=\"best s0\"",
                  "class=\"decided\"",
                  "class=\"tick y\"")
              .doesNotContain("<script");
          assertThat(get(address, "/experiment?logdir=0&name=nobody", "GET").statusCode())
              .isEqualTo(404);
          HttpResponse<String> script = get(address, "/static/plateau.js", "GET");
          assertThat(script.statusCode()).isEqualTo(200);
          assertThat(script.headers().firstValue("Content-Type").orElse(""))
              .startsWith("text/javascript");

          assertThat(get(address, "/api/runs", "POST").statusCode()).isEqualTo(405);
          assertThat(get(address, "/../../etc/passwd", "GET").statusCode()).isEqualTo(404);
          HttpResponse<String> health = get(address, "/healthz", "GET");
          assertThat(health.statusCode()).isEqualTo(200);
          assertThat(health.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        }
      }
    }
  }

  @Test
  void healthFailsWhenTheMainLoopStopsCompletingRounds(@TempDir Path temp) throws Exception {
    FakeClock clock = FakeClock.atNow();
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    try (StateStore store = StateStore.open(temp.resolve("s.db"), false, clock)) {
      Watcher watcher = LoopbackStatus.watcher(logdir, store, List.of(), clock);
      Daemon daemon = LoopbackStatus.daemon(watcher, List.of());
      try (StatusServer server =
          LoopbackStatus.server(daemon, store, Duration.ofMillis(200), clock)) {
        clock.advanceMillis(400); // never started: no round within the allowed time
        assertThat(get(server.address(), "/healthz", "GET").statusCode()).isEqualTo(503);
      }
    }
  }

  @Test
  void httpAddressDefaultsToLoopback() {
    assertThat(HttpAddress.parse("9321").getHostString()).isEqualTo("127.0.0.1");
    assertThat(HttpAddress.parse(":9321").getHostString()).isEqualTo("127.0.0.1");
    assertThat(HttpAddress.parse("0.0.0.0:80").getHostString()).isEqualTo("0.0.0.0");
    assertThat(HttpAddress.parse("[::1]:80").getPort()).isEqualTo(80);
    assertThatThrownBy(() -> HttpAddress.parse("nine")).hasMessageContaining("--http 'nine'");
  }

  @Test
  void pageEscapesRunAndTagNamesWithMarkup(@TempDir Path temp) throws Exception {
    String run = "<script>alert('run')</script>";
    String tag = "val_loss\"><img src=x onerror=alert(1)>";
    String body = pageOf(temp, run, tag);
    assertThat(body).contains("&lt;script&gt;alert(&#39;run&#39;)&lt;/script&gt;");
    assertThat(body).contains("val_loss&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
    assertThat(withoutOwnScript(body)).doesNotContain("<script", "<img");
  }

  @Test
  void pageShowsBidiZeroWidthAndControlCharactersInNamesByTheirCodeNeverAsThemselves(
      @TempDir Path temp) throws Exception {
    String run = "exp1" + "\u202E" + "gnp.exe" + "\u0007";
    String tag = "val" + "\u200B" + "_loss" + "\u2066" + "x" + "\u2069";
    String body = pageOf(temp, run, tag);
    assertThat(body)
        .contains("exp1<span class=\"cp\" title=\"RIGHT-TO-LEFT OVERRIDE\">\\u202E</span>gnp.exe")
        .contains("<span class=\"cp\" title=\"BEL\">\\u0007</span>")
        .contains("val<span class=\"cp\" title=\"ZERO WIDTH SPACE\">\\u200B</span>_loss")
        .contains("<span class=\"cp\" title=\"LEFT-TO-RIGHT ISOLATE\">\\u2066</span>x")
        .contains("data-run=\"exp1\\u202Egnp.exe\\u0007\"");
    assertThat(body.codePoints().filter(Html::isHidden).mapToObj(Html::code).toList())
        .as("characters that cannot be seen, left in the page as themselves")
        .isEmpty();
  }

  /** The page without the one script element it may have: Plateau's own, from this server. */
  static String withoutOwnScript(String page) {
    // as served, or as a browser writes it back (defer="")
    return page.replaceAll("<script src=\"/static/plateau\\.js\" defer(=\"\")?></script>", "");
  }

  /** The status page of a logdir holding one run {@code run} with one series {@code tag}. */
  private static String pageOf(Path temp, String run, String tag) throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    Clock clock = Clock.systemUTC();
    double start = clock.millis() / 1000.0 - 100;
    try (EventFileWriter w = EventFileWriter.create(logdir.resolve(run), start, "h", 0)) {
      for (int t = 0; t < 30; t++) {
        w.simpleValue(tag, t, start + t, (float) (5 - 0.1 * t));
      }
    }
    try (StateStore store = StateStore.open(temp.resolve("s.db"), false, clock)) {
      Watcher watcher = LoopbackStatus.watcher(logdir, store, List.of(), clock);
      watcher.poll();
      Daemon daemon = LoopbackStatus.daemon(watcher, List.of());
      try (StatusServer server =
          LoopbackStatus.server(daemon, store, Duration.ofSeconds(5), clock)) {
        String body = get(server.address(), "/", "GET").body();
        return body;
      }
    }
  }
}
