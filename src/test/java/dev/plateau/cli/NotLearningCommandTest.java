package dev.plateau.cli;

import static dev.plateau.cli.CheckAndReplayCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plateau.testing.SharedFixtures;
import dev.plateau.write.EventFileWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run whose validation loss never moves beyond its noise, written as a real event file: replay
 * and check call it not learning, informational by default (no stop, no decision) and a stop with
 * {@code detection.not_learning: stop}; a run that learns beside it is judged as ever.
 */
class NotLearningCommandTest {

  /** Two runs: {@code flat} (noise around 2.0) and {@code learns} (a clean exponential decay). */
  private static Path logdir(Path dir) throws IOException {
    Random random = new Random(1);
    try (EventFileWriter flat = EventFileWriter.create(dir.resolve("flat"), 1.7e9, "test", 0);
        EventFileWriter learns = EventFileWriter.create(dir.resolve("learns"), 1.7e9, "test", 0)) {
      for (int t = 0; t < 200; t++) {
        flat.simpleValue("val_loss", t, 1.7e9 + t, (float) (2 + 0.1 * random.nextGaussian()));
        learns.simpleValue(
            "val_loss",
            t,
            1.7e9 + t,
            (float) (1 + 9 * Math.exp(-t / 15.0) + 0.01 * random.nextGaussian()));
      }
    }
    return dir;
  }

  private static JsonNode series(JsonNode replay, String run) {
    for (JsonNode o : replay) {
      if (o.get("run").asText().equals(run)) {
        return o;
      }
    }
    throw new AssertionError("no " + run + " in " + replay);
  }

  @Test
  void replayListsNotLearningApartAndDecidesNothingByDefault(@TempDir Path temp)
      throws IOException {
    // judged a minute after the last point: the run is not (yet) stalled
    CheckAndReplayCommandTest.Result result =
        run("replay", logdir(temp).toString(), "--format", "json", "--now", "1700000260");
    assertThat(result.exit()).as(result.err()).isZero();
    JsonNode flat = series(result.json(), "flat");
    assertThat(flat.get("status").asText()).isEqualTo("training");
    assertThat(flat.get("decided_at_step").isNull()).isTrue();
    assertThat(flat.get("first_not_learning_step").asLong()).isBetween(29L, 199L);
    assertThat(flat.get("final_status").asText()).isEqualTo("not_learning");
    // judged today, years later, its final status is check's: stalled
    JsonNode today =
        series(
            run("replay", logdir(temp.resolve("again")).toString(), "--format", "json").json(),
            "flat");
    assertThat(today.get("final_status").asText()).isEqualTo("stalled");
    assertThat(today.get("status").asText()).as("the decision is unchanged").isEqualTo("training");
    JsonNode learns = series(result.json(), "learns");
    assertThat(learns.get("status").asText()).isEqualTo("converged");
    assertThat(learns.get("first_not_learning_step").isNull()).isTrue();
  }

  @Test
  void notLearningStopIsTheDecisionWhenConfigured(@TempDir Path temp) throws IOException {
    Path config = temp.resolve("stop.yaml");
    Files.writeString(config, "detection:\n  not_learning: stop\n");
    Path dir = logdir(temp.resolve("logs"));
    JsonNode flat =
        series(
            run("replay", dir.toString(), "--format", "json", "--config", config.toString()).json(),
            "flat");
    assertThat(flat.get("status").asText()).isEqualTo("not_learning");
    assertThat(flat.get("decided_at_step").asLong())
        .isEqualTo(flat.get("first_not_learning_step").asLong());
  }

  @Test
  void checkCountsNotLearningAsStoppedOnlyWhenConfigured(@TempDir Path temp) throws IOException {
    Path dir = logdir(temp.resolve("logs"));
    Path config = temp.resolve("stop.yaml");
    Files.writeString(config, "detection:\n  not_learning: stop\n  stalled:\n    after: 100000d\n");
    Path notice = temp.resolve("notice.yaml");
    Files.writeString(notice, "detection:\n  stalled:\n    after: 100000d\n");
    CheckAndReplayCommandTest.Result byDefault =
        run("check", dir.toString(), "--format", "json", "--config", notice.toString());
    assertThat(byDefault.exit()).as(byDefault.out()).isEqualTo(1);
    CheckAndReplayCommandTest.Result asStop =
        run("check", dir.toString(), "--format", "json", "--config", config.toString());
    assertThat(asStop.exit()).as(asStop.out()).isZero();
    assertThat(asStop.json().toString()).contains("\"status\":\"not_learning\"");
  }

  @Test
  void anUnknownNotLearningChoiceIsRefusedNamingTheKey(@TempDir Path temp) throws IOException {
    Path config = temp.resolve("bad.yaml");
    Files.writeString(config, "detection:\n  not_learning: halt\n");
    CheckAndReplayCommandTest.Result result =
        run("replay", logdir(temp.resolve("logs")).toString(), "--config", config.toString());
    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("detection.not_learning").contains("notice").contains("stop");
  }

  @Test
  void theReinforcementLearningReturnNeitherDivergesOnNoiseNorConvergesEarly() throws IOException {
    // NAF_DQN's episode/Return: its 4,000-step means rise from about -172 to 277 by step 26,000,
    // then hold; single episodes swing by hundreds.
    Path run = SharedFixtures.require("fixtures/public/AkshayKulkarni3467__NAF_DQN");
    JsonNode replay = run("replay", run.toString(), "--format", "json").json();
    JsonNode episodeReturn = null;
    for (JsonNode o : replay) {
      if (o.get("tag").asText().equals("episode/Return")) {
        episodeReturn = o;
      }
    }
    assertThat(episodeReturn).isNotNull();
    assertThat(episodeReturn.get("status").asText()).isNotEqualTo("diverged");
    assertThat(episodeReturn.get("final_status").asText()).isNotEqualTo("diverged");
    if (episodeReturn.get("status").asText().equals("converged")) {
      assertThat(episodeReturn.get("decided_at_step").asLong()).isGreaterThanOrEqualTo(20_000);
    }
  }
}
