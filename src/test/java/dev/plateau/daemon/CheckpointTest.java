package dev.plateau.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.config.PlateauConfig;
import dev.plateau.state.StateStore;
import dev.plateau.tail.FileCursor;
import dev.plateau.write.EventFileWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rounds without a transition are committed at the checkpoint interval, or on stop. */
class CheckpointTest {
  private static final long T0 = 1_800_000_000_000L;

  private static long committedOffset(StateStore store) throws Exception {
    return store.files().stream().mapToLong(FileCursor::offset).sum();
  }

  @Test
  void quietRoundsWaitForTheIntervalAndACheckpointCommitsThemAtOnce(@TempDir Path temp)
      throws Exception {
    Path logs = Files.createDirectories(temp.resolve("logs"));
    ReviewFindingsTest.MutableClock clock = new ReviewFindingsTest.MutableClock(T0);
    try (StateStore store = StateStore.open(temp.resolve("s.db"), false, clock);
        EventFileWriter w = EventFileWriter.create(logs.resolve("run1"), T0 / 1000.0, "t", 0)) {
      Watcher watcher = new Watcher(logs, PlateauConfig.defaults(), store, List.of(), FlagApplier.NONE, clock, "h");
      watcher.checkpointEvery(Duration.ofSeconds(30));
      watcher.restore();
      // A slowly falling loss: no verdict changes for a while.
      for (int t = 0; t < 5; t++) {
        w.simpleValue("loss", t, T0 / 1000.0 + t, 1.0f - 0.01f * t);
      }
      w.flush();
      watcher.poll(); // the first round always commits
      long first = committedOffset(store);
      assertThat(first).isPositive();

      w.simpleValue("loss", 5, T0 / 1000.0 + 5, 0.95f);
      w.flush();
      clock.millis += 10_000;
      watcher.poll();
      assertThat(committedOffset(store)).as("10 s after the last commit: not yet").isEqualTo(first);

      clock.millis += 25_000;
      watcher.poll();
      long second = committedOffset(store);
      assertThat(second).as("35 s after: committed").isGreaterThan(first);

      w.simpleValue("loss", 6, T0 / 1000.0 + 6, 0.94f);
      w.flush();
      watcher.poll();
      assertThat(committedOffset(store)).isEqualTo(second);
      assertThat(watcher.checkpoint()).isTrue();
      assertThat(committedOffset(store)).as("a checkpoint commits at once").isGreaterThan(second);
      assertThat(store.series()).containsKey("run1\u0000loss");
    }
  }
}
