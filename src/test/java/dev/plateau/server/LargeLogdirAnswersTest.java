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
 * StatusPage#PAGE_SIZE} to a page, counts them all by status, and {@code /api/runs} answers in
 * pages.
 */
class LargeLogdirAnswersTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final int EXPERIMENTS = 237;

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
      int pages = (EXPERIMENTS + StatusPage.PAGE_SIZE - 1) / StatusPage.PAGE_SIZE;
      assertThat(page)
          .contains("exp0000")
          .contains(String.format("exp%04d", StatusPage.PAGE_SIZE - 1))
          .doesNotContain(String.format("exp%04d", StatusPage.PAGE_SIZE))
          .contains("stalled <b>" + EXPERIMENTS + "</b>") // written in 2023: quiet for years
          .contains("page 1 of " + pages);
      String last = RawHttp.get(running.port(), "/?page=" + pages).body();
      assertThat(last)
          .contains(String.format("exp%04d", EXPERIMENTS - 1))
          .doesNotContain(String.format("exp%04d", (pages - 1) * StatusPage.PAGE_SIZE - 1));

      JsonNode first =
          JSON.readTree(RawHttp.get(running.port(), "/api/runs?limit=100").body())
              .path("logdirs")
              .path(0);
      assertThat(first.path("total_runs").asInt()).isEqualTo(EXPERIMENTS);
      assertThat(first.path("runs")).hasSize(100);
      assertThat(first.path("next_offset").asInt()).isEqualTo(100);

      JsonNode lastApiPage =
          JSON.readTree(RawHttp.get(running.port(), "/api/runs?offset=200&limit=100").body())
              .path("logdirs")
              .path(0);
      assertThat(lastApiPage.path("runs")).hasSize(37);
      assertThat(lastApiPage.path("runs").path(0).path("run").asText()).isEqualTo("exp0200");
      assertThat(lastApiPage.path("next_offset").isNull()).isTrue();

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
