package dev.plateau.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plateau.testing.SharedFixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plateau tune} scores a setting as {@code ../shared/tools/detect_eval.py} scores {@code
 * plateau replay} run with that setting: the same curves, stops, false stops (plain and
 * noise-aware), savings and regret, on the clean curve set written as event files. The curves are
 * rounded to float32 first, as event files hold them, so both read the same numbers.
 */
class TuneAgreesWithDetectEvalIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> FIELDS =
      List.of(
          "curves",
          "fired",
          "mean_savings",
          "false_stop_rate",
          "false_stop_rate_noise_aware",
          "mean_regret");

  @Test
  void tunesFiguresForASettingEqualDetectEvalsForReplayWithThatSetting(@TempDir Path temp)
      throws Exception {
    Path curves = float32(SharedFixtures.require("curves/curves.jsonl"), temp.resolve("c.jsonl"));
    Path tools = SharedFixtures.require("tools");
    Path logdir = temp.resolve("logdir");
    Path map = temp.resolve("map.json");
    run(
        Map.of(),
        python(),
        tools.resolve("curves_to_logdir.py").toString(),
        curves.toString(),
        logdir.toString(),
        "--map",
        map.toString());

    JsonNode tuned =
        JSON.readTree(
            run(
                Map.of(),
                plateau(
                    "tune",
                    logdir.toString(),
                    "--grid",
                    "plateau.min_delta=0.02,0.06",
                    "--format",
                    "json")));
    assertThat(tuned.path("settings")).hasSize(2);
    for (JsonNode setting : tuned.path("settings")) {
      String minDelta = setting.path("keys").path("detection.plateau.min_delta").asText();
      Path replay = temp.resolve("replay-" + minDelta + ".json");
      Files.writeString(
          replay,
          run(
              Map.of("PLATEAU_DETECTION_PLATEAU_MIN_DELTA", minDelta),
              plateau("replay", logdir.toString(), "--format", "json")));
      JsonNode project = null;
      JsonNode diverged = null;
      for (JsonNode row :
          JSON.readTree(
              run(
                  Map.of(),
                  python(),
                  tools.resolve("detect_eval.py").toString(),
                  curves.toString(),
                  "--verdicts",
                  replay.toString(),
                  "--map",
                  map.toString(),
                  "--json"))) {
        if (row.path("detector").asText().equals("project")) {
          if (row.path("group").asText().equals("all")) {
            project = row;
          } else if (row.path("group").asText().equals("DIVERGED")) {
            diverged = row;
          }
        }
      }
      assertThat(project).as("detect_eval's project row").isNotNull();
      for (String field : FIELDS) {
        assertThat(setting.path(field).asDouble())
            .as("min_delta " + minDelta + ": " + field)
            .isCloseTo(project.path(field).asDouble(), within(1e-9));
      }
      assertThat(setting.path("curves").asInt()).isGreaterThan(800);
      assertThat(setting.path("fired").asInt()).isPositive();
      assertThat(setting.path("diverged").path("curves").asInt())
          .isEqualTo(diverged.path("diverged_curves").asInt());
      assertThat(setting.path("diverged").path("stopped").asInt())
          .isEqualTo(diverged.path("stopped").asInt());
    }
    JsonNode a = tuned.path("settings").get(0);
    JsonNode b = tuned.path("settings").get(1);
    assertThat(b.path("mean_savings").asDouble())
        .as("a larger min_delta stops sooner")
        .isGreaterThan(a.path("mean_savings").asDouble());
    assertThat(tuned.path("chosen").path("yaml").asText()).contains("plateau:", "min_delta:");
  }

  /** The curves with every value rounded to float32, as an event file holds it. */
  private static Path float32(Path from, Path to) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(from, StandardCharsets.UTF_8)) {
      ObjectNode curve = (ObjectNode) JSON.readTree(line);
      ArrayNode values = JSON.createArrayNode();
      for (JsonNode v : curve.path("values")) {
        if (v.isNumber()) {
          values.add((double) (float) v.asDouble());
        } else {
          values.add(v);
        }
      }
      curve.set("values", values);
      lines.add(JSON.writeValueAsString(curve));
    }
    return Files.write(to, lines, StandardCharsets.UTF_8);
  }

  private static List<String> plateau(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(System.getProperty("plateau.jar", "target/plateau.jar"));
    command.addAll(List.of(args));
    return command;
  }

  private static List<String> python() {
    return List.of(
        Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3");
  }

  private static String run(Map<String, String> env, List<String> head, String... rest)
      throws Exception {
    List<String> command = new ArrayList<>(head);
    command.addAll(List.of(rest));
    return run(env, command);
  }

  private static String run(Map<String, String> env, List<String> command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    Path errors = Files.createTempFile("tune-it", ".err");
    builder.redirectError(errors.toFile());
    Process p = builder.start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(command + ": " + Files.readString(errors)).isZero();
    return new String(out, StandardCharsets.UTF_8);
  }
}
