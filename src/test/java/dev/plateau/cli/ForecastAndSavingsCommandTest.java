package dev.plateau.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plateau.cli.CheckAndReplayCommandTest.Result;
import dev.plateau.write.EventFileWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21 items 1 and 5 in check and replay, over event files written by Plateau's own writer: the
 * forecast at max_steps (configured, or logged by the run), the target's forecast, the step of
 * convergence, and what stopping saved.
 */
class ForecastAndSavingsCommandTest {
  static final double START = 1.7e9;

  static final String CONFIG =
      """
      rules:
        - tag: val_loss
          detectors: [divergence, target, plateau]
          target: {value: 0.5}
          plateau: {max_steps: 1000}
      """;

  /** Run {@code a} trains 120 steps, a point a minute; run {@code b} logs max_steps 2000 first. */
  static Path logdir(Path temp) throws IOException {
    Path logdir = temp.resolve("logs");
    try (EventFileWriter w = EventFileWriter.create(logdir.resolve("a"), START, "h", 0)) {
      for (int t = 0; t < 120; t++) {
        w.simpleValue("val_loss", t, START + 60.0 * t, (float) (1 + 8 * Math.exp(-(t + 1) / 8.0)));
      }
    }
    try (EventFileWriter w = EventFileWriter.create(logdir.resolve("b"), START, "h", 0)) {
      w.simpleValue("hparams/max_steps", 0, START, 2000);
      for (int t = 0; t < 120; t++) {
        w.simpleValue("val_loss", t, START + 60.0 * t, (float) (1 + 8 * Math.exp(-(t + 1) / 8.0)));
      }
    }
    Files.writeString(temp.resolve("plateau.yaml"), CONFIG);
    return logdir;
  }

  static JsonNode run(JsonNode check, String name) {
    for (JsonNode r : check.path("runs")) {
      if (r.path("run").asText().equals(name)) {
        return r;
      }
    }
    throw new AssertionError("no run " + name + " in " + check);
  }

  @Test
  void checkJsonCarriesTheForecastAtMaxStepsTheTargetAndTheStepOfConvergence(@TempDir Path temp)
      throws IOException {
    Path logdir = logdir(temp);
    String config = temp.resolve("plateau.yaml").toString();
    Result result =
        CheckAndReplayCommandTest.run(
            "check", logdir.toString(), "--config", config, "--format", "json", "--now", "1.8e9");
    JsonNode json = result.json();
    JsonNode a = run(json, "a");
    JsonNode forecast = a.path("series").get(0).path("evidence").path("forecast");
    assertThat(forecast.isObject()).as(forecast.toString()).isTrue();
    assertThat(forecast.path("max_steps").asLong()).isEqualTo(1000);
    double value = forecast.path("max_steps_value").asDouble();
    assertThat(forecast.path("max_steps_lower").asDouble()).isLessThanOrEqualTo(value);
    assertThat(forecast.path("max_steps_upper").asDouble()).isGreaterThanOrEqualTo(value);
    assertThat(value).as("the curve's asymptote").isCloseTo(1.0, within(0.01));
    assertThat(forecast.path("target").asDouble()).isEqualTo(0.5);
    assertThat(forecast.path("target_within_horizon").asBoolean()).isFalse();
    assertThat(forecast.path("target_horizon_step").asLong()).isEqualTo(1000);
    assertThat(forecast.path("converges_at_step").asLong()).isBetween(25L, 40L);
    assertThat(forecast.path("steps_per_hour").asDouble()).isCloseTo(60.0, within(1e-6));

    // The run's own max_steps wins over the configured one.
    JsonNode b = run(json, "b").path("series").get(0).path("evidence").path("forecast");
    assertThat(b.path("max_steps").asLong()).isEqualTo(2000);

    // What stopping saved: a converged at its decided step; its end is max_steps.
    JsonNode seriesA = a.path("series").get(0);
    assertThat(seriesA.path("status").asText()).isEqualTo("converged");
    long decided = seriesA.path("decided_at_step").asLong();
    long best = seriesA.path("best_step").asLong();
    JsonNode saved = a.path("saved");
    assertThat(saved.path("steps_after_best").asLong()).isEqualTo(119 - best);
    assertThat(saved.path("hours_after_best").asDouble())
        .isCloseTo((119 - best) / 60.0, within(1e-6));
    assertThat(saved.path("steps_spared").asLong()).isEqualTo(1000 - decided);
    assertThat(saved.path("hours_spared").asDouble())
        .isCloseTo((1000 - decided) / 60.0, within(1e-6));
    assertThat(saved.path("stopped").asInt()).isEqualTo(1);
    long decidedB = run(json, "b").path("series").get(0).path("decided_at_step").asLong();
    assertThat(json.path("saved").path("steps_spared").asLong())
        .isEqualTo((1000 - decided) + (2000 - decidedB));
    assertThat(json.path("saved").path("experiments").asInt()).isEqualTo(2);
  }

  @Test
  void checkTableShowsTheForecastsAnswers(@TempDir Path temp) throws IOException {
    Path logdir = logdir(temp);
    String config = temp.resolve("plateau.yaml").toString();
    Result result =
        CheckAndReplayCommandTest.run(
            "check", logdir.toString(), "--config", config, "--now", "1.8e9");
    assertThat(result.out())
        .contains("FORECAST")
        .contains("@1000 max_steps")
        .contains("@2000 max_steps")
        .contains("; target 0.5000 not by @1000")
        .containsPattern("gains < min_delta from @\\d+");
  }

  @Test
  void replayPrintsWhatStoppingSavedPerExperimentAndInTotal(@TempDir Path temp) throws IOException {
    Path logdir = logdir(temp);
    String config = temp.resolve("plateau.yaml").toString();
    Result json =
        CheckAndReplayCommandTest.run(
            "replay", logdir.toString(), "--config", config, "--format", "json", "--now", "1.8e9");
    long decidedA = -1;
    for (JsonNode s : json.json()) {
      if (s.path("run").asText().equals("a")) {
        decidedA = s.path("decided_at_step").asLong();
      }
    }
    // After the best: the final best (check's), not the one the first stop named.
    Result check =
        CheckAndReplayCommandTest.run(
            "check", logdir.toString(), "--config", config, "--format", "json", "--now", "1.8e9");
    long bestA = run(check.json(), "a").path("series").get(0).path("best_step").asLong();
    assertThat(decidedA).isPositive();
    Result text =
        CheckAndReplayCommandTest.run(
            "replay", logdir.toString(), "--config", config, "--now", "1.8e9");
    String out = text.out();
    assertThat(out).contains("What stopping saved:");
    String rowA =
        out.lines()
            .dropWhile(l -> !l.startsWith("What stopping saved"))
            .filter(l -> l.startsWith("a "))
            .findFirst()
            .orElseThrow(() -> new AssertionError(out));
    assertThat(rowA.trim().split("\\s+"))
        .containsSubsequence(
            String.valueOf(119 - bestA), String.valueOf(decidedA), String.valueOf(1000 - decidedA));
    assertThat(out)
        .containsPattern(
            "in total: \\d+ steps \\([0-9.]+ h\\) trained after the best step; 2 of 2 experiments stopped, sparing \\d+ steps");
  }
}
