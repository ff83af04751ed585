package dev.plateau.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plateau.write.EventFileWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A logdir of more experiments than the page shows: the page lists the first {@value
 * StatusPage#MAX_EXPERIMENTS} and says what the rest are, and {@code /api/runs} answers in pages.
 */
class LargeLogdirAnswersTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final int EXPERIMENTS = StatusPage.MAX_EXPERIMENTS + 37;

  @Test
  void thePageAndTheApiStaySmallAndTheApiPagesThroughEveryExperiment(@TempDir Path temp)
      throws Exception {
    Path logdir = temp.resolve("logs");
    for (int e = 0; e < EXPERIMENTS; e++) {
      try (EventFileWriter w =
          EventFileWriter.create(logdir.resolve(String.format("exp%04d", e)), 1.7e9, "h", 0)) {
        for (int t = 0; t < 5; t++) {
          w.simpleValue("loss", t, 1.7e9 + t, 1f / (t + 1));
        }
      }
    }
    try (RunningServer running = new RunningServer(temp, logdir, "127.0.0.1", null)) {
      String page = RawHttp.get(running.port(), "/").body();
      assertThat(page)
          .contains("exp0000")
          .contains(String.format("exp%04d", StatusPage.MAX_EXPERIMENTS - 1))
          .doesNotContain(String.format("exp%04d", StatusPage.MAX_EXPERIMENTS))
          .contains("and 37 more experiments (37 stalled)"); // written in 2023: quiet for years

      JsonNode first =
          JSON.readTree(RawHttp.get(running.port(), "/api/runs?limit=100").body())
              .path("logdirs")
              .path(0);
      assertThat(first.path("total_runs").asInt()).isEqualTo(EXPERIMENTS);
      assertThat(first.path("runs")).hasSize(100);
      assertThat(first.path("next_offset").asInt()).isEqualTo(100);

      JsonNode last =
          JSON.readTree(RawHttp.get(running.port(), "/api/runs?offset=200&limit=100").body())
              .path("logdirs")
              .path(0);
      assertThat(last.path("runs")).hasSize(37);
      assertThat(last.path("runs").path(0).path("run").asText()).isEqualTo("exp0200");
      assertThat(last.path("next_offset").isNull()).isTrue();

      JsonNode whole =
          JSON.readTree(RawHttp.get(running.port(), "/api/runs").body()).path("logdirs").path(0);
      assertThat(whole.path("runs")).as("the default page holds up to 1,000").hasSize(EXPERIMENTS);
      JsonNode bad =
          JSON.readTree(RawHttp.get(running.port(), "/api/runs?offset=-5&limit=zillion").body())
              .path("logdirs")
              .path(0);
      assertThat(bad.path("offset").asInt())
          .as("values out of range are clamped, others ignored")
          .isZero();
      assertThat(bad.path("runs")).hasSize(EXPERIMENTS);
    }
  }
}
