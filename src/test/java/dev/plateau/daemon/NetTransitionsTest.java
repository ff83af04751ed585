package dev.plateau.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.config.PlateauConfig;
import dev.plateau.detect.Status;
import dev.plateau.sink.FlagConfig;
import dev.plateau.sink.FlagSink;
import dev.plateau.state.StateBatch;
import dev.plateau.state.StateStore;
import dev.plateau.testing.SharedFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What is recorded (and sent) is an experiment's net change between commits. The real LSTM logdir
 * (`../shared/fixtures/public`): its train and validation runs are twins met late, so they are read
 * again from their files' start in the second round; while they are, the experiment passed through
 * `training` and back to `diverged` within the round, and that used to record (and send) a second
 * `diverged` with a new id.
 */
class NetTransitionsTest {
  static final String EXPERIMENT =
      "LisandroV__LSTM-Deformation-Tracker/final_with_2023_10_20-00_53_37/000/execution0";

  @Test
  void aRunReadAgainThatPassesThroughTrainingRecordsItsDivergenceOnce(@TempDir Path temp)
      throws Exception {
    Path source =
        SharedFixtures.require(
            "fixtures/public/LisandroV__LSTM-Deformation-Tracker/final_with_2023_10_20-00_53_37");
    Path logdir = temp.resolve("logs");
    Path copy =
        logdir.resolve("LisandroV__LSTM-Deformation-Tracker/final_with_2023_10_20-00_53_37");
    try (Stream<Path> files = Files.walk(source)) {
      for (Path p : files.toList()) {
        Path target = copy.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    try (StateStore store = StateStore.open(temp.resolve("state.db"), false, Clock.systemUTC())) {
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
      for (int round = 0; round < 4; round++) {
        watcher.poll();
      }
      Map<String, StateBatch.ExperimentStatus> experiments = store.experiments();
      assertThat(experiments).containsKey(EXPERIMENT);
      assertThat(experiments.get(EXPERIMENT).status()).isEqualTo(Status.DIVERGED);
      assertThat(experiments.get(EXPERIMENT).transitions())
          .as("one transition: training -> diverged")
          .isEqualTo(1);
    }
  }
}
