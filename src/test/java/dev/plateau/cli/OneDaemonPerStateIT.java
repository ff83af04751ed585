package dev.plateau.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real {@code plateau watch} processes on one {@code --state-dir} and logdir: the second
 * refuses to start, naming the state database and the first's PID; once the first is killed with
 * SIGKILL (no chance to clean up), a new one starts, because the operating system released the lock
 * with the process.
 */
class OneDaemonPerStateIT {

  @Test
  void aSecondDaemonOnTheSameStateRefusesToStartAndTheLockDiesWithItsHolder(@TempDir Path temp)
      throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    Path state = temp.resolve("state");
    try (WatchProcess first = WatchProcess.start(List.of(), logdir, state)) {
      first.await("first daemon ready", () -> first.status("/readyz") == 200);
      try (WatchProcess second = WatchProcess.start(List.of(), logdir, state)) {
        assertThat(second.awaitExit()).as(second.output()).isEqualTo(2);
        assertThat(second.output())
            .contains("is in use by another plateau")
            .contains("PID " + first.pid())
            .containsPattern("state-[0-9a-f]+\\.db");
      }
      assertThat(first.isAlive()).isTrue();
      ProcessHandle.of(first.pid()).orElseThrow().destroyForcibly();
      first.awaitExit();
      try (WatchProcess third = WatchProcess.start(List.of(), logdir, state)) {
        third.await(
            "a new daemon ready after the holder was killed", () -> third.status("/readyz") == 200);
        assertThat(third.output()).doesNotContain("in use by another plateau");
      }
    }
  }
}
