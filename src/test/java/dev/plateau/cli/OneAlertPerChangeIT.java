package dev.plateau.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plateau.write.EventFileWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code alerts.cooldown} with the real jar, a live writer and a real receiver: a run that
 * converges, trains again for a point whose gain is within the noise and converges again gets one
 * message; a genuine new best, then a divergence, are news, each sent as it happens with the status
 * the experiment last settled on as {@code previous_status}, its transition count and the time of
 * the message before.
 */
class OneAlertPerChangeIT {
  private static final String CONFIG =
      """
      detection:
        detectors: [patience, divergence]
        patience:
          patience: 5
          min_delta: 0
      """;

  @Test
  void aFlapWithinTheNoiseIsOneMessageAndEveryChangeThatMattersIsSentAsItHappens(@TempDir Path temp)
      throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    Path config = Files.writeString(temp.resolve("plateau.yaml"), CONFIG);
    try (FlakyReceiver receiver = new FlakyReceiver();
        WatchProcess watch =
            WatchProcess.start(
                List.of(),
                logdir,
                temp.resolve("state"),
                "--config",
                config.toString(),
                "--webhook",
                receiver.url());
        EventFileWriter w =
            EventFileWriter.create(
                logdir.resolve("live"), System.currentTimeMillis() / 1000.0, "live", 0)) {
      watch.await("the first scan", () -> watch.status("/readyz") == 200);

      // Learns, then five points without a new best: converged.
      for (int t = 0; t < 10; t++) {
        write(w, t, 1.0 - 0.05 * t);
      }
      write(w, 10, 0.56, 0.57, 0.56, 0.58, 0.56, 0.57);
      watch.await("the first convergence sent", () -> acknowledged(receiver).size() == 1);
      JsonNode first = acknowledged(receiver).get(0);
      assertThat(first.path("status").asText()).isEqualTo("converged");
      assertThat(first.path("previous_status").asText()).isEqualTo("training");
      assertThat(first.path("transitions").asLong()).isEqualTo(1);
      assertThat(first.get("last_message_time").isNull()).isTrue();

      // A new best by 0.002, within the noise: training, then converged again: not sent again.
      write(w, 16, 0.548);
      awaitStatus(watch, "training");
      write(w, 17, 0.56, 0.57, 0.56, 0.58, 0.56);
      watch.await(
          "the second convergence recorded, not sent",
          () -> !watch.lines("recorded and flagged, not sent again").isEmpty());

      // A new best by 0.25: news.
      write(w, 22, 0.30);
      awaitStatus(watch, "training");
      write(w, 23, 0.31, 0.32, 0.31, 0.33, 0.31);
      watch.await("the better convergence sent", () -> acknowledged(receiver).size() == 2);
      JsonNode better = acknowledged(receiver).get(1);
      assertThat(better.path("status").asText()).isEqualTo("converged");
      assertThat(better.path("best_step").asLong()).isEqualTo(22);
      assertThat(better.path("previous_status").asText())
          .as("the status last recorded, not the training in between")
          .isEqualTo("converged");
      assertThat(better.path("transitions").asLong()).isEqualTo(5);
      assertThat(better.path("last_message_time").asText()).isEqualTo(first.path("time").asText());

      // Diverges: another status, sent at once.
      write(w, 28, Double.NaN);
      watch.await("the divergence sent", () -> acknowledged(receiver).size() == 3);
      JsonNode diverged = acknowledged(receiver).get(2);
      assertThat(diverged.path("status").asText()).isEqualTo("diverged");
      assertThat(diverged.path("previous_status").asText()).isEqualTo("converged");
      assertThat(diverged.path("last_message_time").asText())
          .isEqualTo(better.path("time").asText());

      long after = watch.rounds();
      watch.await("three more rounds", () -> watch.rounds() >= after + 3);
      assertThat(receiver.answers())
          .as("three messages, each with its own id, none sent twice")
          .hasSize(3)
          .extracting(FlakyReceiver.Answer::id)
          .doesNotHaveDuplicates();
      assertThat(watch.stop()).isZero();
    }
  }

  /** Writes {@code values} at steps from {@code first}, now, and flushes them. */
  private static void write(EventFileWriter w, int first, double... values) throws Exception {
    double now = System.currentTimeMillis() / 1000.0;
    for (int i = 0; i < values.length; i++) {
      w.simpleValue("val_loss", first + i, now, (float) values[i]);
    }
    w.flush();
  }

  /** Waits until the daemon has judged the live series {@code status} (and committed it). */
  private static void awaitStatus(WatchProcess watch, String status) {
    watch.await(
        "the live series " + status,
        () -> watch.series("live", "val_loss").path("status").asText().equals(status));
  }

  private static List<JsonNode> acknowledged(FlakyReceiver receiver) {
    return receiver.answers().stream()
        .filter(FlakyReceiver.Answer::acknowledged)
        .map(FlakyReceiver.Answer::verdict)
        .toList();
  }
}
