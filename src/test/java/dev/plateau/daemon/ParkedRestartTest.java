package dev.plateau.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.config.ConfigLoader;
import dev.plateau.config.PlateauConfig;
import dev.plateau.detect.Status;
import dev.plateau.detect.Verdict;
import dev.plateau.sink.FlagConfig;
import dev.plateau.sink.FlagSink;
import dev.plateau.state.StateStore;
import dev.plateau.testing.FakeClock;
import dev.plateau.verdict.ExperimentVerdict;
import dev.plateau.write.EventFileWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * At a restart, experiments whose saved series carry a summary start parked: their verdicts are
 * published from the summaries, no detector state is read until they have a new point or their time
 * comes, and from then on they are judged exactly as if the daemon had never stopped.
 */
class ParkedRestartTest {
  private static final long T0 = 1_800_000_000_000L;

  private final List<StateStore> stores = new ArrayList<>();

  private Watcher watcher(
      Path logdir, Path db, FakeClock clock, Duration park, PlateauConfig config) throws Exception {
    StateStore store = StateStore.open(db, false, clock);
    stores.add(store);
    FlagSink flags = new FlagSink(logdir, FlagConfig.defaults());
    Watcher w = new Watcher(logdir, config, store, List.of(), flags::apply, clock, "h");
    w.parkAfter(park);
    w.restore();
    return w;
  }

  private Watcher watcher(Path logdir, Path db, FakeClock clock) throws Exception {
    return watcher(logdir, db, clock, Duration.ofMinutes(1), PlateauConfig.defaults());
  }

  private void stop(Watcher w) {
    w.checkpoint();
    w.store().close();
  }

  private static void write(
      EventFileWriter w, String prefix, int from, int to, Random noise, double start)
      throws Exception {
    for (int t = from; t < to; t++) {
      double level = 0.3 + 3 * Math.exp(-t / 30.0);
      w.simpleValue(
          prefix + "loss", t, start + t, (float) (level * (1 + 0.02 * noise.nextGaussian())));
      w.simpleValue(
          prefix + "val_loss",
          t,
          start + t,
          (float) (level * 1.1 * (1 + 0.02 * noise.nextGaussian())));
    }
    w.flush();
  }

  @Test
  void finishedExperimentsStartParkedWithTheVerdictsTheyHadAndResumeAsIfNeverStopped(
      @TempDir Path temp) throws Exception {
    Path logs = Files.createDirectories(temp.resolve("a"));
    Path steadyLogs = Files.createDirectories(temp.resolve("b"));
    FakeClock clock = FakeClock.atMillis(T0);
    double start = T0 / 1000.0 - 100;
    Watcher first = watcher(logs, temp.resolve("a.db"), clock);
    Watcher steady =
        watcher(steadyLogs, temp.resolve("b.db"), clock, Duration.ZERO, PlateauConfig.defaults());
    Random[] noise = {new Random(1), new Random(2), new Random(3)};
    Random[] steadyNoise = {new Random(1), new Random(2), new Random(3)};
    List<EventFileWriter> writers = new ArrayList<>();
    List<EventFileWriter> steadyWriters = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        // Different lengths: one converged, the others not yet.
        writers.add(EventFileWriter.create(logs.resolve("exp" + i), start, "t", 0));
        steadyWriters.add(EventFileWriter.create(steadyLogs.resolve("exp" + i), start, "t", 0));
        write(writers.get(i), "", 0, 40 + 200 * i, noise[i], start);
        write(steadyWriters.get(i), "", 0, 40 + 200 * i, steadyNoise[i], start);
      }
      first.poll();
      steady.poll();
      List<ExperimentVerdict> before = first.published();
      assertThat(before).hasSize(3);
      assertThat(before)
          .extracting(ExperimentVerdict::status)
          .contains(Status.CONVERGED, Status.TRAINING);
      stop(first);

