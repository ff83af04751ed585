package dev.plateau.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plateau.config.ConfigLoader;
import dev.plateau.config.PlateauConfig;
import dev.plateau.detect.Status;
import dev.plateau.sink.Alert;
import dev.plateau.sink.AlertSink;
import dev.plateau.sink.DeliveryOutcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/slurm} as shipped: its configuration loads with the real loader, and its hook,
 * run for a verdict about a run with a hostile name, gives {@code scancel} (a stand-in on the PATH
 * that records its arguments) exactly the job id Slurm set, and nothing of the run's name.
 */
class SlurmExampleTest {
  private static final Path EXAMPLE = Path.of("examples/slurm");

  @Test
  void theExampleConfigurationLoadsWithOneScancelHookForTheStopStatuses() throws Exception {
    PlateauConfig config = ConfigLoader.load(EXAMPLE.resolve("plateau.yaml"));
    assertThat(config.hooks().commands())
        .singleElement()
        .satisfies(
            h -> {
              assertThat(h.name()).isEqualTo("scancel");
              assertThat(h.statuses())
                  .containsExactly("converged", "target_reached", "diverged", "overfitting");
            });
    assertThat(Files.readString(EXAMPLE.resolve("train.sbatch")))
        .contains("plateau watch \"$LOGDIR\"")
        .contains("examples/slurm/plateau.yaml");
  }

  @Test
  void theExampleHookCancelsTheJobSlurmNamedWhateverTheRunIsCalled(@TempDir Path temp)
      throws Exception {
    Path bin = Files.createDirectories(temp.resolve("bin"));
    Path calls = temp.resolve("scancel-calls");
    Path scancel = bin.resolve("scancel");
    Files.writeString(
        scancel,
        "#!/bin/sh\nfor a in \"$@\"; do printf '[%s]' \"$a\"; done >> '"
            + calls
            + "'\necho >> '"
            + calls
            + "'\n",
        StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(scancel, PosixFilePermissions.fromString("rwx------"));
    PlateauConfig config = ConfigLoader.load(EXAMPLE.resolve("plateau.yaml"));
    Map<String, String> batchEnvironment =
        Map.of(
            "PATH", bin + ":" + System.getenv("PATH"),
            "SLURM_JOB_ID", "4242",
            "PLATEAU_CONFIG", "/not/for/hooks");
    List<AlertSink> hooks =
        new SinkOptions().hooks(config.hooks(), config.detection().stops(), batchEnvironment);
    String run = "$(touch x); `touch y`; 99";
    ObjectNode payload = new ObjectMapper().createObjectNode();
    payload.put("run", run);
    payload.put("status", "converged");
    payload.put("best_step", 17);
    DeliveryOutcome outcome =
        hooks.get(0).deliver(new Alert("msg_1", run, Status.CONVERGED, payload));
    assertThat(outcome).isInstanceOf(DeliveryOutcome.Delivered.class);
    assertThat(Files.readAllLines(calls)).containsExactly("[4242]");
    assertThat(hooks.get(0).accepts(Status.STALLED)).isFalse();
    assertThat(temp.resolve("x")).doesNotExist();
    assertThat(Path.of("x")).doesNotExist();
    assertThat(Path.of("y")).doesNotExist();
  }
}
