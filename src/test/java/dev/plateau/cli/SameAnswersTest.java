package dev.plateau.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plateau.config.ConfigLoader;
import dev.plateau.config.DetectionConfig;
import dev.plateau.testing.SharedFixtures;
import dev.plateau.write.EventFileWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever is made lazy or parallel, the verdicts do not change (issue 24): {@code check} and
 * {@code replay}, which read and judge experiment by experiment on every core, answer exactly as
 * one judge fed every point of the logdir at once (the whole-history path, {@link Backtest#run}, as
 * they judged before), over the shared fixtures and both curve sets written as logdirs (one run per
 * curve as {@code curves_to_logdir.py} writes them, and the noisy set also as Keras
 * train/validation pairs, so twins and experiments of several runs are judged too).
 */
class SameAnswersTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A time after every point: stalled is judged, and its transitions are recorded too. */
  private static final double NOW = 2.0e9;

  @TempDir static Path temp;

  private static Path curves;
  private static Path noisy;
  private static Path noisyPairs;

  @BeforeAll
  static void writeCurveSets() throws IOException {
    curves = CurveLogdirs.write("curves.jsonl", temp.resolve("curves"), false);
    noisy = CurveLogdirs.write("noisy.jsonl", temp.resolve("noisy"), false);
    noisyPairs = CurveLogdirs.write("noisy.jsonl", temp.resolve("noisy-pairs"), true);
  }

  static Stream<String> logdirs() {
    return Stream.of("fixtures", "curves", "noisy", "noisy-pairs");
  }

  private static Path logdir(String name) {
    return switch (name) {
      case "fixtures" -> SharedFixtures.require("fixtures");
      case "curves" -> curves;
      case "noisy" -> noisy;
      default -> noisyPairs;
    };
  }

  @ParameterizedTest
  @MethodSource("logdirs")
  void replayAndCheckJudgedExperimentByExperimentAnswerAsOneJudgeOfTheWholeHistory(String name)
      throws Exception {
    Path logdir = logdir(name);
    DetectionConfig config = ConfigLoader.load(null, System.getenv(), Map.of()).detection();
    Backtest.Judged whole = Backtest.judgedAt(Backtest.run(logdir, config, quiet(), "replay"), NOW);
    String replayBefore = ReplayCommand.json(whole);
    String checkBefore = CheckCommand.json(whole.experiments(), config.stops());
    // Not a vacuous comparison: series are watched and some stop.
    JsonNode replayed = JSON.readTree(replayBefore);
    assertThat(replayed.size()).isGreaterThan(name.equals("fixtures") ? 5 : 100);
    assertThat(replayed.findValuesAsText("decided_at_step")).isNotEmpty();

    // One thread here; the commands below use one per core.
    for (int threads : List.of(1)) {
      Backtest.Judged streamed =
          StreamedBacktest.run(logdir, config, NOW, threads, quiet(), "replay");
      assertThat(fields(ReplayCommand.json(streamed)))
          .as("replay on %d threads: run, tag, status, decided_at_step, best_step", threads)
          .isEqualTo(fields(replayBefore));
      assertThat(ReplayCommand.json(streamed)).as("replay, every field").isEqualTo(replayBefore);
      assertThat(CheckCommand.json(streamed.experiments(), config.stops()))
          .as("check on %d threads", threads)
          .isEqualTo(checkBefore);
      assertThat(streamed.sparklines()).isEqualTo(whole.sparklines());
    }
    // The commands themselves take the streamed path.
    assertThat(command("replay", logdir)).isEqualTo(JSON.readTree(replayBefore));
    assertThat(command("check", logdir)).isEqualTo(JSON.readTree(checkBefore));
  }

  /** Per series: run, tag, status, decided_at_step and best_step, the goal's fields. */
  private static List<String> fields(String replayJson) throws IOException {
    return Stream.of(JSON.readTree(replayJson))
        .flatMap(array -> java.util.stream.StreamSupport.stream(array.spliterator(), false))
        .map(
            o ->
                String.join(
                    " ",
                    o.get("run").asText(),
                    o.get("tag").asText(),
                    o.get("status").asText(),
                    o.get("decided_at_step").asText(),
                    o.get("best_step").asText()))
        .toList();
  }

  private static JsonNode command(String command, Path logdir) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Main.run(
        out, quiet(), command, logdir.toString(), "--format", "json", "--now", String.valueOf(NOW));
    return JSON.readTree(out.toString(StandardCharsets.UTF_8));
  }

  private static PrintWriter quiet() {
    return new PrintWriter(new StringWriter());
  }

  /** The curve sets of {@code ../shared/curves} written as logdirs with the project's writer. */
  static final class CurveLogdirs {
    private CurveLogdirs() {}

    /**
     * Writes {@code set} into {@code logdir}: one run per curve (its id made safe, as {@code
     * curves_to_logdir.py} names it), one tag (the curve's metric), a point every 10 s; or, with
     * {@code pairs}, curve 2k as run {@code pK/train} and 2k+1 as {@code pK/validation}, both with
     * tag {@code loss}, their points interleaved in time.
     */
    static Path write(String set, Path logdir, boolean pairs) throws IOException {
      List<String> lines = Files.readAllLines(SharedFixtures.require("curves/" + set));
      for (int i = 0; i < lines.size(); i++) {
        JsonNode c = JSON.readTree(lines.get(i));
        JsonNode values = c.get("values");
        if (values.size() < 20) {
          continue;
        }
        String run =
            pairs
                ? "p" + i / 2 + (i % 2 == 0 ? "/train" : "/validation")
                : c.get("id").asText().replaceAll("[^A-Za-z0-9._-]+", "_");
        String tag = pairs ? "loss" : c.get("metric").asText();
        double t0 = 1.7e9 + (pairs ? i % 2 : 0);
        try (EventFileWriter w = EventFileWriter.create(logdir.resolve(run), t0, "curves", 0)) {
          for (int p = 0; p < values.size(); p++) {
            float v = values.get(p).isNull() ? Float.NaN : (float) values.get(p).asDouble();
            w.simpleValue(tag, c.get("steps").get(p).asLong(), t0 + 10.0 * (p + 1), v);
          }
        }
      }
      return logdir;
    }
  }
}
