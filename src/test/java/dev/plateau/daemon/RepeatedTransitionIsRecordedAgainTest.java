package dev.plateau.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.config.ConfigLoader;
import dev.plateau.config.PlateauConfig;
import dev.plateau.detect.Status;
import dev.plateau.sink.Secret;
import dev.plateau.sink.SinkSettings;
import dev.plateau.sink.WebhookSink;
import dev.plateau.state.StateStore;
import dev.plateau.write.EventFileWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An experiment that reaches the same status twice (converged, trained again, converged again) has
 * each transition recorded and queued for the sinks, not the second dropped as a duplicate.
 */
class RepeatedTransitionIsRecordedAgainTest {

  /**
   * The alert id is a function of what the verdict says, the step at which the experiment entered
   * its status among it. With two validation series, a second, genuine convergence of the
   * experiment (after it trained again) is entered with the series that converged last: were it
   * attributed to the first series and its old step, it would get the first verdict's id, and
   * INSERT OR IGNORE would drop it: never recorded, never sent. Its best improved well beyond the
   * noise, so the cooldown does not hold it back either.
   */
  @Test
  void aSecondConvergenceOfAnExperimentIsRecordedAndQueued(@TempDir Path temp) throws Exception {
    PlateauConfig config =
        ConfigLoader.parse(
            "detection:\n  detectors: [patience]\n  patience:\n    patience: 3\n    min_delta: 0\n",
            "test");
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    Clock clock = Clock.systemUTC();
    double start = clock.millis() / 1000.0 - 500;
    WebhookSink sink =
        new WebhookSink(
            SinkSettings.of("webhook-1", Secret.fromValue("http://127.0.0.1:9/")), null, clock);
    try (StateStore store = StateStore.open(temp.resolve("state.db"), false, clock);
        EventFileWriter w =
            EventFileWriter.create(logdir.resolve("exp/validation"), start, "t", 0)) {
      Watcher watcher =
          new Watcher(logdir, config, store, List.of(sink), FlagApplier.NONE, clock, "h");
      watcher.restore();
      float[] a = {1.0f, 0.9f, 0.8f, 0.8f, 0.8f, 0.8f, 0.8f};
      for (int t = 0; t < a.length; t++) {
        w.simpleValue("loss_a", t, start + t, a[t]);
        w.simpleValue("loss_b", t, start + t, a[t]);
      }
      w.flush();
      watcher.poll();
      assertThat(store.experiments().get("exp").status()).isEqualTo(Status.CONVERGED);
      // loss_b improves again (exp trains), then stops improving again (exp converges again).
      w.simpleValue("loss_a", 7, start + 7, 0.8f);
      w.simpleValue("loss_b", 7, start + 7, 0.5f);
      w.flush();
      watcher.poll();
      assertThat(store.experiments().get("exp").status()).isEqualTo(Status.TRAINING);
      for (int t = 8; t < 14; t++) {
        w.simpleValue("loss_a", t, start + t, 0.8f);
        w.simpleValue("loss_b", t, start + t, 0.5f);
      }
      w.flush();
      watcher.poll();
      assertThat(store.experiments().get("exp").status()).isEqualTo(Status.CONVERGED);
      assertThat(store.outboxCounts().get("pending"))
          .as("both convergences are queued for the webhook")
          .isEqualTo(2L);
    }
  }
}