      clock.advanceMillis(5_000);
      Watcher again = watcher(logs, temp.resolve("a.db"), clock);
      assertThat(again.parkedExperiments()).isEqualTo(3);
      assertThat(again.judge().runs()).isEmpty(); // no detector state was read
      again.poll();
      assertThat(again.parkedExperiments()).isEqualTo(3);
      assertThat(again.judge().runs()).isEmpty();
      List<ExperimentVerdict> shown = again.published();
      assertThat(shown)
          .extracting(ExperimentVerdict::experiment)
          .containsExactly("exp0", "exp1", "exp2");
      for (int i = 0; i < 3; i++) {
        ExperimentVerdict b = before.get(i);
        ExperimentVerdict s = shown.get(i);
        assertThat(s.status()).isEqualTo(b.status());
        assertThat(s.reason()).isEqualTo(b.reason());
        assertThat(s.series()).containsExactlyInAnyOrderElementsOf(b.series());
      }

      // exp1 writes again: it comes back and goes on as a daemon that never stopped.
      write(writers.get(1), "", 240, 600, noise[1], start);
      write(steadyWriters.get(1), "", 240, 600, steadyNoise[1], start);
      again.poll();
      steady.poll();
      assertThat(again.parkedExperiments()).isEqualTo(2);
      assertThat(again.judge().runs()).containsOnlyKeys("exp1");
      for (String tag : List.of("loss", "val_loss")) {
        Verdict p = again.judge().judgeOf("exp1", tag).verdict();
        Verdict s = steady.judge().judgeOf("exp1", tag).verdict();
        assertThat(p.points()).isEqualTo(s.points()).isEqualTo(600);
        assertThat(p).isEqualTo(s);
      }
    } finally {
      for (EventFileWriter w : writers) {
        w.close();
      }
      for (EventFileWriter w : steadyWriters) {
        w.close();
      }
    }
  }

  @Test
  void anExperimentWaitingForATwinAndEveryExperimentWithParkingOffStartInMemory(@TempDir Path temp)
      throws Exception {
    Path logs = Files.createDirectories(temp.resolve("logs"));
    FakeClock clock = FakeClock.atMillis(T0);
    double start = T0 / 1000.0 - 100;
    Watcher first = watcher(logs, temp.resolve("s.db"), clock);
    try (EventFileWriter paired = EventFileWriter.create(logs.resolve("paired"), start, "t", 0);
        EventFileWriter lonely = EventFileWriter.create(logs.resolve("lonely"), start, "t", 0)) {
      write(paired, "", 0, 50, new Random(4), start);
      for (int t = 0; t < 50; t++) {
        lonely.simpleValue("val_loss", t, start + t, (float) (1 + 1.0 / (1 + t)));
      }
      lonely.flush();
      first.poll();
      stop(first);

      // A validation series without a training twin yet never parks while running; nor at start.
      Watcher again = watcher(logs, temp.resolve("s.db"), clock);
      assertThat(again.parkedExperiments()).isEqualTo(1);
      assertThat(again.judge().runs()).containsOnlyKeys("lonely");
      assertThat(again.judge().judgeOf("lonely", "val_loss").verdict().points()).isEqualTo(50);
      stop(again);

      Watcher off =
          watcher(logs, temp.resolve("s.db"), clock, Duration.ZERO, PlateauConfig.defaults());
      assertThat(off.parkedExperiments()).isZero();
      assertThat(off.judge().runs()).containsOnlyKeys("lonely", "paired");
      assertThat(off.judge().judgeOf("paired", "loss").verdict().points()).isEqualTo(50);
    }
  }

  @Test
  void seriesSavedWithoutASummaryByAnEarlierVersionAreReadIntoMemory(@TempDir Path temp)
      throws Exception {
    Path logs = Files.createDirectories(temp.resolve("logs"));
    FakeClock clock = FakeClock.atMillis(T0);
    double start = T0 / 1000.0 - 100;
    Watcher first = watcher(logs, temp.resolve("s.db"), clock);
    try (EventFileWriter a = EventFileWriter.create(logs.resolve("old"), start, "t", 0);
        EventFileWriter b = EventFileWriter.create(logs.resolve("new"), start, "t", 0)) {
      write(a, "", 0, 60, new Random(5), start);
      write(b, "", 0, 60, new Random(6), start);
      first.poll();
      Verdict oldLoss = first.judge().judgeOf("old", "loss").verdict();
      stop(first);
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + temp.resolve("s.db"));
          Statement s = c.createStatement()) {
        s.executeUpdate("UPDATE series SET summary = NULL WHERE run = 'old'");
      }

      Watcher again = watcher(logs, temp.resolve("s.db"), clock);
      assertThat(again.parkedExperiments()).isEqualTo(1);
      assertThat(again.judge().runs()).containsOnlyKeys("old");
      assertThat(again.judge().judgeOf("old", "loss").verdict()).isEqualTo(oldLoss);
      // Its first commit saves the summaries it lacked: the next restart leaves it parked too.
      again.poll();
      stop(again);
      Watcher third = watcher(logs, temp.resolve("s.db"), clock);
      assertThat(third.parkedExperiments()).isEqualTo(2);
      assertThat(third.judge().runs()).isEmpty();
    }
  }

  @Test
  void aChangedConfigurationReadsTheRunsAgainInsteadOfShowingTheirOldVerdicts(@TempDir Path temp)
      throws Exception {
    Path logs = Files.createDirectories(temp.resolve("logs"));
    FakeClock clock = FakeClock.atMillis(T0);
    double start = T0 / 1000.0 - 100;
    Watcher first = watcher(logs, temp.resolve("s.db"), clock);
    try (EventFileWriter a = EventFileWriter.create(logs.resolve("exp"), start, "t", 0)) {
      write(a, "", 0, 60, new Random(7), start);
      first.poll();
      assertThat(first.judge().judgeOf("exp", "loss").detectors())
          .extracting(d -> d.name())
          .contains("plateau");
      stop(first);

      PlateauConfig patienceOnly =
          ConfigLoader.parse("detection:\n  detectors: [patience]\n", "test.yaml");
      Watcher again =
          watcher(logs, temp.resolve("s.db"), clock, Duration.ofMinutes(1), patienceOnly);
      assertThat(again.parkedExperiments()).isZero();
      again.poll(); // sets the run to be read again
      again.poll(); // reads it
      Verdict loss = again.judge().judgeOf("exp", "loss").verdict();
      assertThat(loss.points()).isEqualTo(60);
      assertThat(loss.detector()).isEqualTo("patience");
    }
  }

  /** A job that died before the restart still turns STALLED when its hour is up, while parked. */
  @Test
  void anExperimentParkedAtStartStallsWhenItsTimeComes(@TempDir Path temp) throws Exception {
    Path logs = Files.createDirectories(temp.resolve("logs"));
    FakeClock clock = FakeClock.atMillis(T0);
    Watcher first = watcher(logs, temp.resolve("s.db"), clock);
    try (EventFileWriter writer =
        EventFileWriter.create(logs.resolve("exp1"), T0 / 1000.0, "t", 0)) {
      for (int t = 0; t < 30; t++) {
        writer.simpleValue("loss", t, T0 / 1000.0, (float) (10 - t * 0.3));
      }
      writer.flush();
      first.poll();
      assertThat(first.published())
          .extracting(ExperimentVerdict::status)
          .containsExactly(Status.TRAINING);
      stop(first);

      clock.advanceMillis(600_000);
      Watcher again = watcher(logs, temp.resolve("s.db"), clock);
      again.poll();
      assertThat(again.parkedExperiments()).isEqualTo(1);
      clock.advanceMillis(600_000);
      again.poll();
      assertThat(again.parkedExperiments()).isEqualTo(1); // its hour is not up yet

      clock.advanceMillis(3_600_000);
      again.poll();
      again.poll();
      assertThat(again.published())
          .extracting(ExperimentVerdict::status)
          .containsExactly(Status.STALLED);
      assertThat(logs.resolve("exp1/STALLED")).exists();
    }
  }
}
