package dev.plateau.cli;

import static dev.plateau.cli.CheckAndReplayCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plateau.write.EventFileWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep of eight runs written as real event files, one far behind the rest: check and replay call
 * it lagging, informational by default and a stop with {@code detection.lagging: stop}.
 */
class LaggingCommandTest {
  private static Path sweep(Path dir) throws IOException {
    for (int i = 0; i < 8; i++) {
      double floor = i == 7 ? 3.5 : 2.0 + 0.1 * i;
      try (EventFileWriter w =
          EventFileWriter.create(dir.resolve("grid/lr-" + i), 1.7e9, "test", 0)) {
        for (int t = 1; t <= 40; t++) {
          w.simpleValue(
              "val_loss", t, 1.7e9 + t, (float) (floor + (5 - floor) * Math.exp(-t / 8.0)));
        }
      }
    }
    return dir;
  }

  private static JsonNode find(JsonNode array, String field, String value) {
    for (JsonNode o : array) {
      if (o.get(field).asText().equals(value)) {
        return o;
      }
    }
    throw new AssertionError("no " + value + " in " + array);
  }

  @Test
  void checkShowsTheRunBehindItsSweepAsLaggingAndItStopsOnlyWhenConfigured(@TempDir Path temp)
      throws IOException {
    Path dir = sweep(temp.resolve("logs"));
    Path notice = temp.resolve("notice.yaml");
    Files.writeString(notice, "detection:\n  stalled:\n    after: 100000d\n");
    CheckAndReplayCommandTest.Result byDefault =
        run("check", dir.toString(), "--format", "json", "--config", notice.toString());
    JsonNode lagging = find(byDefault.json().get("runs"), "run", "grid/lr-7");
    assertThat(lagging.get("status").asText()).as(byDefault.out()).isEqualTo("lagging");
    assertThat(byDefault.exit()).isEqualTo(1);

    CheckAndReplayCommandTest.Result table =
        run("check", dir.toString(), "--config", notice.toString());
    assertThat(table.out()).containsPattern("grid/lr-7\\s+lagging");
  }

  @Test
  void replayListsTheFirstLaggingStepApartAndDecidesItOnlyWhenConfigured(@TempDir Path temp)
      throws IOException {
    Path dir = sweep(temp.resolve("logs"));
    JsonNode byDefault =
        find(run("replay", dir.toString(), "--format", "json").json(), "run", "grid/lr-7");
    assertThat(byDefault.get("first_lagging_step").asLong()).isBetween(5L, 40L);
    assertThat(byDefault.get("status").asText()).isNotEqualTo("lagging");

    Path stop = temp.resolve("stop.yaml");
    Files.writeString(stop, "detection:\n  lagging: stop\n");
    CheckAndReplayCommandTest.Result asStop =
        run("replay", dir.toString(), "--format", "json", "--config", stop.toString());
    JsonNode stopped = find(asStop.json(), "run", "grid/lr-7");
    assertThat(stopped.get("status").asText()).isEqualTo("lagging");
    assertThat(stopped.get("detector").asText()).isEqualTo("sweep");
    assertThat(stopped.get("decided_at_step").asLong())
        .isEqualTo(byDefault.get("first_lagging_step").asLong());
    assertThat(find(asStop.json(), "run", "grid/lr-0").get("first_lagging_step").isNull()).isTrue();
    String runsTable = run("replay", dir.toString(), "--config", stop.toString()).out();
    assertThat(runsTable).containsPattern("grid/lr-7\\s+lagging\\s+\\d+");
  }
}
