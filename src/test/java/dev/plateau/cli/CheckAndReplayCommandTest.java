package dev.plateau.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plateau.testing.SharedFixtures;
import dev.plateau.testing.VerdictFields;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** check and replay over real event files written by TensorFlow's own writer. */
class CheckAndReplayCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Path tf(String name) {
    return SharedFixtures.require("fixtures/tf").resolve(name);
  }

  record Result(int exit, String out, String err) {
    JsonNode json() throws IOException {
      return JSON.readTree(out);
    }
  }

  static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    int exit = Main.run(out, new PrintWriter(err, true), args);
    return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString());
  }

  @Test
  void checkExitsZeroWhenTheKerasRunHasConverged() throws IOException {
    Result result = run("check", tf("converging").toString(), "--format", "json");
    assertThat(result.exit()).as(result.out() + result.err()).isZero();
    JsonNode runs = result.json().get("runs");
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0).get("run").asText()).isEqualTo(".");
    assertThat(runs.get(0).get("status").asText()).isEqualTo("converged");
    assertThat(result.json().get("exit_code").asInt()).isZero();
  }

  @Test
  void checkExitsThreeWhenARunDiverged() throws IOException {
    Result result = run("check", tf("diverging").toString(), "--format", "json");
    assertThat(result.exit()).isEqualTo(3);
    JsonNode loss = null;
    for (JsonNode s : result.json().get("runs").get(0).get("series")) {
      if (s.get("tag").asText().equals("loss")) {
        loss = s;
      }
    }
    assertThat(loss).isNotNull();
    assertThat(loss.get("status").asText()).isEqualTo("diverged");
    // The checkpoint to keep lies before the blow-up (Infinity at step 118).
    assertThat(loss.get("best_step").asLong()).isLessThan(118);
  }

  @Test
  void checkTableShowsRunsSeriesAndSparklines() {
    Result result = run("check", tf("converging").toString(), "--now", "1.8e9");
    assertThat(result.out()).contains("RUN", "STATUS", "epoch_loss", "converged");
    assertThat(result.out()).containsPattern("[▁▂▃▄▅▆▇█]{10,}");
  }

  @Test
  void checkOfANewRunThatStillImprovesExitsOne(@TempDir Path temp) throws IOException {
    // The first 20 epochs of the converging run: still improving steeply.
    Path dir = temp.resolve("early");
    Files.createDirectories(dir);
    try (var w = dev.plateau.write.EventFileWriter.create(dir, 1.7e9, "test", 0)) {
      for (int step = 0; step < 20; step++) {
        w.simpleValue("val_loss", step, 1.7e9 + step, (float) (2.0 * Math.exp(-step / 8.0) + 0.1));
      }
    }
    Result result = run("check", dir.toString(), "--now", "1.7e9");
    assertThat(result.exit()).as(result.out()).isEqualTo(1);
  }

  @Test
  void checkWithNothingWatchedExitsOneAndSaysWhy(@TempDir Path temp) throws IOException {
    try (var w = dev.plateau.write.EventFileWriter.create(temp, 1.7e9, "test", 0)) {
      w.simpleValue("learning_rate", 1, 1.7e9, 0.1f);
    }
    Result result = run("check", temp.toString());
    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).contains("no watched series");
  }

  @Test
  void missingLogdirAndBadConfigAreErrors(@TempDir Path temp) throws IOException {
    assertThat(run("check", temp.resolve("nope").toString()).exit()).isEqualTo(2);
    Path config = temp.resolve("bad.yaml");
    Files.writeString(config, "detection:\n  plateau:\n    windw: 3\n");
    Result result = run("replay", tf("converging").toString(), "--config", config.toString());
    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("detection.plateau.windw").contains("unknown key");
  }

  @Test
  void replayJsonHasOneObjectPerWatchedSeriesWithTheContractFields() throws IOException {
    Result result = run("replay", tf("").toString(), "--format", "json");
    assertThat(result.exit()).isZero();
    JsonNode array = result.json();
    assertThat(array.isArray()).isTrue();
    List<String> keys = new ArrayList<>();
    for (JsonNode o : array) {
      keys.add(o.get("run").asText() + ":" + o.get("tag").asText());
      for (String field : VerdictFields.SERIES) {
        assertThat(o.has(field)).as(field + " in " + o).isTrue();
      }
      String status = o.get("status").asText();
      if (status.equals("training")) {
        assertThat(o.get("decided_at_step").isNull()).isTrue();
      } else {
        assertThat(o.get("decided_at_step").asLong())
            .isLessThanOrEqualTo(o.get("last_step").asLong());
        assertThat(o.get("best_step").asLong())
            .isLessThanOrEqualTo(o.get("decided_at_step").asLong());
      }
    }
    assertThat(keys).contains("diverging:loss", "converging/validation:epoch_loss");
    assertThat(keys).noneMatch(k -> k.endsWith(":learning_rate"));
  }

  @Test
  void replayTableReportsSavedSteps() {
    Result result = run("replay", tf("converging").toString());
    assertThat(result.exit()).isZero();
    assertThat(result.out()).contains("SAVED").contains("would have been saved");
  }
}
