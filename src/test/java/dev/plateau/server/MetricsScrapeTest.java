package dev.plateau.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.daemon.Daemon;
import dev.plateau.daemon.DeliveryWorker;
import dev.plateau.daemon.Watcher;
import dev.plateau.detect.Status;
import dev.plateau.sink.AlertSink;
import dev.plateau.sink.RetryPolicy;
import dev.plateau.state.StateStore;
import dev.plateau.testing.LoopbackStatus;
import dev.plateau.testing.RunningDaemon;
import dev.plateau.write.EventFileWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} scraped over real HTTP from a real status server over a real daemon: what a
 * Prometheus server and the shipped alerts and dashboard rely on.
 */
class MetricsScrapeTest {
  private static final Clock CLOCK = Clock.systemUTC();
  private static final String OPEN_METRICS = "application/openmetrics-text; version=1.0.0";

  /** The Accept field of a Prometheus server with native histograms on: protobuf first. */
  private static final String PROMETHEUS_ACCEPT =
      "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,"
          + "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.3,*/*;q=0.1";

  @Test
  void beforeAnyEventTheCountersShowEveryStatusAndSinkOutcomeAtZero(@TempDir Path temp)
      throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    try (StateStore store = StateStore.open(temp.resolve("s.db"), false, CLOCK)) {
      AlertSink sink = LoopbackStatus.unansweredWebhook(CLOCK);
      Watcher watcher = LoopbackStatus.watcher(logdir, store, List.of(sink), CLOCK);
      Daemon daemon =
          LoopbackStatus.daemon(
              watcher, List.of(new DeliveryWorker(sink, store, RetryPolicy.DEFAULT, CLOCK)));
      try (StatusServer server = server(daemon, store, MetricsLimits.DEFAULTS)) {
        RawHttp.Response r = RawHttp.get(server.address().getPort(), "/metrics");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        String text = r.body();
        for (Status status : Status.values()) {
          assertThat(text)
              .contains("plateau_verdicts_total{status=\"" + status.jsonName() + "\"} 0.0");
        }
        for (String outcome : List.of("delivered", "retry", "rejected")) {
          assertThat(text)
              .contains(
                  "plateau_deliveries_total{outcome=\"" + outcome + "\",sink=\"webhook-1\"} 0.0");
        }
        assertThat(text)
            .as("build info, JVM and process metrics")
            .containsPattern("(?m)^plateau_build_info\\{version=\"[^\"]+\"} 1(\\.0)?$")
            .containsPattern("(?m)^jvm_memory_used_bytes\\{area=\"heap\"} ")
            .containsPattern("(?m)^jvm_threads_current ")
            .containsPattern("(?m)^process_cpu_seconds_total ")
            .containsPattern("(?m)^process_resident_memory_bytes ")
            .contains("plateau_rounds_total 0.0", "plateau_points_read_total 0.0")
            .contains("plateau_watched_experiments 0.0", "plateau_experiment_status_omitted 0.0")
            .contains("# TYPE plateau_round_duration_seconds histogram")
            .contains("plateau_round_duration_seconds_bucket{le=\"+Inf\"} 0")
            .contains("plateau_read_lag_seconds_bucket{le=\"+Inf\"} 0");
      }
    }
  }

  @Test
  void aRunningDaemonExportsEachExperimentsStatusAndHistogramsOfItsRounds(@TempDir Path temp)
      throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    try (StateStore store = StateStore.open(temp.resolve("s.db"), false, CLOCK)) {
      Watcher watcher = LoopbackStatus.watcher(logdir, store, List.of(), CLOCK);
      watcher.restore();
      Daemon daemon = LoopbackStatus.daemon(watcher, List.of());
      try (StatusServer server = server(daemon, store, MetricsLimits.DEFAULTS);
          RunningDaemon running = RunningDaemon.start(daemon)) {
        // The newest point was written 381 s ago.
        double start = CLOCK.millis() / 1000.0 - 500;
        try (EventFileWriter w =
            EventFileWriter.create(logdir.resolve("exp1/validation"), start, "h", 0)) {
          for (int t = 0; t < 120; t++) {
            w.simpleValue("val_loss", t, start + t, (float) (1 + 8 * Math.exp(-t / 8.0)));
          }
        }
        AtomicReference<String> scraped = new AtomicReference<>("");
        String converged =
            "plateau_experiment_status{experiment=\"exp1\",logdir=\""
                + logdir
                + "\",status=\"converged\"} 1.0";
        running.awaitUntil(
            "the convergence exported",
            () -> {
              scraped.set(RawHttp.get(server.address().getPort(), "/metrics").body());
              // The status is published at the end of the round that decided it, the count once
              // that round's commit is in: a scrape may fall between the two.
              return scraped.get().contains(converged)
                  && scraped.get().contains("plateau_verdicts_total{status=\"converged\"} 1.0");
            });
        String text = scraped.get();
        assertThat(text)
            .contains("plateau_verdicts_total{status=\"converged\"} 1.0")
            .contains("plateau_experiments{status=\"converged\"} 1.0")
            .contains("plateau_watched_experiments 1.0", "plateau_runs 1.0")
            .contains("# HELP plateau_runs Deprecated: use plateau_watched_experiments")
            .contains("plateau_points_read_total 120.0");
        assertThat(count(text, "plateau_experiment_status{"))
            .as("one series per experiment: its current status only")
            .isEqualTo(1);
        assertThat(sample(text, "plateau_round_duration_seconds_count"))
            .as("every round observed")
            .isPositive();
        assertThat(sample(text, "plateau_read_lag_seconds_count"))
            .as("the round that read the points observed its lag")
            .isPositive();
        assertThat(sample(text, "plateau_read_lag_seconds_bucket{le=\"300.0\"}"))
            .as("a point written 381 s before it was read is not within 300 s")
            .isZero();
        assertThat(sample(text, "plateau_read_lag_seconds_bucket{le=\"600.0\"}")).isPositive();
      }
    }
  }

  @Test
  void theStatusGaugeExportsAtMostItsLimitMostInNeedOfAttentionFirstAndCountsTheRest(
      @TempDir Path temp) throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    double start = CLOCK.millis() / 1000.0 - 100;
    String weird = "we\"ird\\name";
    try (EventFileWriter a = EventFileWriter.create(logdir.resolve("a"), start, "h", 0);
        EventFileWriter b = EventFileWriter.create(logdir.resolve(weird), start, "h", 0);
        EventFileWriter z = EventFileWriter.create(logdir.resolve("z"), start, "h", 0)) {
      for (int t = 0; t < 120; t++) {
        a.simpleValue("val_loss", t, start + t, (float) (1 + 8 * Math.exp(-t / 8.0)));
      }
      for (int t = 0; t < 5; t++) {
        b.simpleValue("val_loss", t, start + t, 5 - t * 0.1f);
        z.simpleValue("val_loss", t, start + t, t == 4 ? Float.NaN : 5 - t * 0.1f);
      }
    }
    try (StateStore store = StateStore.open(temp.resolve("s.db"), false, CLOCK)) {
      Watcher watcher = LoopbackStatus.watcher(logdir, store, List.of(), CLOCK);
      watcher.poll();
      Daemon daemon = LoopbackStatus.daemon(watcher, List.of());
      try (StatusServer server = server(daemon, store, new MetricsLimits(2))) {
        String text = RawHttp.get(server.address().getPort(), "/metrics").body();
        assertThat(text)
            .as("three experiments: diverged, training and converged")
            .contains(
                "plateau_experiments{status=\"diverged\"} 1.0",
                "plateau_experiments{status=\"training\"} 1.0",
                "plateau_experiments{status=\"converged\"} 1.0");
        String prefix = "plateau_experiment_status{experiment=\"";
        String where = "\",logdir=\"" + logdir + "\",status=\"";
        assertThat(text)
            .as("the diverged one first, though last by name; the name escaped by the writer")
            .contains(prefix + "z" + where + "diverged\"} 1.0")
            .contains(prefix + "we\\\"ird\\\\name" + where + "training\"} 1.0")
            .doesNotContain(prefix + "a\"")
            .contains("plateau_experiment_status_omitted 1.0");
        assertThat(count(text, "plateau_experiment_status{")).isEqualTo(2);
      }
    }
  }

  @Test
  void openMetricsWhenTheScraperAsksForIt(@TempDir Path temp) throws Exception {
    try (RunningServer running = new RunningServer(temp, temp.resolve("logs"), "127.0.0.1", null)) {
      int port = running.port();
      RawHttp.Response om = RawHttp.get(port, "/metrics", "Accept: " + OPEN_METRICS);
      assertThat(om.status()).isEqualTo(200);
      assertThat(om.header("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("application/openmetrics-text"));
      assertThat(om.body())
          .endsWith("# EOF\n")
          .contains("# TYPE plateau_build info")
          .contains("# TYPE plateau_verdicts counter")
          .contains("plateau_verdicts_total{status=\"converged\"} 0")
          .contains("# UNIT plateau_round_duration_seconds seconds");

      RawHttp.Response prometheus = RawHttp.get(port, "/metrics", "Accept: " + PROMETHEUS_ACCEPT);
      assertThat(prometheus.status())
          .as("protobuf asked first is not offered: the next format the scraper accepts")
          .isEqualTo(200);
      assertThat(prometheus.header("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("application/openmetrics-text"));

      RawHttp.Response text = RawHttp.get(port, "/metrics", "Accept: text/plain");
      assertThat(text.header("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
      assertThat(text.body()).doesNotContain("# EOF");
    }
  }

  private static StatusServer server(Daemon daemon, StateStore store, MetricsLimits limits)
      throws Exception {
    return new StatusServer(
        new InetSocketAddress("127.0.0.1", 0),
        daemon,
        List.of(store),
        Duration.ofMinutes(5),
        CLOCK,
        null,
        HttpLimits.DEFAULTS,
        System::nanoTime,
        limits);
  }

  private static int count(String text, String prefix) {
    return (int) text.lines().filter(l -> l.startsWith(prefix)).count();
  }

  /** The value of the sample {@code series} (name and labels as written). */
  static double sample(String text, String series) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(series) + " ([-+0-9.eEInfa]+)$").matcher(text);
    assertThat(m.find()).as(series + " in the scrape").isTrue();
    return Double.parseDouble(m.group(1));
  }
}
