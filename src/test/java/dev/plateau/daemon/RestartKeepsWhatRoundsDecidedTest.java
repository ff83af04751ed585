package dev.plateau.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.config.ConfigLoader;
import dev.plateau.config.PlateauConfig;
import dev.plateau.detect.Status;
import dev.plateau.sink.FlagConfig;
import dev.plateau.sink.FlagSink;
import dev.plateau.state.JudgeStateCodec;
import dev.plateau.state.StateStore;
import dev.plateau.testing.FakeClock;
import dev.plateau.write.EventFileWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restart (a deploy, SIGTERM, a crash) between rounds loses nothing the rounds decided: flags
 * follow the statuses committed before and after it, a reread asked for before a crash still
 * happens, and twin points fed in a round survive it. Each case was once an exactly-once hole.
 */
class RestartKeepsWhatRoundsDecidedTest {

  record Setup(StateStore store, Watcher watcher) implements AutoCloseable {
    @Override
    public void close() {
      store.close();
    }
  }

  static Setup setup(Path logdir, Path db, PlateauConfig config, Clock clock) throws Exception {
    return setup(logdir, db, config, clock, Watcher.DEFAULT_PARK_AFTER);
  }

  /** With experiments parked after {@code park} idle (zero: none parks, at start either). */
  static Setup setup(Path logdir, Path db, PlateauConfig config, Clock clock, Duration park)
      throws Exception {
    StateStore store = StateStore.open(db, false, clock);
    FlagSink flags = new FlagSink(logdir, FlagConfig.defaults());
    Watcher watcher =
        new Watcher(logdir, config, store, List.of(), flags::apply, clock, "test-host");
    watcher.parkAfter(park);
    watcher.restore();
    return new Setup(store, watcher);
  }

  /**
   * A STALLED transition decided by atTime() does not mark the series dirty, so the saved series
   * state still says TRAINING while the experiment row says STALLED. After a restart, new points
   * cause no series transition, and the experiment stays STALLED (flag kept) although it trains.
   */
  @Test
  void stalledThenResumedAcrossARestartRemovesTheStalledFlag(@TempDir Path temp) throws Exception {
    PlateauConfig config =
        ConfigLoader.parse(
            "detection:\n  detectors: [divergence, stalled]\n  stalled:\n    after: 60s\n", "test");
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    Path db = temp.resolve("state.db");
    long t0 = System.currentTimeMillis();
    FakeClock clock = FakeClock.atMillis(t0);
    double start = t0 / 1000.0 - 1000;
    try (EventFileWriter w = EventFileWriter.create(logdir.resolve("run1"), start, "t", 0)) {
      for (int t = 0; t < 10; t++) {
        w.simpleValue("val_loss", t, start + t, 1f / (t + 1));
      }
      w.flush();
      try (Setup s = setup(logdir, db, config, clock)) {
        s.watcher().poll();
        clock.advanceMillis(120_000); // two minutes without a point
        s.watcher().poll();
      }
      assertThat(logdir.resolve("run1/STALLED")).as("stalled, committed and flagged").exists();

      // Plateau restarts (a deploy, SIGTERM, or a crash); meanwhile the job is back.
      clock.advanceMillis(10_000);
      for (int t = 10; t < 20; t++) {
        w.simpleValue("val_loss", t, clock.millis() / 1000.0, 1f / (t + 1));
      }
      w.flush();
      try (Setup s = setup(logdir, db, config, clock)) {
        s.watcher().poll();
        assertThat(s.watcher().judge().experimentVerdicts().get(0).status().jsonName())
            .as("the judge itself says training")
            .isEqualTo("training");
        assertThat(s.store().experiments().get("run1").status())
            .as("committed experiment status after the job resumed")
            .isEqualTo(Status.TRAINING);
      }
      assertThat(logdir.resolve("run1/STALLED"))
          .as("the stale STALLED flag is removed")
          .doesNotExist();
    }
  }

