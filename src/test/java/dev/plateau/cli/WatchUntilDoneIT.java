package dev.plateau.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.write.EventFileWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plateau watch --until-done} and {@code --timeout} as a CI or batch job runs them (the real
 * jar): it exits once every watched experiment can stop, with {@code check}'s exit codes, or at the
 * timeout with the code of what it found then.
 */
class WatchUntilDoneIT {

  private static void curve(Path run, int points, boolean diverges, boolean flat) throws Exception {
    double start = System.currentTimeMillis() / 1000.0 - 600;
    try (EventFileWriter w = EventFileWriter.create(run, start, "h", 0)) {
      for (int t = 0; t < points; t++) {
        float v = flat ? (float) (10 - 0.05 * t) : (float) (1 + 8 * Math.exp(-t / 8.0));
        w.simpleValue("val_loss", t, start + t, diverges && t == points - 1 ? Float.NaN : v);
      }
    }
  }

  @Test
  void untilDoneExitsZeroOnceEveryExperimentHasConvergedAndItsFlagIsWritten(@TempDir Path temp)
      throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    curve(logdir.resolve("a"), 120, false, false);
    curve(logdir.resolve("b"), 120, false, false);
    try (WatchProcess watch =
        WatchProcess.start(List.of(), logdir, temp.resolve("state"), "--until-done")) {
      assertThat(watch.awaitExit()).as(watch.output()).isZero();
      assertThat(watch.output())
          .contains("every watched experiment can stop: 2 experiment(s); exiting with 0");
    }
    assertThat(logdir.resolve("a/CONVERGED")).exists();
    assertThat(logdir.resolve("b/CONVERGED")).exists();
  }

  @Test
  void untilDoneExitsThreeWhenAnExperimentDiverged(@TempDir Path temp) throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    curve(logdir.resolve("ok"), 120, false, false);
    curve(logdir.resolve("bad"), 30, true, false);
    try (WatchProcess watch =
        WatchProcess.start(List.of(), logdir, temp.resolve("state"), "--until-done")) {
      assertThat(watch.awaitExit()).as(watch.output()).isEqualTo(3);
    }
  }

  @Test
  void aTimeoutEndsTheWatchWithTheCodeOfWhatStillTrains(@TempDir Path temp) throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    curve(logdir.resolve("done"), 120, false, false);
    curve(logdir.resolve("training"), 40, false, true); // still falling steadily
    try (WatchProcess watch =
        WatchProcess.start(
            List.of(), logdir, temp.resolve("state"), "--until-done", "--timeout", "3s")) {
      assertThat(watch.awaitExit()).as(watch.output()).isEqualTo(1);
      assertThat(watch.output()).contains("the timeout (3s) has passed");
    }
    assertThat(logdir.resolve("done/CONVERGED")).exists();
  }
}
