package dev.plateau.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CI's short run of the benchmark suite: every figure is measured once on tiny inputs against the
 * real jar, and both reports are written. The figures themselves are not judged here: benchmarks
 * are not tests.
 */
class BenchSuiteIT {

  @Test
  void smokeRunMeasuresEveryFigureAndWritesBothReports(@TempDir Path temp) throws Exception {
    Path out = temp.resolve("bench");
    BenchSuite.main(new String[] {out.toString(), "--smoke"});

    JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    assertThat(report.path("machine").path("cores").asInt()).isPositive();
    assertThat(report.path("machine").path("jdk").asText()).isNotBlank();
    assertThat(report.path("machine").path("daemon_jvm").asText())
        .as("the daemons' JVM is named")
        .contains("version");
    List<String> ids = new ArrayList<>();
    for (JsonNode figure : report.path("figures")) {
      ids.add(figure.path("id").asText());
      assertThat(figure.path("runs").size()).as(figure.path("id").asText()).isPositive();
    }
    assertThat(ids)
        .contains(
            "1a",
            "1b",
            "1c",
            "1d",
            "1e",
            "2",
            "3-replay-1000",
            "3-plateau-1000",
            "3-default-1000",
            "4a-median",
            "4b-median",
            "4c-median",
            "5a",
            "5b",
            "5c",
            "5d",
            "5e",
            "6a",
            "6b",
            "6c",
            "6d");
    for (JsonNode figure : report.path("figures")) {
      String id = figure.path("id").asText();
      assertThat(figure.path("median").asDouble()).as(id).isPositive();
    }
    // The peer (TensorBoard's data server) is measured beside figures 1 and 2 when ../shared/peers
    // has it; without it the report says so, and nothing else is missing.
    assertThat(ids).contains("2c", "2c-rss", "2d", "2d-rss", "7-backfill-1.0", "7-check-4.0");
    if (ids.contains("2-peer")) {
      assertThat(ids).contains("1f", "2-ratio");
    } else {
      assertThat(report.path("not_measured").toString()).contains("peer not measured");
    }
    String md = Files.readString(out.resolve("report.md"));
    assertThat(md).contains("| 2 | Backfill", "| 5e |", "Machine:");
    assertThat(out.resolve("work")).doesNotExist();
  }
}