  /**
   * A rewind detected after a restart asks for the run to be read again, but the round that
   * detected it commits the new file's offset (its points were skipped, not judged). A crash before
   * the next round's commit loses the reread: the restarted attempt is never judged.
   */
  @Test
  void crashRightAfterTheRoundThatAskedForARereadStillRereadsTheRun(@TempDir Path temp)
      throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    Path db = temp.resolve("state.db");
    Clock clock = Clock.systemUTC();
    PlateauConfig config = PlateauConfig.defaults();
    double start = clock.millis() / 1000.0 - 500;
    try (EventFileWriter w = EventFileWriter.create(logdir.resolve("run1"), start, "t", 0)) {
      for (int t = 0; t < 60; t++) {
        w.simpleValue("val_loss", t, start + t, (float) (1 + 8 * Math.exp(-t / 8.0)));
      }
    }
    try (Setup s = setup(logdir, db, config, clock)) {
      s.watcher().poll();
    }
    try (EventFileWriter w = EventFileWriter.create(logdir.resolve("run1"), start + 100, "t", 1)) {
      for (int t = 30; t < 200; t++) {
        w.simpleValue("val_loss", t, start + 100 + t, (float) (3 + 6 * Math.exp(-t / 8.0)));
      }
    }
    try (Setup s = setup(logdir, db, config, clock)) {
      s.watcher().poll(); // detects the rewind, commits, then schedules the reread in memory
    } // SIGKILL here (before the next round commits)
    try (Setup s = setup(logdir, db, config, clock)) {
      s.watcher().poll();
      s.watcher().poll();
      assertThat(s.watcher().judge().judgeOf("run1", "val_loss").verdict().lastStep())
          .as("the restarted attempt (steps 30..199) is judged")
          .isEqualTo(199);
    }
  }

  /**
   * Twin points fed to a validation series' overfitting detector do not mark the validation series
   * dirty: a round in which only the training run got points commits the training file's offset but
   * not the validation detector's twin buffer. A restart then loses those points.
   */
  @Test
  void twinPointsFedInARoundWithoutValidationPointsSurviveARestart(@TempDir Path temp)
      throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    Path db = temp.resolve("state.db");
    Clock clock = Clock.systemUTC();
    PlateauConfig config = PlateauConfig.defaults();
    double start = clock.millis() / 1000.0 - 500;
    try (EventFileWriter train =
            EventFileWriter.create(logdir.resolve("exp/train"), start, "t", 0);
        EventFileWriter val =
            EventFileWriter.create(logdir.resolve("exp/validation"), start, "t", 0)) {
      for (int t = 0; t < 10; t++) {
        train.simpleValue("epoch_loss", t, start + t, 1f / (t + 1));
        val.simpleValue("epoch_loss", t, start + t, 1f / (t + 1));
      }
      train.flush();
      val.flush();
      String before;
      try (Setup s = setup(logdir, db, config, clock)) {
        s.watcher().poll();
        // The training loop logs more often than validation: only training points this round.
        for (int t = 10; t < 20; t++) {
          train.simpleValue("epoch_loss", t, start + t, 1f / (t + 1));
        }
        train.flush();
        s.watcher().poll();
        before = JudgeStateCodec.json(s.watcher().judge().judgeOf("exp/validation", "epoch_loss"));
      }
      // Parking off: every saved state is read at start, to be compared.
      try (Setup s = setup(logdir, db, config, clock, Duration.ZERO)) {
        String after =
            JudgeStateCodec.json(s.watcher().judge().judgeOf("exp/validation", "epoch_loss"));
        String twin = "\"twinSteps\":";
        assertThat(after.substring(after.indexOf(twin), after.indexOf("],", after.indexOf(twin))))
            .as("the validation overfitting detector's twin points after a restart")
            .isEqualTo(
                before.substring(before.indexOf(twin), before.indexOf("],", before.indexOf(twin))));
      }
    }
  }
}
