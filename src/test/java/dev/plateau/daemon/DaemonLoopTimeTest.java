package dev.plateau.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.plateau.config.PlateauConfig;
import dev.plateau.state.StateStore;
import dev.plateau.testing.FakeClock;
import dev.plateau.testing.RunningDaemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's loop keeps its poll interval and stamps its heartbeat on the time it is given. */
class DaemonLoopTimeTest {
  static final Duration POLL = Duration.ofHours(1);

  @Test
  void theNextWholeRoundComesWhenTheLoopsClockHasMovedAPollInterval(@TempDir Path temp)
      throws Exception {
    FakeClock clock = FakeClock.atMillis(1_800_000_000_000L);
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    try (StateStore store = StateStore.open(temp.resolve("s.db"), false, clock)) {
      Watcher watcher =
          new Watcher(
              logdir, PlateauConfig.defaults(), store, List.of(), FlagApplier.NONE, clock, "h");
      watcher.restore();
      LoopTime time = new LoopTime(clock, clock.ticker(), Duration.ofMillis(5));
      Daemon daemon = new Daemon(List.of(watcher), List.of(), POLL, Duration.ofSeconds(1), time);
      try (RunningDaemon running = RunningDaemon.start(daemon)) {
        running.awaitUntil("the first round", () -> daemon.rounds() == 1);
        assertThat(daemon.metrics().heartbeatMillis())
            .as("stamped on the loop's clock")
            .isEqualTo(clock.millis());

        clock.advance(POLL.minusMillis(1));
        // The loop looks at its clock every 5 ms: many looks, and not yet due.
        await()
            .during(Duration.ofMillis(200))
            .atMost(Duration.ofSeconds(5))
            .until(() -> daemon.rounds() == 1);

        clock.advance(Duration.ofMillis(1));
        running.awaitUntil("the second round, a poll interval on", () -> daemon.rounds() == 2);
        assertThat(daemon.metrics().heartbeatMillis()).isEqualTo(clock.millis());
      }
    }
  }

  @Test
  void aLoopThatWouldNeverLookAtItsClockIsRefused() {
    FakeClock clock = FakeClock.atNow();
    assertThatThrownBy(() -> new LoopTime(clock, clock.ticker(), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("recheck must be positive");
  }
}
