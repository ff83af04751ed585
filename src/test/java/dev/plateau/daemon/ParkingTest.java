package dev.plateau.daemon;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idle experiments leave memory and come back on their next point, judged exactly as if they had
 * never left: a parking watcher and one that never parks see the same points and must agree.
 */
class ParkingTest {
  private static final long T0 = 1_800_000_000_000L;

  private static Watcher watcher(Path logdir, Path db, FakeClock clock, Duration park)
      throws Exception {
    StateStore store = StateStore.open(db, false, clock);
    FlagSink flags = new FlagSink(logdir, FlagConfig.defaults());
    Watcher w =
        new Watcher(logdir, PlateauConfig.defaults(), store, List.of(), flags::apply, clock, "h");
    w.parkAfter(park);
    w.restore();
    return w;
  }

  private static void write(EventFileWriter w, int from, int to, Random noise, double start)
      throws Exception {
    for (int t = from; t < to; t++) {
      double level = 0.3 + 3 / Math.sqrt(1 + t / 4.0);
      w.simpleValue("loss", t, start + t, (float) (level * (1 + 0.02 * noise.nextGaussian())));
      w.simpleValue(
          "val_loss", t, start + t, (float) (level * 1.1 * (1 + 0.02 * noise.nextGaussian())));
    }
    w.flush();
  }

  @Test
  void idleExperimentLeavesMemoryKeepsItsVerdictAndResumesAsIfItNeverLeft(@TempDir Path temp)
      throws Exception {
    Path parkingLogs = Files.createDirectories(temp.resolve("a"));
    Path steadyLogs = Files.createDirectories(temp.resolve("b"));
    FakeClock clock = FakeClock.atMillis(T0);
    Watcher parking = watcher(parkingLogs, temp.resolve("a.db"), clock, Duration.ofMinutes(1));
    Watcher steady = watcher(steadyLogs, temp.resolve("b.db"), clock, Duration.ZERO);
    double start = T0 / 1000.0 - 10_000;
    Random a = new Random(1);
    Random b = new Random(1);
    try (EventFileWriter wa = EventFileWriter.create(parkingLogs.resolve("exp1"), start, "t", 0);
        EventFileWriter wb = EventFileWriter.create(steadyLogs.resolve("exp1"), start, "t", 0);
        EventFileWriter other =
            EventFileWriter.create(parkingLogs.resolve("busy"), start, "t", 0)) {
      write(wa, 0, 60, a, start);
      write(wb, 0, 60, b, start);
      parking.poll();
      steady.poll();
      assertThat(parking.judge().runs()).containsKey("exp1");
      ExperimentVerdict before = only(parking.published(), "exp1");

      // Two minutes without points for exp1, while another run keeps writing.
      for (int minute = 0; minute < 4; minute++) {
        clock.advanceMillis(30_000);
        other.simpleValue("loss", minute, start, 1f);
        other.flush();
        parking.poll();
        steady.poll();
      }
      assertThat(parking.parkedExperiments()).isEqualTo(1);
      assertThat(parking.judge().runs()).doesNotContainKey("exp1").containsKey("busy");
      assertThat(only(parking.published(), "exp1").status()).isEqualTo(before.status());
      assertThat(parking.view("exp1", "val_loss"))
          .as("its curve stays for the status page, thinned")
          .isNotNull()
          .satisfies(
              v -> assertThat(v.steps()).hasSizeLessThanOrEqualTo(PublishedVerdicts.PARKED_POINTS));

      // exp1 writes again: it comes back from the store and goes on where it stopped.
      write(wa, 60, 400, a, start);
      write(wb, 60, 400, b, start);
      parking.poll();
      steady.poll();
      assertThat(parking.parkedExperiments()).isZero();
      for (String tag : List.of("loss", "val_loss")) {
        Verdict p = parking.judge().judgeOf("exp1", tag).verdict();
        Verdict s = steady.judge().judgeOf("exp1", tag).verdict();
        assertThat(p.points()).isEqualTo(s.points()).isEqualTo(400);
        assertThat(p.status()).isEqualTo(s.status());
        assertThat(p.bestStep()).isEqualTo(s.bestStep());
        assertThat(p.decidedAtStep()).isEqualTo(s.decidedAtStep());
        assertThat(p.reason()).isEqualTo(s.reason());
      }
      assertThat(only(parking.published(), "exp1").status())
          .isEqualTo(only(steady.published(), "exp1").status());
    }
  }

  /**
   * Parking must not stop time-based rules: an experiment whose job died is parked after a minute,
   * and must still turn STALLED when its hour without points is up (before, it never did).
   */
  @Test
  void aParkedExperimentStillStallsWhenItsTimeComes(@TempDir Path temp) throws Exception {
    Path logs = Files.createDirectories(temp.resolve("logs"));
    FakeClock clock = FakeClock.atMillis(T0);
    Watcher w = watcher(logs, temp.resolve("s.db"), clock, Duration.ofMinutes(1));
    try (EventFileWriter writer =
        EventFileWriter.create(logs.resolve("exp1"), T0 / 1000.0, "t", 0)) {
      // A steep curve, far from converged, whose writer then stops.
      for (int t = 0; t < 30; t++) {
        writer.simpleValue("loss", t, T0 / 1000.0, (float) (10 - t * 0.3));
      }
      writer.flush();
      w.poll();
      for (int minute = 0; minute < 3; minute++) {
        clock.advanceMillis(60_000);
        w.poll();
      }
      assertThat(w.parkedExperiments()).isEqualTo(1);
      assertThat(only(w.published(), "exp1").status()).isEqualTo(Status.TRAINING);

      clock.advanceMillis(3_600_000); // the default stalled.after is an hour
      w.poll();
      w.poll();
      assertThat(only(w.published(), "exp1").status()).isEqualTo(Status.STALLED);
      assertThat(logs.resolve("exp1/STALLED")).exists();

      // Stalled, it parks again, and has no further time to wait for.
      for (int minute = 0; minute < 3; minute++) {
        clock.advanceMillis(60_000);
        w.poll();
      }
      assertThat(w.parkedExperiments()).isEqualTo(1);
      assertThat(only(w.published(), "exp1").status()).isEqualTo(Status.STALLED);
    }
  }

  @Test
  void parkAfterZeroKeepsEveryExperimentInMemory(@TempDir Path temp) throws Exception {
    Path logs = Files.createDirectories(temp.resolve("logs"));
    FakeClock clock = FakeClock.atMillis(T0);
    Watcher w = watcher(logs, temp.resolve("s.db"), clock, Duration.ZERO);
    try (EventFileWriter writer =
        EventFileWriter.create(logs.resolve("exp1"), T0 / 1000.0, "t", 0)) {
      write(writer, 0, 30, new Random(2), T0 / 1000.0);
      w.poll();
      clock.advanceMillis(3_600_000);
      w.poll();
      assertThat(w.parkedExperiments()).isZero();
      assertThat(w.judge().runs()).containsKey("exp1");
    }
  }

  private static ExperimentVerdict only(List<ExperimentVerdict> verdicts, String experiment) {
    return verdicts.stream()
        .filter(v -> v.experiment().equals(experiment))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no verdict for " + experiment + " in " + verdicts));
  }
}
