package dev.plateau.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.config.PlateauConfig;
import dev.plateau.detect.Status;
import dev.plateau.series.SeriesKey;
import dev.plateau.state.StateStore;
import dev.plateau.tail.FileCursor;
import dev.plateau.testing.FakeClock;
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
    FakeClock clock = FakeClock.atMillis(T0);
    try (StateStore store = StateStore.open(temp.resolve("s.db"), false, clock);
        EventFileWriter w = EventFileWriter.create(logs.resolve("run1"), T0 / 1000.0, "t", 0)) {
      Watcher watcher =
          new Watcher(
              logs, PlateauConfig.defaults(), store, List.of(), FlagApplier.NONE, clock, "h");
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
      clock.advanceMillis(10_000);
      watcher.poll();
      assertThat(committedOffset(store)).as("10 s after the last commit: not yet").isEqualTo(first);

      clock.advanceMillis(25_000);
      watcher.poll();
      long second = committedOffset(store);
      assertThat(second).as("35 s after: committed").isGreaterThan(first);

      w.simpleValue("loss", 6, T0 / 1000.0 + 6, 0.94f);
      w.flush();
      watcher.poll();
      assertThat(committedOffset(store)).isEqualTo(second);
      assertThat(watcher.checkpoint()).isTrue();
      assertThat(committedOffset(store)).as("a checkpoint commits at once").isGreaterThan(second);
      assertThat(store.series()).containsKey(new SeriesKey("run1", "loss"));
    }
  }

  private static long offsetOf(StateStore store, String run) throws Exception {
    return store.files().stream()
        .filter(c -> c.run().equals(run))
        .mapToLong(FileCursor::offset)
        .sum();
  }

  private static long recordedVerdicts(Path db) throws Exception {
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
        var r = c.createStatement().executeQuery("SELECT count(*) FROM verdicts")) {
      return r.next() ? r.getLong(1) : -1;
    }
  }

  /**
   * A transition commits its own experiment's positions and states at once, not every other
   * experiment's (those wait for the checkpoint); after a crash the others are read again from
   * their own last commit and end where a daemon that never crashed ends, with no verdict twice.
   */
  @Test
  void aTransitionCommitsOnlyItsExperimentAndACrashAfterItLosesNothing(@TempDir Path temp)
      throws Exception {
    Path logs = Files.createDirectories(temp.resolve("logs"));
    Path db = temp.resolve("s.db");
    FakeClock clock = FakeClock.atMillis(T0);
    double start = T0 / 1000.0;
    byte[] slowState;
    long slowOffset;
    try (EventFileWriter fast = EventFileWriter.create(logs.resolve("fast"), start, "t", 0);
        EventFileWriter slow = EventFileWriter.create(logs.resolve("slow"), start, "t", 0)) {
      StateStore store = StateStore.open(db, false, clock);
      Watcher watcher =
          new Watcher(
              logs, PlateauConfig.defaults(), store, List.of(), FlagApplier.NONE, clock, "h");
      watcher.checkpointEvery(Duration.ofSeconds(30));
      watcher.restore();
      for (int t = 0; t < 20; t++) {
        fast.simpleValue("loss", t, start + t, (float) (1 + 5 * Math.exp(-t / 3.0)));
        slow.simpleValue("loss", t, start + t, (float) (10 - 0.1 * t));
      }
      fast.flush();
      slow.flush();
      watcher.poll(); // the first round commits everything
      slowState = store.series().get(new SeriesKey("slow", "loss"));
      slowOffset = offsetOf(store, "slow");
      long fastOffset = offsetOf(store, "fast");
      assertThat(store.experiments()).doesNotContainKey("fast");

      // fast flattens out and converges; slow keeps falling.
      for (int t = 20; t < 120; t++) {
        fast.simpleValue("loss", t, start + t, (float) (1 + 5 * Math.exp(-t / 3.0)));
        slow.simpleValue("loss", t, start + t, (float) (10 - 0.1 * t));
      }
      fast.flush();
      slow.flush();
      clock.advanceMillis(1_000);
      watcher.poll();
      assertThat(store.experiments().get("fast").status()).isEqualTo(Status.CONVERGED);
      assertThat(offsetOf(store, "fast"))
          .as("the converged experiment's file, committed")
          .isGreaterThan(fastOffset);
      assertThat(offsetOf(store, "slow")).as("the other's, not yet").isEqualTo(slowOffset);
      assertThat(store.series().get(new SeriesKey("slow", "loss"))).isEqualTo(slowState);
      long verdicts = recordedVerdicts(db);
      assertThat(verdicts).isEqualTo(1);
      String slowBefore = watcher.judge().judgeOf("slow", "loss").verdict().toString();
      store.close(); // a crash: nothing more is committed

      StateStore again = StateStore.open(db, false, clock);
      Watcher restarted =
          new Watcher(
              logs, PlateauConfig.defaults(), again, List.of(), FlagApplier.NONE, clock, "h");
      restarted.checkpointEvery(Duration.ofSeconds(30));
      restarted.parkAfter(Duration.ZERO);
      restarted.restore();
      restarted.poll();
      assertThat(restarted.judge().judgeOf("slow", "loss").verdict().toString())
          .isEqualTo(slowBefore);
      assertThat(restarted.judge().judgeOf("fast", "loss").verdict().status().jsonName())
          .isEqualTo("converged");
      assertThat(recordedVerdicts(db)).as("no verdict recorded twice").isEqualTo(verdicts);

      clock.advanceMillis(31_000);
      restarted.poll();
      assertThat(offsetOf(again, "slow"))
          .as("the checkpoint commits the rest")
          .isGreaterThan(slowOffset);
      again.close();
    }
  }
}
