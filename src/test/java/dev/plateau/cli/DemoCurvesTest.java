package dev.plateau.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's curves reach their statuses whatever the seed: each seed's job is written at once (one
 * epoch per second of wall time) and judged by {@code plateau check}, which judges with the same
 * defaults as the demo's watcher.
 */
class DemoCurvesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everySeedReachesConvergedOverfittingAndDiverged(@TempDir Path temp) throws Exception {
    for (long seed = 0; seed < 20; seed++) {
      Path logdir = Files.createDirectories(temp.resolve("seed-" + seed));
      double start = System.currentTimeMillis() / 1000.0 - 2 * DemoJob.EPOCHS;
      try (DemoJob job = new DemoJob(logdir, seed, start)) {
        for (int epoch = 0; epoch < DemoJob.EPOCHS; epoch++) {
          job.writeEpoch(epoch, start + epoch);
        }
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      StringWriter err = new StringWriter();
      int exit =
          Main.run(out, new PrintWriter(err, true), "check", "--format", "json", logdir.toString());
      JsonNode result = JSON.readTree(out.toString(StandardCharsets.UTF_8));
      Map<String, String> statuses = new TreeMap<>();
      for (JsonNode run : result.get("runs")) {
        statuses.put(run.get("run").asText(), run.get("status").asText());
      }
      assertThat(statuses)
          .as("seed " + seed)
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  "demo/converging", "converged",
                  "demo/overfitting", "overfitting",
                  "demo/diverging", "diverged"));
      assertThat(exit).as("check's exit code for a diverged run").isEqualTo(3);
    }
  }
}
