package dev.plateau.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.plateau.config.PlateauConfig;
import dev.plateau.detect.Status;
import dev.plateau.sink.FlagConfig;
import dev.plateau.sink.FlagSink;
import dev.plateau.state.StateStore;
import dev.plateau.testing.RunningDaemon;
import dev.plateau.verdict.ExperimentVerdict;
import dev.plateau.write.EventFileWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A watched logdir deleted while the daemon runs: said once (not an ERROR every round), waited for,
 * and read and judged again once it is back, without a restart.
 */
class DeletedLogdirTest {

  private static void converging(Path run) throws Exception {
    double start = System.currentTimeMillis() / 1000.0 - 600;
    try (EventFileWriter w = EventFileWriter.create(run, start, "h", 0)) {
      for (int t = 0; t < 120; t++) {
        w.simpleValue("val_loss", t, start + t, (float) (1 + 8 * Math.exp(-t / 8.0)));
      }
    }
  }

  @Test
  void aDeletedLogdirIsSaidOnceWaitedForAndJudgedAgainWhenItComesBack(@TempDir Path temp)
      throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    converging(logdir.resolve("first"));
    try (StateStore store =
            StateStore.open(temp.resolve("state/state.db"), false, Clock.systemUTC());
        CapturedLog log = new CapturedLog()) {
      Watcher watcher =
          new Watcher(
              logdir,
              PlateauConfig.defaults(),
              store,
              List.of(),
              new RetriedFlags(new FlagSink(logdir, FlagConfig.defaults()), Clock.systemUTC()),
              Clock.systemUTC(),
              "h");
      watcher.restore();
      Daemon daemon =
          new Daemon(List.of(watcher), List.of(), Duration.ofMillis(20), Duration.ofSeconds(2));
      try (RunningDaemon running = RunningDaemon.start(daemon)) {
        running.awaitUntil(
            "the first run judged", () -> status(watcher, "first") == Status.CONVERGED);
        try (Stream<Path> all = Files.walk(logdir)) {
          for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
        running.awaitMoreRounds(10); // without the logdir
        assertThat(log.at(Level.WARN, "the logdir is gone")).as("said once").hasSize(1);
        assertThat(log.at(Level.ERROR)).isEmpty();
        assertThat(status(watcher, "first"))
            .as("its verdicts stay while it is gone")
            .isEqualTo(Status.CONVERGED);

        Files.createDirectories(logdir);
        converging(logdir.resolve("second"));
        running.awaitUntil(
            "a run written after it came back judged",
            () -> status(watcher, "second") == Status.CONVERGED);
        running.awaitUntil("its flag", () -> Files.exists(logdir.resolve("second/CONVERGED")));
        running.awaitUntil(
            "the recovery said", () -> !log.at(Level.INFO, "rounds succeed again").isEmpty());
        assertThat(log.at(Level.INFO, "rounds succeed again")).hasSize(1);
      }
    }
  }

  private static Status status(Watcher watcher, String run) {
    for (ExperimentVerdict v : watcher.published()) {
      if (v.experiment().equals(run)) {
        return v.status();
      }
    }
    return null;
  }
}
