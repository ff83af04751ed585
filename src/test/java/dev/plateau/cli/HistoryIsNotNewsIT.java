package dev.plateau.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plateau.testing.SharedFixtures;
import dev.plateau.write.EventFileWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code alerts.ignore_older} with the real jar and a real receiver: pointed at a copy of every
 * shared fixture (finished runs, months old), the daemon records and flags their verdicts but sends
 * nothing; a run written now gets its change sent as it happens, once.
 */
class HistoryIsNotNewsIT {

  @Test
  void finishedRunsAreFlaggedButNotSentWhileALiveRunsChangeIsSentOnce(@TempDir Path temp)
      throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    SharedFixtures.copyEveryFixtureInto(logdir);
    try (FlakyReceiver receiver = new FlakyReceiver();
        WatchProcess watch =
            WatchProcess.start(
                List.of(), logdir, temp.resolve("state"), "--webhook", receiver.url())) {
      watch.await("the first scan", () -> watch.status("/readyz") == 200);
      watch.await(
          "the history recorded and flagged, not sent",
          () -> !watch.lines("recorded and flagged, not sent").isEmpty());
      long after = watch.rounds();
      watch.await("three more rounds", () -> watch.rounds() >= after + 3);
      assertThat(receiver.answers()).as("nothing about history").isEmpty();
      assertThat(flags(logdir)).as("the history's flags are written").isNotEmpty();

      double start = System.currentTimeMillis() / 1000.0 - 120;
      try (EventFileWriter w = EventFileWriter.create(logdir.resolve("live"), start, "live", 0)) {
        for (int t = 0; t < 120; t++) {
          w.simpleValue("val_loss", t, start + t, (float) (1 + 8 * Math.exp(-t / 8.0)));
          if (t % 30 == 29) {
            w.flush(); // written as a job writes it, in pieces
          }
        }
      }
      watch.await(
          "the live run's change sent",
          () -> receiver.answers().stream().anyMatch(FlakyReceiver.Answer::acknowledged));
      long later = watch.rounds();
      watch.await("three more rounds", () -> watch.rounds() >= later + 3);
      assertThat(receiver.answers())
          .as("one message: the live run's convergence")
          .singleElement()
          .satisfies(a -> assertThat(a.verdictStatus()).isEqualTo("converged"));
      assertThat(logdir.resolve("live/CONVERGED")).exists();
      assertThat(watch.stop()).isZero();
    }
  }

  @Test
  void withIgnoreOlderOffEveryExperimentOfTheFixturesGetsOneMessageAtMostFromTraining(
      @TempDir Path temp) throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    SharedFixtures.copyEveryFixtureInto(logdir);
    try (FlakyReceiver receiver = new FlakyReceiver()) {
      int port = WatchProcess.freePort();
      ProcessBuilder command =
          WatchProcess.command(
              List.of(), logdir, temp.resolve("state"), port, "--webhook", receiver.url());
      command.environment().put("PLATEAU_ALERTS_IGNORE_OLDER", "0");
      try (WatchProcess watch = WatchProcess.start(command, port)) {
        watch.await("the first scan", () -> watch.status("/readyz") == 200);
        long after = watch.rounds();
        watch.await("three more rounds", () -> watch.rounds() >= after + 3);
        watch.await("every message delivered", () -> watch.metric("plateau_outbox_pending") == 0);
        Map<String, List<JsonNode>> byExperiment =
            receiver.answers().stream()
                .map(FlakyReceiver.Answer::verdict)
                .collect(Collectors.groupingBy(v -> v.path("experiment").asText()));
        assertThat(byExperiment).as("the history counts as news: messages").isNotEmpty();
        byExperiment.forEach(
            (experiment, messages) -> {
              assertThat(messages).as(experiment).hasSize(1);
              JsonNode message = messages.get(0);
              assertThat(message.path("previous_status").asText())
                  .as(experiment + ": the status it had before, on a first start")
                  .isEqualTo("training");
              assertThat(message.path("transitions").asLong()).as(experiment).isEqualTo(1);
            });
        assertThat(watch.stop()).isZero();
      }
    }
  }

  private static List<Path> flags(Path logdir) throws IOException {
    try (Stream<Path> all = Files.walk(logdir)) {
      return all.filter(p -> p.getFileName().toString().matches("[A-Z_]+")).toList();
    }
  }
}
