package dev.plateau.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plateau.config.ConfigLoader;
import dev.plateau.sink.RetryPolicy;
import dev.plateau.sink.Secret;
import dev.plateau.sink.SinkSettings;
import dev.plateau.sink.WebhookSink;
import dev.plateau.state.StateStore;
import dev.plateau.testing.FakeClock;
import dev.plateau.write.EventFileWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A verdict's webhook payload, as a real receiver on loopback gets it from a watching daemon,
 * carries the forecast's answers (issue 21, item 1) as fields of an object: the level at the
 * max_steps the run logged, the target's forecast and the step of convergence.
 */
class ForecastInWebhookPayloadTest {
  static final String CONFIG =
      """
      rules:
        - tag: val_loss
          detectors: [divergence, target, plateau]
          target: {value: 0.5}
      """;

  @Test
  void thePayloadCarriesTheForecastAtTheRunsMaxStepsAndTheTargetsForecast(@TempDir Path temp)
      throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    FakeClock clock = FakeClock.atNow();
    double start = clock.millis() / 1000.0 - 1300; // recent: not a backlog kept from the sinks
    try (EventFileWriter w =
        EventFileWriter.create(logdir.resolve("exp/validation"), start, "t", 0)) {
      w.simpleValue("max_steps", 0, start, 3000);
      for (int t = 0; t < 120; t++) {
        w.simpleValue("val_loss", t, start + 10.0 * t, (float) (1 + 8 * Math.exp(-(t + 1) / 8.0)));
      }
    }
    try (WebhookReceiver receiver = new WebhookReceiver();
        StateStore store = StateStore.open(temp.resolve("state.db"), false, clock)) {
      WebhookSink sink =
          new WebhookSink(
              SinkSettings.of("webhook-1", Secret.fromValue(receiver.url())), null, clock);
      Watcher watcher =
          new Watcher(
              logdir,
              ConfigLoader.parse(CONFIG, "test.yaml"),
              store,
              List.of(sink),
              FlagApplier.NONE,
              clock,
              "test-host");
      watcher.restore();
      RetryPolicy fast =
          new RetryPolicy(
              Duration.ofMillis(1),
              1,
              Duration.ofMillis(1),
              Integer.MAX_VALUE,
              Duration.ofDays(365));
      watcher.poll();
      new DeliveryWorker(sink, store, fast, clock).deliverDue();

      assertThat(receiver.received()).hasSize(1);
      JsonNode payload = receiver.received().get(0).json();
      assertThat(payload.path("status").asText()).isEqualTo("converged");
      JsonNode forecast = payload.path("evidence").path("forecast");
      assertThat(forecast.isObject()).as(payload.toString()).isTrue();
      assertThat(forecast.path("max_steps").asLong()).as(forecast.toString()).isEqualTo(3000);
      double value = forecast.path("max_steps_value").asDouble();
      assertThat(value).as("the asymptote, fitted at the convergence").isCloseTo(1.0, within(0.05));
      assertThat(forecast.path("max_steps_lower").asDouble()).isLessThanOrEqualTo(value);
      assertThat(forecast.path("max_steps_upper").asDouble()).isGreaterThanOrEqualTo(value);
      assertThat(forecast.path("target").asDouble()).isEqualTo(0.5);
      assertThat(forecast.path("target_within_horizon").asBoolean()).isFalse();
      assertThat(forecast.path("target_horizon_step").asLong()).isEqualTo(3000);
      assertThat(forecast.path("converges_at_step").isIntegralNumber()).isTrue();
      assertThat(forecast.path("steps_per_hour").asDouble()).isCloseTo(360.0, within(1e-6));
    }
  }
}
