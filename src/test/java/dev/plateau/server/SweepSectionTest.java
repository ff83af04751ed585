package dev.plateau.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.daemon.Daemon;
import dev.plateau.daemon.Watcher;
import dev.plateau.state.StateStore;
import dev.plateau.testing.LoopbackStatus;
import dev.plateau.write.EventFileWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sweep on the status page, /api/runs and /metrics, from a daemon watching real files. */
class SweepSectionTest {
  @Test
  void thePageRanksASweepsRunsMarksTheLeaderAndShowsTheLaggingRun(@TempDir Path temp)
      throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    Clock clock = Clock.systemUTC();
    double start = clock.millis() / 1000.0 - 100;
    for (int i = 0; i < 8; i++) {
      // lr-0 learns best, lr-7 far worse than the rest.
      double floor = i == 7 ? 3.5 : 2.0 + 0.1 * i;
      try (EventFileWriter w =
          EventFileWriter.create(logdir.resolve("sweep-1/lr-" + i), start, "h", 0)) {
        for (int t = 1; t <= 30; t++) {
          w.simpleValue(
              "val_loss", t, start + t, (float) (floor + (5 - floor) * Math.exp(-t / 6.0)));
        }
      }
    }
    try (StateStore store = StateStore.open(temp.resolve("s.db"), false, clock)) {
      Watcher watcher = LoopbackStatus.watcher(logdir, store, List.of(), clock);
      watcher.poll();
      Daemon daemon = LoopbackStatus.daemon(watcher, List.of());
      try (StatusServer server =
          LoopbackStatus.server(daemon, store, Duration.ofSeconds(5), clock)) {
        String page = StatusServerTest.get(server.address(), "/", "GET").body();
        assertThat(page).contains("<section class=\"sweeps\">", "sweep-1 · val_loss · 8 runs");
        Matcher rows =
            Pattern.compile("<tr class=\"ranked( leader)?\" data-run=\"([^\"]+)\"").matcher(page);
        List<String> order = rows.results().map(m -> m.group(2)).toList();
        assertThat(order).startsWith("sweep-1/lr-0").endsWith("sweep-1/lr-7").hasSize(8);
        assertThat(page).contains("<tr class=\"ranked leader\" data-run=\"sweep-1/lr-0\"");
        assertThat(page).containsPattern("data-run=\"sweep-1/lr-7\">.*?lagging");

        String runs = StatusServerTest.get(server.address(), "/api/runs", "GET").body();
        assertThat(runs).containsPattern("\"sweep-1/lr-7\".*?\"status\":\"lagging\"");
        String metrics = StatusServerTest.get(server.address(), "/metrics", "GET").body();
        assertThat(metrics).containsPattern("status=\"lagging\"\\} [1-9]");
      }
    }
  }
}
