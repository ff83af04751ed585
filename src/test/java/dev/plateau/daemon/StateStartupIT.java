package dev.plateau.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What `plateau watch` does at start-up with a state database it cannot use. */
class StateStartupIT {
  static ProcessBuilder watch(Path logdir, Path state, String... more) {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    String jar = System.getProperty("plateau.jar", "target/plateau.jar");
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-jar",
                jar,
                "watch",
                logdir.toString(),
                "--state-dir",
                state.toString(),
                "--poll-interval",
                "100ms",
                // no status server: port 9321 may be another test's, and a taken port stops
                // start-up
                "--http",
                "off"));
    command.addAll(List.of(more));
    return new ProcessBuilder(command).redirectErrorStream(true);
  }

  @Test
  void corruptStateIsRefusedUntilToldToRebuild(@TempDir Path temp) throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    Path state = Files.createDirectories(temp.resolve("state"));
    // The first start creates the database; find its name, then break it.
    Process first = watch(logdir, state).start();
    Path db =
        await("the state database created")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> stateDatabase(state), found -> found != null);
    first.destroy();
    assertThat(first.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(first.exitValue()).isZero();
    assertThat(db).isNotNull();
    Files.writeString(db, "not a database ".repeat(500));
    Files.deleteIfExists(db.resolveSibling(db.getFileName() + "-wal"));
    Files.deleteIfExists(db.resolveSibling(db.getFileName() + "-shm"));

    Process refused = watch(logdir, state).start();
    assertThat(refused.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String message = new String(refused.getInputStream().readAllBytes());
    assertThat(refused.exitValue()).as(message).isEqualTo(2);
    assertThat(message).contains(db.toString()).contains("--rebuild-state");

    Path rebuiltLog = temp.resolve("rebuilt.log");
    Process rebuilt =
        watch(logdir, state, "--rebuild-state").redirectOutput(rebuiltLog.toFile()).start();
    // Wait until the broken database was moved aside and the daemon is running (a slow machine
    // takes seconds to start a JVM), not a fixed time: a SIGTERM before the daemon installed its
    // handler would end the JVM with 143.
    awaitFirstRound(rebuiltLog);
    assertThat(Files.readString(rebuiltLog)).contains("first round done");
    assertThat(rebuilt.isAlive()).isTrue();
    rebuilt.destroy();
    assertThat(rebuilt.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(rebuilt.exitValue()).as(Files.readString(rebuiltLog)).isZero();
    try (var files = Files.list(state)) {
      assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.contains(".broken-"));
    }
  }

  @Test
  void jsonLogFormatWritesOneJsonObjectPerLine(@TempDir Path temp) throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    ProcessBuilder builder = watch(logdir, temp.resolve("state"));
    builder.environment().put("PLATEAU_LOG_FORMAT", "JSON");
    Path log = temp.resolve("watch.log");
    builder.redirectOutput(log.toFile()); // destroy() closes the process's pipes
    Process p = builder.start();
    awaitFirstRound(log);
    p.destroy();
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    String output = Files.readString(log);
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
    assertThat(lines).isNotEmpty();
    for (String line : lines) {
      assertThat(json.readTree(line).path("level").asText()).as(line).isNotEmpty();
    }
    assertThat(output).contains("first round done");
  }

  private static Path stateDatabase(Path state) throws IOException {
    try (var files = Files.list(state)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".db")).findFirst().orElse(null);
    }
  }

  /** Until the daemon logged its first round, a minute at most (a slow machine takes seconds). */
  private static void awaitFirstRound(Path log) throws IOException {
    try {
      await("the first round done")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> Files.exists(log) && Files.readString(log).contains("first round done"));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "no first round within a minute; the daemon said:\n" + Files.readString(log), e);
    }
  }
}
