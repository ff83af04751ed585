package dev.plateau.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plateau.write.EventFileWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What stopping saved and the forecasts' answers (issue 21, items 1 and 5) as a real status server
 * on loopback serves them: {@code /api/runs} per experiment and per logdir, {@code /metrics} per
 * logdir and per exported experiment, and the page's line.
 */
class SavingsAndForecastsServedTest {
  static final double START = 1.7e9;

  @Test
  void apiMetricsAndPageSayWhatStoppingSavedAndTheForecastAtTheRunsMaxSteps(@TempDir Path temp)
      throws Exception {
    Path logdir = temp.resolve("logs");
    // A point every 30 s (120 steps an hour); the run says it ends at step 600.
    try (EventFileWriter w =
        EventFileWriter.create(logdir.resolve("exp/validation"), START, "h", 0)) {
      w.simpleValue("trainer/max_steps", 0, START, 600);
      for (int t = 0; t < 150; t++) {
        w.simpleValue("val_loss", t, START + 30.0 * t, (float) (1 + 8 * Math.exp(-(t + 1) / 8.0)));
      }
    }
    try (RunningServer running = new RunningServer(temp, logdir, "127.0.0.1", null)) {
      var address = running.server.address();
      JsonNode api =
          new ObjectMapper().readTree(StatusServerTest.get(address, "/api/runs", "GET").body());
      JsonNode ofLogdir = api.path("logdirs").get(0);
      JsonNode run = ofLogdir.path("runs").get(0);
      JsonNode series = run.path("series").get(0);
      assertThat(run.path("status").asText()).isEqualTo("converged");
      JsonNode forecast = series.path("evidence").path("forecast");
      assertThat(forecast.path("max_steps").asLong()).as(forecast.toString()).isEqualTo(600);
      assertThat(forecast.path("converges_at_step").isIntegralNumber()).isTrue();

      long decided = series.path("decided_at_step").asLong();
      long best = series.path("best_step").asLong();
      JsonNode saved = run.path("saved");
      assertThat(saved.path("steps_after_best").asLong()).isEqualTo(149 - best);
      assertThat(saved.path("steps_spared").asLong()).isEqualTo(600 - decided);
      assertThat(saved.path("hours_spared").asDouble())
          .isCloseTo((600 - decided) / 120.0, within(1e-6));
      assertThat(ofLogdir.path("saved").path("steps_spared").asLong()).isEqualTo(600 - decided);
      assertThat(ofLogdir.path("saved").path("stopped").asInt()).isEqualTo(1);

      String metrics = StatusServerTest.get(address, "/metrics", "GET").body();
      String label = "logdir=\"" + logdir + "\"";
      assertThat(metrics)
          .contains("plateau_steps_spared{" + label + "} " + (600 - decided) + ".0")
          .contains("plateau_steps_after_best{" + label + "} " + (149 - best) + ".0")
          .contains(
              String.format(
                  Locale.ROOT,
                  "plateau_experiment_steps_spared{experiment=\"exp\",%s} %d.0",
                  label,
                  600 - decided))
          .contains("# TYPE plateau_hours_spared gauge");

      String page = StatusServerTest.get(address, "/", "GET").body();
      assertThat(page)
          .contains("stopping saved: " + (149 - best) + " steps")
          .contains("1 of 1 experiments stopped, sparing " + (600 - decided) + " steps");

      // The experiment's page: its forecast column says the level at max_steps and the step of
      // convergence, beside the interval drawn on the chart.
      String experiment =
          StatusServerTest.get(address, "/experiment?logdir=0&name=exp", "GET").body();
      assertThat(experiment)
          .contains("@600 max_steps")
          .contains("gains &lt; min_delta from @" + forecast.path("converges_at_step").asLong());
    }
  }
}
