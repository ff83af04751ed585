package dev.plateau.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plateau.series.ScalarPoint;
import dev.plateau.tail.LogdirTailer;
import dev.plateau.tail.TailListener;
import dev.plateau.tail.TailProblem;
import dev.plateau.testing.SharedFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Decodes every real event file under the shared fixtures (written by TensorFlow's C++ writer,
 * PyTorch, Lightning and Keras) and under src/test/resources/fixtures, and matches every scalar
 * point with its folder's expected.jsonl: run, file, tag, step and the value's bits.
 */
class RealFixturesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The shared fixtures (under CI they must be there; elsewhere a path that may not exist). */
  static Path sharedFixtures() {
    return SharedFixtures.find("fixtures").orElse(SharedFixtures.root().resolve("fixtures"));
  }

  static Path projectFixtures() {
    return Paths.get("src/test/resources/fixtures");
  }

  @TestFactory
  Stream<DynamicTest> everyFixtureDecodesToItsExpectedPoints() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Path root : List.of(sharedFixtures(), projectFixtures())) {
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(root)) {
        walk.filter(p -> p.getFileName().toString().equals("expected.jsonl"))
            .sorted()
            .forEach(
                expected ->
                    tests.add(
                        DynamicTest.dynamicTest(
                            root.relativize(expected.getParent()).toString(),
                            () -> matches(root, expected))));
      }
    }
    assumeTrue(!tests.isEmpty(), "no fixtures found under " + sharedFixtures());
    return tests.stream();
  }

  private static void matches(Path root, Path expectedFile) throws IOException {
    Path runDir = expectedFile.getParent();
    String runPrefix = root.relativize(runDir).toString().replace('\\', '/');
    List<JsonNode> expected = new ArrayList<>();
    for (String line : Files.readAllLines(expectedFile)) {
      if (!line.isBlank()) {
        expected.add(JSON.readTree(line));
      }
    }
    List<ScalarPoint> actual = new ArrayList<>();
    List<TailProblem> problems = new ArrayList<>();
    // The run directory only: nested runs have their own expected.jsonl.
    Path onlyThisRun = Files.createTempDirectory("fixture-run");
    try {
      try (Stream<Path> files = Files.list(runDir)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          if (Files.isRegularFile(f) && f.getFileName().toString().contains("tfevents")) {
            Files.createSymbolicLink(onlyThisRun.resolve(f.getFileName()), f.toAbsolutePath());
          }
        }
      }
      new LogdirTailer(onlyThisRun, DecodeLimits.DEFAULTS)
          .poll(
              new TailListener() {
                @Override
                public void scalar(ScalarPoint point) {
                  actual.add(point);
                }

                @Override
                public void problem(TailProblem problem) {
                  problems.add(problem);
                }
              });
    } finally {
      try (Stream<Path> files = Files.list(onlyThisRun)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Files.delete(f);
        }
      }
      Files.delete(onlyThisRun);
    }
    assertThat(problems).isEmpty();
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      JsonNode e = expected.get(i);
      ScalarPoint a = actual.get(i);
      String where = runPrefix + " point " + i + " " + e;
      assertThat(runPrefix).as(where).isEqualTo(e.get("run").asText());
      assertThat(a.file()).as(where).isEqualTo(e.get("file").asText());
      assertThat(a.tag()).as(where).isEqualTo(e.get("tag").asText());
      assertThat(a.step()).as(where).isEqualTo(e.get("step").asLong());
      assertSameValue(e, a.value(), where);
    }
  }

  /** Compares by the stored bits: float32 and float64 exactly, 16-bit floats and ints by value. */
  static void assertSameValue(JsonNode expected, double actual, String where) {
    JsonNode bitsNode = expected.get("bits");
    String bits = bitsNode == null || bitsNode.isNull() ? null : bitsNode.asText();
    if (bits != null && bits.length() == 10) {
      int want = (int) Long.parseLong(bits.substring(2), 16);
      assertThat(Float.floatToRawIntBits((float) actual))
          .as(
              where
                  + String.format(" float32 bits 0x%08x", Float.floatToRawIntBits((float) actual)))
          .isEqualTo(want);
      // Widening kept every bit: the double is exactly the float.
      assertThat(Double.doubleToRawLongBits(actual))
          .as(where)
          .isEqualTo(Double.doubleToRawLongBits((double) Float.intBitsToFloat(want)));
    } else if (bits != null && bits.length() == 18) {
      long want = Long.parseUnsignedLong(bits.substring(2), 16);
      assertThat(Double.doubleToRawLongBits(actual)).as(where).isEqualTo(want);
    } else {
      JsonNode value = expected.get("value");
      double want = value.isTextual() ? Double.parseDouble(value.asText()) : value.asDouble();
      assertThat(Double.compare(actual, want)).as(where + " value " + actual).isZero();
    }
  }
}
