package dev.plateau.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.config.PlateauConfig;
import dev.plateau.sink.AlertSink;
import dev.plateau.sink.CommandSlots;
import dev.plateau.sink.HookSettings;
import dev.plateau.sink.HookSink;
import dev.plateau.sink.RetryPolicy;
import dev.plateau.sink.StatusFilter;
import dev.plateau.state.StateStore;
import dev.plateau.testing.RunningDaemon;
import dev.plateau.testing.ShellScripts;
import dev.plateau.write.EventFileWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hooks delivered by the daemon through the outbox: real runs converge, real commands run. Many
 * verdicts at once run in parallel up to {@code max_concurrent} and never beyond; a command that
 * exits 75 is run again until it succeeds.
 */
class HookDeliveryTest {
  private static final int RUNS = 9;
  private static final int MAX_CONCURRENT = 3;

  @Test
  void manyVerdictsAtOnceRunAtMostMaxConcurrentCommandsAndReachIt(@TempDir Path temp)
      throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    Path running = Files.createDirectories(temp.resolve("running"));
    Path done = Files.createDirectories(temp.resolve("done"));
    Path counts = temp.resolve("counts");
    Path script =
        ShellScripts.write(
            temp,
            "count.sh",
            "touch \"$RUNNING/$$\"",
            // Wait (a while at most) for others to run beside this one, then count them all.
            "i=0",
            "while [ \"$(ls \"$RUNNING\" | wc -l)\" -lt "
                + MAX_CONCURRENT
                + " ] && [ $i -lt 200 ]; do",
            "  sleep 0.05; i=$((i+1))",
            "done",
            "ls \"$RUNNING\" | wc -l >> \"$COUNTS\"",
            "sleep 0.2",
            "rm \"$RUNNING/$$\"",
            "mkdir \"$DONE/$PLATEAU_VERDICT_ID\"");
    HookSink hook =
        hook(
            "count",
            script,
            Map.of(
                "RUNNING",
                running.toString(),
                "COUNTS",
                counts.toString(),
                "DONE",
                done.toString()),
            new CommandSlots(MAX_CONCURRENT));
    writeConvergingRuns(logdir);
    Clock clock = Clock.systemUTC();
    try (StateStore store = StateStore.open(temp.resolve("state.db"), false, clock);
        RunningDaemon daemon = start(logdir, store, hook, clock)) {
      daemon.awaitUntil("every run's hook done", () -> count(done) == RUNS);
      assertThat(store.outboxCounts()).containsEntry("delivered", (long) RUNS);
    }
    List<Integer> seen =
        Files.readAllLines(counts).stream().map(String::strip).map(Integer::parseInt).toList();
    assertThat(seen).as("one run per verdict").hasSize(RUNS);
    assertThat(seen.stream().mapToInt(Integer::intValue).max().orElse(0))
        .as("commands running at once, as each counted them when it started")
        .isEqualTo(MAX_CONCURRENT);
  }

  @Test
  void aCommandThatExits75IsRunAgainUntilItSucceeds(@TempDir Path temp) throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    Path tries = Files.createDirectories(temp.resolve("tries"));
    Path script =
        ShellScripts.write(
            temp,
            "later.sh",
            "echo x >> \"$TRIES/$PLATEAU_VERDICT_ID\"",
            "[ \"$(wc -l < \"$TRIES/$PLATEAU_VERDICT_ID\")\" -ge 3 ] || exit 75");
    HookSink hook = hook("later", script, Map.of("TRIES", tries.toString()), new CommandSlots(4));
    writeConvergingRuns(logdir);
    Clock clock = Clock.systemUTC();
    try (StateStore store = StateStore.open(temp.resolve("state.db"), false, clock);
        RunningDaemon daemon = start(logdir, store, hook, clock)) {
      daemon.awaitUntil(
          "every verdict's hook succeeded",
          () -> store.outboxCounts().getOrDefault("delivered", 0L) == RUNS);
      assertThat(store.outboxCounts()).doesNotContainKey("rejected");
    }
    try (Stream<Path> files = Files.list(tries)) {
      for (Path file : files.toList()) {
        assertThat(Files.readAllLines(file)).as("runs of " + file.getFileName()).hasSize(3);
      }
    }
    assertThat(count(tries)).isEqualTo(RUNS);
  }

  @Test
  void aCommandStillRunningWhenTheDaemonStopsIsKilledAndStaysPending(@TempDir Path temp)
      throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    Path pids = Files.createDirectories(temp.resolve("pids"));
    Path script =
        ShellScripts.write(
            temp, "hangs.sh", "sleep 300 & echo $! > \"$PIDS/$PLATEAU_VERDICT_ID\"", "wait");
    HookSink hook = hook("hangs", script, Map.of("PIDS", pids.toString()), new CommandSlots(RUNS));
    writeConvergingRuns(logdir);
    Clock clock = Clock.systemUTC();
    List<Long> children;
    try (StateStore store = StateStore.open(temp.resolve("state.db"), false, clock)) {
      try (RunningDaemon daemon = start(logdir, store, hook, clock)) {
        daemon.awaitUntil("every hook running", () -> count(pids) == RUNS);
      }
      try (Stream<Path> files = Files.list(pids)) {
        children = files.map(HookDeliveryTest::pid).toList();
      }
      org.awaitility.Awaitility.await("the commands' children killed")
          .atMost(Duration.ofSeconds(20))
          .until(() -> children.stream().noneMatch(HookDeliveryTest::alive));
      assertThat(store.outboxCounts())
          .as("to run again at the next start")
          .containsEntry("pending", (long) RUNS)
          .doesNotContainKey("delivered");
    }
  }

  private static long pid(Path file) {
    try {
      return Long.parseLong(Files.readString(file).strip());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static RunningDaemon start(Path logdir, StateStore store, AlertSink hook, Clock clock)
      throws Exception {
    Watcher watcher =
        new Watcher(
            logdir, PlateauConfig.defaults(), store, List.of(hook), FlagApplier.NONE, clock, "h");
    watcher.restore();
    RetryPolicy quick =
        new RetryPolicy(
            Duration.ofMillis(200), 2.0, Duration.ofSeconds(1), 100, Duration.ofHours(1));
    return RunningDaemon.start(
        List.of(watcher), List.of(new DeliveryWorker(hook, store, quick, clock)));
  }

  private static HookSink hook(
      String name, Path script, Map<String, String> env, CommandSlots slots) {
    return new HookSink(
        new HookSettings(
            name,
            List.of(script.toString()),
            StatusFilter.parse("converged"),
            Duration.ofSeconds(30),
            env,
            HookSettings.DEFAULT_MAX_OUTPUT_BYTES),
        slots,
        Map.of("PATH", System.getenv("PATH")));
  }

  /** Runs that converge, written now (older points are history, not news). */
  private static void writeConvergingRuns(Path logdir) throws IOException {
    double start = System.currentTimeMillis() / 1000.0 - 120;
    for (int r = 0; r < RUNS; r++) {
      try (EventFileWriter w = EventFileWriter.create(logdir.resolve("run-" + r), start, "h", 0)) {
        for (int t = 0; t < 120; t++) {
          w.simpleValue("val_loss", t, start + t, (float) (1 + 8 * Math.exp(-t / 8.0)));
        }
      }
    }
  }

  private static long count(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.count();
    }
  }
}
