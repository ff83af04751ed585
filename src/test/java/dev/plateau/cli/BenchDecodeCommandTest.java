package dev.plateau.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plateau.proto.DataType;
import dev.plateau.write.EventFileWriter;
import dev.plateau.write.TensorStorage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchDecodeCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Result(int exit, String out, String err) {}

  private static Result bench(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    String[] full = new String[args.length + 2];
    full[0] = "bench";
    full[1] = "decode";
    System.arraycopy(args, 0, full, 2, args.length);
    int exit = Main.run(out, new PrintWriter(err, true), full);
    return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString());
  }

  /** Two runs, one of simple values and one of tensor scalars: 3 tags x 500 steps each. */
  private static long writeLogdir(Path logdir) throws IOException {
    long points = 0;
    try (EventFileWriter a = EventFileWriter.create(logdir.resolve("a"), 1.7e9, "h", 0);
        EventFileWriter b = EventFileWriter.create(logdir.resolve("b"), 1.7e9, "h", 0)) {
      for (int step = 0; step < 500; step++) {
        for (String tag : new String[] {"loss", "acc", "lr"}) {
          a.simpleValue(tag, step, 1.7e9 + step, step);
          b.tensorScalar(
              tag, step, 1.7e9 + step, DataType.DT_DOUBLE, TensorStorage.TYPED_FIELD, step);
          points += 2;
        }
      }
    }
    return points;
  }

  private static long sizeOfFiles(Path logdir) throws IOException {
    try (Stream<Path> files = Files.walk(logdir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }

  @Test
  void reportsPointsBytesAndTheLimitMeasuredOverTheSameFiles(@TempDir Path logdir)
      throws IOException {
    long written = writeLogdir(logdir);
    Result result = bench("--passes", "3", logdir.toString());
    assertThat(result.exit()).as(result.err()).isZero();
    JsonNode json = JSON.readTree(result.out());
    assertThat(json.get("points").asLong()).isEqualTo(written);
    // Every record is complete, so the records' bytes are the files' bytes.
    assertThat(json.get("bytes").asLong()).isEqualTo(sizeOfFiles(logdir));
    double seconds = json.get("seconds").asDouble();
    assertThat(seconds).isPositive();
    assertThat(json.get("points_per_s").asDouble())
        .isCloseTo(written / seconds, within(written / seconds * 0.01 + 1));
    double mbPerSecond = json.get("mb_per_s").asDouble();
    // seconds is printed rounded: allow 1 % besides the rounding of mb_per_s itself.
    double expectedMb = sizeOfFiles(logdir) / 1e6 / seconds;
    assertThat(mbPerSecond).isCloseTo(expectedMb, within(expectedMb * 0.01 + 0.1));
    double limit = json.get("limit_mb_per_s").asDouble();
    assertThat(limit).isPositive();
    assertThat(json.get("share_of_limit").asDouble()).isCloseTo(mbPerSecond / limit, within(0.01));
    assertThat(json.get("passes").asInt()).isEqualTo(3);
  }

  @Test
  void passesBelowOneAreAnArgumentError(@TempDir Path logdir) throws IOException {
    writeLogdir(logdir);
    Result result = bench("--passes", "0", logdir.toString());
    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("--passes must be at least 1");
  }
}
