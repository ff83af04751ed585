package dev.plateau.cli;

import static dev.plateau.cli.Ran.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plateau.write.EventFileWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.ParseResult;

/**
 * A single-valued option given twice takes its last value, so that arguments appended to the
 * container image's default command ({@code watch /logs --http 0.0.0.0:9321}) override it; options
 * that collect values keep every one.
 */
class RepeatedOptionsTest {
  static ParseResult parse(String... args) {
    return Main.commandLine(new ByteArrayOutputStream(), new PrintWriter(new StringWriter(), true))
        .parseArgs(args)
        .subcommand();
  }

  @Test
  void theLastValueOfARepeatedSingleValuedOptionWins(@TempDir Path logs) {
    ParseResult watch =
        parse(
            "watch",
            logs.toString(),
            "--http",
            "0.0.0.0:9321",
            "--poll-interval",
            "2s",
            "--http",
            "127.0.0.1:9000",
            "--poll-interval",
            "5s");
    assertThat(watch.matchedOption("--http").getValue().toString()).isEqualTo("127.0.0.1:9000");
    assertThat(watch.matchedOption("--poll-interval").getValue().toString()).isEqualTo("5s");
  }

  @Test
  void aRepeatedOptionThatCollectsValuesKeepsEveryValue(@TempDir Path logs) {
    ParseResult watch =
        parse(
            "watch",
            logs.toString(),
            "--webhook",
            "http://127.0.0.1:9/a",
            "--webhook",
            "http://127.0.0.1:9/b");
    List<String> webhooks = watch.matchedOption("--webhook").getValue();
    assertThat(webhooks).containsExactly("http://127.0.0.1:9/a", "http://127.0.0.1:9/b");
  }

  @Test
  void aCommandRunsWithTheLastOfARepeatedOptionsValues(@TempDir Path logs) throws IOException {
    double start = 1.7e9;
    try (EventFileWriter w = EventFileWriter.create(logs.resolve("job"), start, "h", 0)) {
      for (int step = 0; step < 30; step++) {
        w.simpleValue("loss", step, start + step, (float) (1 + Math.exp(-step / 5.0)));
      }
    }
    Ran json = run("check", logs.toString(), "--format", "table", "--format", "json");
    assertThat(json.err()).doesNotContain("should be specified only once");
    assertThat(new ObjectMapper().readTree(json.out()).get("runs")).isNotNull();

    Ran table = run("check", logs.toString(), "--format", "json", "--format", "table");
    assertThat(table.out()).contains("RUN", "STATUS").doesNotContain("\"runs\"");
  }
}
