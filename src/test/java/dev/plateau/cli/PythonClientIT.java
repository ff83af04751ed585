package dev.plateau.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The Python package {@code python/plateau_client}: its own {@code unittest} suite, run against
 * flag files the real jar writes, including a real PyTorch training loop stopped by a running
 * daemon (skipped by the suite, saying why, where torch cannot be imported).
 */
class PythonClientIT {

  @Test
  void thePythonClientsTestsPassAgainstTheRealDaemon() throws Exception {
    Path python = pythonWithUnittest();
    Path jar = Path.of(System.getProperty("plateau.jar", "target/plateau.jar")).toAbsolutePath();
    Path log = Files.createTempFile("python-client", ".log");
    ProcessBuilder builder =
        new ProcessBuilder(
                List.of(
                    python.toString(),
                    "-m",
                    "unittest",
                    "discover",
                    "-v",
                    "-s",
                    "tests",
                    "-t",
                    "."))
            .directory(Path.of("python").toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("PLATEAU_JAR", jar.toString());
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().put("LC_ALL", "C.UTF-8");
    Process process = builder.start();
    boolean ended = process.waitFor(10, TimeUnit.MINUTES);
    if (!ended) {
      process.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    Files.deleteIfExists(log);
    assertThat(ended).as(output).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).contains("OK").doesNotContain("FAILED");
    assertThat(output)
        .containsPattern(
            "test_a_converged_keras_experiment_is_found_from_its_own_and_its_split_directories [^\\n]*\\.\\.\\. ok");
    if (output.contains("torch cannot be imported")) {
      System.out.println(
          "PythonClientIT: the PyTorch end-to-end test was skipped: torch cannot be imported");
    } else {
      assertThat(output)
          .containsPattern(
              "test_the_loop_stops_within_a_few_epochs_of_the_verdict_and_reloads_the_best_checkpoint [^\\n]*\\.\\.\\. ok");
    }
  }

  /** Debian's python3 (where python3-torch installs torch), else the first on the PATH. */
  private static Path pythonWithUnittest() throws IOException {
    for (String candidate : List.of("/usr/bin/python3", "/usr/local/bin/python3")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return Path.of(candidate);
      }
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path p = Path.of(dir, "python3");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    Assumptions.abort("no python3 on this machine");
    throw new IOException("unreachable");
  }
}
