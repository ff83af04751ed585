package dev.plateau.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plateau.testing.SharedFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check}, {@code replay} (its {@code final_status}) and {@code watch} ({@code /api/runs},
 * the real jar) say the same of every series and experiment of all of {@code ../shared/fixtures},
 * read at the same time: the same judges on the same points, and one clock rule for {@code stalled}
 * (the writer's wall time of the last point).
 */
class CommandsAgreeIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void checkReplayAndWatchGiveTheSameStatusForEverySeriesOfTheFixtures(@TempDir Path temp)
      throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    SharedFixtures.copyEveryFixtureInto(logdir);

    JsonNode check =
        CheckAndReplayCommandTest.run("check", logdir.toString(), "--format", "json").json();
    Map<String, String> checkSeries = new TreeMap<>();
    Map<String, String> checkExperiments = new TreeMap<>();
    for (JsonNode run : check.path("runs")) {
      checkExperiments.put(run.path("run").asText(), run.path("status").asText());
      for (JsonNode s : run.path("series")) {
        checkSeries.put(key(s), s.path("status").asText());
      }
    }
    Map<String, String> replaySeries = new TreeMap<>();
    for (JsonNode s :
        CheckAndReplayCommandTest.run("replay", logdir.toString(), "--format", "json").json()) {
      replaySeries.put(key(s), s.path("final_status").asText());
    }

    Map<String, String> watchSeries = new TreeMap<>();
    Map<String, String> watchExperiments = new TreeMap<>();
    try (WatchProcess watch = WatchProcess.start(List.of(), logdir, temp.resolve("state"))) {
      watch.await("the first scan", () -> watch.status("/readyz") == 200);
      watch.await(
          "every series of check judged by watch",
          () -> {
            watchSeries.clear();
            watchExperiments.clear();
            for (JsonNode run : runs(watch)) {
              watchExperiments.put(run.path("run").asText(), run.path("status").asText());
              for (JsonNode s : run.path("series")) {
                watchSeries.put(key(s), s.path("status").asText());
              }
            }
            return watchSeries.keySet().equals(checkSeries.keySet())
                && watchSeries.equals(checkSeries);
          });
      assertThat(watch.stop()).isZero();
    }

    assertThat(checkSeries).as("the fixtures' series").hasSizeGreaterThanOrEqualTo(20);
    assertThat(replaySeries).as("replay's final status against check's").isEqualTo(checkSeries);
    assertThat(watchSeries).as("watch's status against check's").isEqualTo(checkSeries);
    assertThat(watchExperiments).as("experiments").isEqualTo(checkExperiments);
    assertThat(checkSeries.get("tf-many_tags val/loss"))
        .as("many_tags, finished long ago, is stalled by every command")
        .isEqualTo("stalled");
  }

  private static Iterable<JsonNode> runs(WatchProcess watch) {
    try {
      return JSON.readTree(watch.get("/api/runs")).path("logdirs").path(0).path("runs");
    } catch (IOException notYet) {
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }

  private static String key(JsonNode series) {
    return series.path("run").asText() + " " + series.path("tag").asText();
  }
}
