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
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code plateau demo} end to end: real event files, the real daemon loop, real flag files. */
class DemoCommandTest {
  record Result(int exit, String out, String err) {
    List<String> lines() {
      return Arrays.asList(out.split("\n"));
    }
  }

  static Result demo(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    String[] full = new String[args.length + 1];
    full[0] = "demo";
    System.arraycopy(args, 0, full, 1, args.length);
    int exit = Main.run(out, new PrintWriter(err, true), full);
    return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString());
  }

  @Test
  void shortDemoPrintsEachVerdictAsItHappensAndLeavesTheThreeFlags(@TempDir Path temp)
      throws Exception {
    Path logdir = temp.resolve("logs");
    Result result = demo("--logdir", logdir.toString(), "--duration", "3s");

    assertThat(result.exit()).as(result.out() + result.err()).isZero();
    // One line per transition, printed while the job runs: elapsed time, experiment, status, flag.
    assertThat(result.lines())
        .anySatisfy(
            l ->
                assertThat(l)
                    .matches(
                        "\\s+\\d+\\.\\ds  demo/converging\\s+converged\\s+keep step \\d+ .*flag: .*CONVERGED"))
        .anySatisfy(
            l ->
                assertThat(l)
                    .matches(
                        "\\s+\\d+\\.\\ds  demo/overfitting\\s+overfitting\\s+keep step \\d+ .*flag: .*OVERFITTING"))
        .anySatisfy(
            l ->
                assertThat(l)
                    .matches(
                        "\\s+\\d+\\.\\ds  demo/diverging\\s+diverged\\s+keep step \\d+ .*flag: .*DIVERGED"));
    // The summary: expected and reached status per experiment.
    assertThat(result.lines())
        .anySatisfy(
            l -> assertThat(l).matches("demo/converging\\s+converged\\s+converged\\s+\\d+\\s+.*"))
        .anySatisfy(
            l ->
                assertThat(l)
                    .matches("demo/overfitting\\s+overfitting\\s+overfitting\\s+\\d+\\s+.*"))
        .anySatisfy(
            l -> assertThat(l).matches("demo/diverging\\s+diverged\\s+diverged\\s+\\d+\\s+.*"));
    assertThat(result.out())
        .contains("rm -rf " + logdir.toAbsolutePath())
        .contains("plateau watch");

    ObjectMapper json = new ObjectMapper();
    for (String[] flag :
        new String[][] {
          {"demo/converging/CONVERGED", "converged"},
          {"demo/overfitting/OVERFITTING", "overfitting"},
          {"demo/diverging/DIVERGED", "diverged"}
        }) {
      Path file = logdir.resolve(flag[0]);
      assertThat(file).isRegularFile();
      JsonNode verdict = json.readTree(file.toFile());
      assertThat(verdict.get("status").asText()).isEqualTo(flag[1]);
      assertThat(verdict.get("best_step").isIntegralNumber()).isTrue();
    }
    // The runs were real event files, and the state sits in the logdir, out of the runs' way.
    try (var files = Files.list(logdir.resolve("demo/diverging"))) {
      assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.contains("tfevents"));
    }
    assertThat(logdir.resolve(".plateau/state.db")).isRegularFile();
  }

  @Test
  void nonEmptyLogdirIsRefused(@TempDir Path temp) throws Exception {
    Files.writeString(temp.resolve("something"), "x");
    Result result = demo("--logdir", temp.toString(), "--duration", "1s");
    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("not empty");
    try (var files = Files.list(temp)) {
      assertThat(files).hasSize(1);
    }
  }

  @Test
  void durationOutOfRangeOrUnreadableIsAnError(@TempDir Path temp) {
    assertThat(demo("--logdir", temp.toString(), "--duration", "soon").err())
        .contains("--duration 'soon' is not a duration");
    Result tooShort = demo("--logdir", temp.toString(), "--duration", "100ms");
    assertThat(tooShort.exit()).isEqualTo(2);
    assertThat(tooShort.err()).contains("between 1s and 1h");
  }
}
