package dev.plateau.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plateau.testing.SharedFixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DumpCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Path fixtures() {
    return SharedFixtures.require("fixtures");
  }

  record Result(int exit, String out, String err) {
    List<JsonNode> lines() throws IOException {
      List<JsonNode> nodes = new ArrayList<>();
      for (String line : out.split("\n")) {
        if (!line.isEmpty()) {
          nodes.add(JSON.readTree(line));
        }
      }
      return nodes;
    }
  }

  static Result dump(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    String[] full = new String[args.length + 1];
    full[0] = "dump";
    System.arraycopy(args, 0, full, 1, args.length);
    int exit = Main.run(out, new PrintWriter(err, true), full);
    return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString());
  }

  @Test
  void seriesViewOfRestartedRunKeepsFirstAttemptBeforeRestartAndSecondAttemptAfter()
      throws IOException {
    Path run = fixtures().resolve("tf/restarted");
    Result result = dump("--series", run.toString());
    assertThat(result.exit()).isZero();

    // Independently: the points as written, per file, from expected.jsonl.
    List<JsonNode> written = new ArrayList<>();
    for (String line : Files.readAllLines(run.resolve("expected.jsonl"))) {
      written.add(JSON.readTree(line));
    }
    String secondFile = written.get(written.size() - 1).get("file").asText();
    long restartStep =
        written.stream()
            .filter(n -> n.get("file").asText().equals(secondFile))
            .mapToLong(n -> n.get("step").asLong())
            .min()
            .orElseThrow();
    Map<String, Map<Long, JsonNode>> want = new TreeMap<>();
    for (JsonNode n : written) {
      boolean second = n.get("file").asText().equals(secondFile);
      long step = n.get("step").asLong();
      if (second || step < restartStep) {
        want.computeIfAbsent(n.get("tag").asText(), t -> new TreeMap<>()).put(step, n);
      }
    }

    Map<String, Map<Long, JsonNode>> got = new LinkedHashMap<>();
    for (JsonNode n : result.lines()) {
      Map<Long, JsonNode> series =
          got.computeIfAbsent(n.get("tag").asText(), t -> new LinkedHashMap<>());
      assertThat(series.put(n.get("step").asLong(), n)).as("one point per step").isNull();
    }
    assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(want.keySet());
    assertThat(restartStep).isEqualTo(200);
    for (String tag : want.keySet()) {
      List<Long> steps = new ArrayList<>(got.get(tag).keySet());
      assertThat(steps).as("step order of " + tag).isSorted();
      assertThat(steps).containsExactlyElementsOf(want.get(tag).keySet());
      for (Long step : steps) {
        JsonNode expected = want.get(tag).get(step);
        JsonNode actual = got.get(tag).get(step);
        assertThat(actual.get("file").asText()).isEqualTo(expected.get("file").asText());
        assertThat((float) actual.get("value").asDouble())
            .isEqualTo((float) expected.get("value").asDouble());
      }
    }
  }

  @Test
  void defaultViewPrintsEveryPointAsStoredWithRunRelativeToPath() throws IOException {
    Result result = dump(fixtures().resolve("tf/converging").toString());
    assertThat(result.exit()).isZero();
    List<JsonNode> lines = result.lines();
    assertThat(lines).hasSize(320);
    assertThat(lines.get(0).get("run").asText()).isEqualTo("train");
    assertThat(lines.get(319).get("run").asText()).isEqualTo("validation");
    assertThat(lines.get(0).fieldNames())
        .toIterable()
        .containsExactly("run", "file", "tag", "step", "wall_time", "value");
  }

  @Test
  void nanAndInfinityArePrintedAsStrings() throws IOException {
    Result result = dump("--tag", "loss", fixtures().resolve("tf/diverging").toString());
    List<String> values = new ArrayList<>();
    for (JsonNode n : result.lines()) {
      if (n.get("value").isTextual()) {
        values.add(n.get("value").asText());
      }
    }
    assertThat(values).contains("NaN", "Infinity");
    assertThat(result.lines()).allSatisfy(n -> assertThat(n.get("tag").asText()).isEqualTo("loss"));
  }

  @Test
  void csvHasHeaderAndSameRowsAsJsonl() throws IOException {
    String path = fixtures().resolve("tf/many_tags").toString();
    Result csv = dump("--format", "csv", path);
    Result jsonl = dump(path);
    String[] rows = csv.out().split("\n");
    assertThat(rows[0]).isEqualTo("run,file,tag,step,wall_time,value");
    assertThat(rows).hasSize(jsonl.lines().size() + 1);
    JsonNode first = jsonl.lines().get(0);
    String[] cells = rows[1].split(",");
    assertThat(cells[2]).isEqualTo(first.get("tag").asText());
    assertThat(Double.parseDouble(cells[5])).isEqualTo(first.get("value").asDouble());
  }

  @Test
  void tagGlobSelectsMatchingTagsOnly() throws IOException {
    Result result = dump("--tag", "epoch_*", fixtures().resolve("tf/converging").toString());
    assertThat(result.lines())
        .isNotEmpty()
        .allSatisfy(n -> assertThat(n.get("tag").asText()).startsWith("epoch_"));
  }

  @Test
  void missingPathIsAnErrorButOtherPathsAreStillPrinted(@TempDir Path temp) throws IOException {
    Result result =
        dump(temp.resolve("nope").toString(), fixtures().resolve("tf/restarted").toString());
    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("nope").contains("no such file or directory");
    assertThat(result.lines()).hasSize(144);
  }

  @Test
  void corruptRecordIsReportedAndEverythingElseIsPrinted(@TempDir Path temp) throws IOException {
    Path source = fixtures().resolve("tf/diverging");
    Path file;
    try (var files = Files.list(source)) {
      file =
          files
              .filter(p -> p.getFileName().toString().contains("tfevents"))
              .findFirst()
              .orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(file);
    int total = dump(file.toString()).lines().size();
    // Flip a byte inside the data of a record in the middle of the file.
    bytes[bytes.length / 2] ^= 0x5a;
    Path broken = temp.resolve(file.getFileName().toString());
    Files.write(broken, bytes);
    Result result = dump(broken.toString());
    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).contains("corrupt record at offset");
    assertThat(result.lines().size()).isBetween(total - 2, total - 1);
  }

  @Test
  void unknownFormatIsAnError() {
    Result result = dump("--format", "xml", fixtures().toString());
    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("unknown format 'xml'").contains("jsonl, csv");
  }

  /** Standard output as a pipe whose reader exits after {@code limit} bytes (like head -3). */
  private static final class ClosingPipe extends java.io.OutputStream {
    private final int limit;
    private int written;

    ClosingPipe(int limit) {
      this.limit = limit;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      written += len;
      if (written > limit) {
        throw new IOException("Broken pipe");
      }
    }
  }

  @Test
  void outputClosedByItsReaderEndsQuietlyWithoutAStackTrace() {
    for (String[] args :
        List.of(
            new String[] {"dump", fixtures().resolve("public").toString(), "--series"},
            new String[] {"dump", fixtures().resolve("public").toString()},
            new String[] {"dump", fixtures().resolve("public").toString(), "--format", "csv"})) {
      ByteArrayOutputStream whole = new ByteArrayOutputStream();
      assertThat(Main.run(whole, new PrintWriter(new StringWriter()), args)).isZero();
      // The reader goes away early (the first buffer written fails), or just before the end (the
      // last flush fails).
      for (int limit : new int[] {300, whole.size() - 1}) {
        StringWriter err = new StringWriter();
        int exit = Main.run(new ClosingPipe(limit), new PrintWriter(err, true), args);
        String what = String.join(" ", args) + ", closed after " + limit + " bytes";
        assertThat(err.toString())
            .as(what)
            .doesNotContain("Exception")
            .doesNotContain("Broken pipe");
        assertThat(exit).as(what).isZero();
      }
    }
  }
}
