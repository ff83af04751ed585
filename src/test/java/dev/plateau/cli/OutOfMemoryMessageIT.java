package dev.plateau.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.bench.LogdirGenerator;
import dev.plateau.daemon.ImageJvmOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Running out of memory ends in a sentence that names the heap limit and what to set, never a stack
 * trace, and with the error exit code (issue 24): the real jar, with the JVM options the image's
 * launcher gives {@code check}, on a heap too small for the one experiment of the logdir.
 */
class OutOfMemoryMessageIT {
  @Test
  void checkOutOfMemorySaysTheLimitAndWhatToSetWithoutAStackTrace(@TempDir Path temp)
      throws Exception {
    Path logdir = temp.resolve("logs");
    // One run, 850 k points: one experiment, more than the heap below holds.
    LogdirGenerator.write(logdir, 1, 40_000_000L, 4, 9);
    List<String> launched =
        ImageJvmOptions.launcherCommand(Path.of("Dockerfile"), List.of("check"));
    List<String> command =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    for (String option : launched.subList(1, launched.indexOf("-jar"))) {
      if (!option.startsWith("-XX:SharedArchiveFile")) { // built into the image only
        command.add(option.replace("/state", temp.toString()));
      }
    }
    command.add("-Xmx24m");
    command.addAll(
        List.of(
            "-jar",
            System.getProperty("plateau.jar", "target/plateau.jar"),
            "check",
            logdir.toString(),
            "--format",
            "json"));
    Process process = new ProcessBuilder(command).start();
    byte[] out = process.getInputStream().readAllBytes();
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();

    assertThat(process.exitValue()).as(err).isEqualTo(CheckCommand.EXIT_ERROR);
    assertThat(err)
        .contains("out of memory", "the Java heap is limited to", "JAVA_TOOL_OPTIONS=-Xmx")
        .doesNotContain("\tat ", "Exception in thread");
    assertThat(out).as("nothing on standard output for a JSON reader to misread").isEmpty();
  }
}
