package dev.plateau.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plateau.write.EventFileWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plateau watch} (the real jar) over runs whose directory names are markup, start with a
 * dash, or lead through a symbolic link out of the logdir: every flag lands inside the logdir, the
 * linked run's flag is refused (its target directory is left as it was), and the state directory
 * holds the state database and nothing named after a run.
 */
class HostileRunNamesIT {
  static final String MARKUP_RUN = "\"><script>alert(1)</script>";

  static void converging(Path run) throws Exception {
    double start = System.currentTimeMillis() / 1000.0 - 200;
    try (EventFileWriter w = EventFileWriter.create(run, start, "h", 0)) {
      for (int t = 0; t < 120; t++) {
        w.simpleValue("val_loss", t, start + t, (float) (1 + 8 * Math.exp(-t / 8.0)));
      }
    }
  }

  static List<String> names(Path dir) throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(f -> !f.equals(dir))
          .map(f -> dir.relativize(f).toString())
          .sorted()
          .collect(Collectors.toList());
    }
  }

  @Test
  void flagsStayInTheLogdirAndTheStateDirHoldsOnlyTheDatabase(@TempDir Path temp) throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    Path outside = temp.resolve("outside");
    converging(logdir.resolve(MARKUP_RUN));
    converging(logdir.resolve("-rf"));
    converging(outside.resolve("run"));
    List<String> outsideBefore = names(outside);
    Files.createSymbolicLink(logdir.resolve("linked"), outside.resolve("run"));
    Path state = temp.resolve("state");
    Path log = temp.resolve("watch.log");

    Process watch =
        new ProcessBuilder(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                System.getProperty("plateau.jar", "target/plateau.jar"),
                "watch",
                logdir.toString(),
                "--state-dir",
                state.toString(),
                "--http",
                "off",
                "--poll-interval",
                "200ms")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    Path markupFlag = logdir.resolve(MARKUP_RUN).resolve("CONVERGED");
    Path dashFlag = logdir.resolve("-rf/CONVERGED");
    try {
      // Without the condition in a minute, the assertions below say what is missing.
      waitUpToAMinute(
          () ->
              Files.exists(markupFlag)
                  && Files.exists(dashFlag)
                  && Files.readString(log).contains("linked: flag path"));
    } finally {
      watch.destroy();
      assertThat(watch.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    String said = Files.readString(log);
    assertThat(markupFlag).as(said).exists();
    assertThat(dashFlag).exists();
    assertThat(said).contains("linked: flag path", "outside the base directory");
    assertThat(names(outside))
        .as("the linked run's real directory is as it was")
        .isEqualTo(outsideBefore);
    assertThat(names(state))
        .allMatch(n -> n.matches("state-[0-9a-f]{12}\\.db(-wal|-shm|-journal|\\.lock)?"));
    assertThat(names(temp))
        .as("nothing was written beside the logdir")
        .allMatch(
            n ->
                n.startsWith("logs")
                    || n.startsWith("outside")
                    || n.startsWith("state")
                    || n.equals("watch.log"));
  }

  /**
   * Runs {@code command} with an empty environment but PATH (a POSIX locale), until {@code done}.
   */
  private static String runWithoutLocale(
      List<String> command, Path log, java.util.function.BooleanSupplier done) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().clear();
    builder.environment().put("PATH", "/usr/bin:/bin");
    String javaHome = System.getProperty("java.home");
    builder.environment().put("JAVA_HOME", javaHome);
    Process watch = builder.start();
    try {
      waitUpToAMinute(() -> done.getAsBoolean() || !watch.isAlive());
    } finally {
      watch.destroy();
      assertThat(watch.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(watch.exitValue()).as(Files.readString(log)).isZero();
    return Files.readString(log);
  }

  @Test
  void underAPosixLocaleANameItCannotHoldFailsOnlyItsOwnFlagAndARestartStarts(@TempDir Path temp)
      throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    converging(logdir.resolve("exp-\u00e9"));
    converging(logdir.resolve("plain"));
    converging(logdir.resolve("nl\n12:00:00.000 ERROR forged"));
    Path state = temp.resolve("state");
    List<String> command =
        List.of(
            Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar",
            Paths.get(System.getProperty("plateau.jar", "target/plateau.jar"))
                .toAbsolutePath()
                .toString(),
            "watch",
            logdir.toString(),
            "--state-dir",
            state.toString(),
            "--http",
            "off",
            "--poll-interval",
            "200ms");
    Path plainFlag = logdir.resolve("plain/CONVERGED");
    String said =
        runWithoutLocale(command, temp.resolve("first.log"), () -> Files.exists(plainFlag));
    assertThat(plainFlag).as(said).exists();
    assertThat(said).contains("file names are decoded as").contains("cannot be a file name here");
    assertThat(said.lines())
        .as("no ERROR line, forged or real")
        .noneMatch(l -> l.matches("^[0-9:.]+ ERROR .*"));
    assertThat(said)
        .doesNotContain("Exception")
        .contains("nl\\n12:00:00.000 ERROR forged: training -> converged");
    assertThat(
            names(logdir).stream()
                .filter(n -> !n.contains("/") && !n.contains("\\"))
                .map(n -> n.split("/")[0])
                .distinct())
        .as("no sibling directory made for the name it could not hold")
        .containsExactlyInAnyOrder("exp-\u00e9", "plain", "nl\n12:00:00.000 ERROR forged");

    String again =
        runWithoutLocale(
            command,
            temp.resolve("second.log"),
            () -> {
              try {
                return Files.readString(temp.resolve("second.log")).contains("watching");
              } catch (java.io.IOException e) {
                return false;
              }
            });
    assertThat(again.lines())
        .as("the restart under the same locale")
        .noneMatch(l -> l.matches("^[0-9:.]+ ERROR .*"));
    assertThat(again).doesNotContain("Exception");
  }

  @Test
  void theLauncherReadsAndFlagsANonAsciiNameWhateverTheCallersLocale(@TempDir Path temp)
      throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    converging(logdir.resolve("exp-\u00e9"));
    Path flag = logdir.resolve("exp-\u00e9/CONVERGED");
    String said =
        runWithoutLocale(
            List.of(
                Paths.get("plateau").toAbsolutePath().toString(),
                "watch",
                logdir.toString(),
                "--state-dir",
                temp.resolve("state").toString(),
                "--http",
                "off",
                "--poll-interval",
                "200ms"),
            temp.resolve("launcher.log"),
            () -> Files.exists(flag));
    assertThat(flag).as(said).exists();
    assertThat(said).doesNotContain("file names are decoded as");
  }

  /**
   * Waits until {@code condition} holds, a minute at most; the caller's assertions judge what came.
   */
  private static void waitUpToAMinute(Callable<Boolean> condition) {
    try {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(condition);
    } catch (ConditionTimeoutException notYet) {
      // Said by the assertions that follow, with the daemon's output.
    }
  }
}
