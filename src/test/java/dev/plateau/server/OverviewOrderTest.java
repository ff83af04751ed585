package dev.plateau.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.daemon.Watcher;
import dev.plateau.state.StateStore;
import dev.plateau.testing.FakeClock;
import dev.plateau.testing.LoopbackStatus;
import dev.plateau.write.EventFileWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The overview's attention order on the daemon's clock: an experiment that converged as news (its
 * points fresh) ranks before those that converged earlier or were read as history, for an hour.
 */
class OverviewOrderTest {
  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

  /** A loss that falls and flattens, written with wall times ending at {@code end}. */
  private static void converging(Path dir, double end) throws Exception {
    int n = 300;
    double start = end - n;
    try (EventFileWriter w = EventFileWriter.create(dir, start, "h", 0)) {
      for (int t = 0; t < n; t++) {
        w.simpleValue("loss", t, start + t, (float) (0.5 + 6 * Math.exp(-t / 12.0)));
      }
    }
  }

  private static final Pattern ROW =
      Pattern.compile("<tr class=\"run\" data-run=\"([^\"]*)\" data-status=\"([a-z_]*)\"");

  private static List<String> rows(Watcher watcher) {
    Matcher m = ROW.matcher(StatusPage.render(List.of(watcher), PageQuery.ALL, null));
    List<String> out = new ArrayList<>();
    while (m.find()) {
      out.add(m.group(1) + ":" + m.group(2));
    }
    return out;
  }

  @Test
  void aNewlyConvergedExperimentRanksBeforeOlderConvergencesForAnHourOnTheDaemonsClock(
      @TempDir Path temp) throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    double now = NOW.getEpochSecond();
    // Read at the start: converged a day ago, history (alerts.ignore_older is an hour).
    converging(logdir.resolve("aaa-yesterday"), now - 86_400);
    try (EventFileWriter w =
        EventFileWriter.create(logdir.resolve("mmm-training"), now - 100, "h", 0)) {
      for (int t = 0; t < 50; t++) {
        w.simpleValue("loss", t, now - 100 + t, (float) (5 - 0.05 * t));
      }
    }
    FakeClock clock = FakeClock.at(NOW);
    try (StateStore store = StateStore.open(temp.resolve("s.db"), false, clock)) {
      Watcher watcher = LoopbackStatus.watcher(logdir, store, List.of(), clock);
      watcher.restore();
      watcher.poll();
      assertThat(rows(watcher)).containsExactly("aaa-yesterday:converged", "mmm-training:training");
      assertThat(watcher.newlyConverged("aaa-yesterday")).as("history is not news").isNull();

      // Two runs converge now, their points fresh: news, the later one first.
      converging(logdir.resolve("zzz-just-now"), now);
      watcher.poll();
      clock.advance(Duration.ofMinutes(5));
      converging(logdir.resolve("yyy-minutes-ago"), now + 300);
      watcher.poll();
      assertThat(rows(watcher))
          .containsExactly(
              "yyy-minutes-ago:converged",
              "zzz-just-now:converged",
              "aaa-yesterday:converged",
              "mmm-training:training");
      assertThat(StatusPage.render(List.of(watcher), PageQuery.ALL, null))
          .contains("data-new=\"" + NOW.plus(Duration.ofMinutes(5)).toEpochMilli() + "\"")
          .contains("<span class=\"new\"");

      // An hour later on the daemon's clock they are converged like any other: by name.
      clock.advance(Duration.ofMinutes(60));
      watcher.poll();
      assertThat(rows(watcher))
          .containsExactly(
              "aaa-yesterday:converged",
              "yyy-minutes-ago:converged",
              "zzz-just-now:converged",
              "mmm-training:training");
      assertThat(StatusPage.render(List.of(watcher), PageQuery.ALL, null))
          .doesNotContain("data-new=");
    }
  }
}
