package dev.plateau.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.write.EventFileWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File-change events wake the daemon: with a poll interval of a minute, a run that converges in a
 * new directory gets its flag within seconds; with --poll-only it waits for the interval.
 */
class ChangeEventsIT {
  static Process watch(Path logdir, Path state, Path log, String... more) throws Exception {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-jar",
                System.getProperty("plateau.jar", "target/plateau.jar"),
                "watch",
                logdir.toString(),
                "--state-dir",
                state.toString(),
                "--poll-interval",
                "60s",
                // no status server: port 9321 may be another test's, and a taken port stops
                // start-up
                "--http",
                "off"));
    command.addAll(List.of(more));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  static void awaitLine(Path log, String text) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains(text)) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no '" + text + "' in " + Files.readString(log));
  }

  /** Writes a converging run and returns how long its flag took to appear (ms), or -1. */
  static long convergeAndTimeFlag(Path logdir, long waitMillis) throws Exception {
    double now = System.currentTimeMillis() / 1000.0;
    long written;
    try (EventFileWriter w =
        EventFileWriter.create(logdir.resolve("late/validation"), now, "t", 0)) {
      for (int t = 0; t < 120; t++) {
        w.simpleValue("val_loss", t, now + t * 0.001, (float) (1 + 8 * Math.exp(-t / 8.0)));
      }
      w.flush();
      written = System.nanoTime();
    }
    Path flag = logdir.resolve("late/CONVERGED");
    while (System.nanoTime() - written < TimeUnit.MILLISECONDS.toNanos(waitMillis)) {
      if (Files.exists(flag)) {
        return (System.nanoTime() - written) / 1_000_000;
      }
      Thread.sleep(5);
    }
    return -1;
  }

  @Test
  void eventsWakeTheDaemonLongBeforeThePollInterval(@TempDir Path temp) throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    Path log = temp.resolve("watch.log");
    Process p = watch(logdir, temp.resolve("state"), log);
    try {
      awaitLine(log, "first round done");
      long millis = convergeAndTimeFlag(logdir, 10_000);
      System.out.println("flag after " + millis + " ms with file-change events");
      assertThat(millis).as(Files.readString(log)).isBetween(0L, 10_000L);
    } finally {
      p.destroy();
      p.waitFor(20, TimeUnit.SECONDS);
    }
    assertThat(p.exitValue()).isZero();
  }

  @Test
  void pointsAppendedToAKnownFileAreReadLongBeforeThePollInterval(@TempDir Path temp)
      throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    Path log = temp.resolve("watch.log");
    double now = System.currentTimeMillis() / 1000.0;
    try (EventFileWriter w =
        EventFileWriter.create(logdir.resolve("known/validation"), now, "t", 0)) {
      for (int t = 0; t < 10; t++) {
        w.simpleValue("val_loss", t, now + t * 0.001, (float) (1 + 8 * Math.exp(-t / 8.0)));
      }
      w.flush();
      Process p = watch(logdir, temp.resolve("state"), log);
      try {
        awaitLine(log, "first round done");
        Thread.sleep(200);
        for (int t = 10; t < 120; t++) {
          w.simpleValue("val_loss", t, now + t * 0.001, (float) (1 + 8 * Math.exp(-t / 8.0)));
        }
        w.flush();
        long written = System.nanoTime();
        Path flag = logdir.resolve("known/CONVERGED");
        while (!Files.exists(flag) && System.nanoTime() - written < TimeUnit.SECONDS.toNanos(10)) {
          Thread.sleep(5);
        }
        // Only the file's directory is read (no walk of the logdir): the flag still comes at once.
        assertThat(flag).as(Files.readString(log)).exists();
      } finally {
        p.destroy();
        p.waitFor(20, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void pollOnlyWaitsForTheInterval(@TempDir Path temp) throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    Path log = temp.resolve("watch.log");
    Process p = watch(logdir, temp.resolve("state"), log, "--poll-only");
    try {
      awaitLine(log, "first round done");
      assertThat(convergeAndTimeFlag(logdir, 3_000)).isEqualTo(-1);
    } finally {
      p.destroy();
      p.waitFor(20, TimeUnit.SECONDS);
    }
  }
}
