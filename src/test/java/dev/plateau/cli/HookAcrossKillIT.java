package dev.plateau.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.write.EventFileWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hook with the real jar: {@code plateau watch} is killed with SIGKILL while the hook runs for a
 * verdict, then started again on the same state. Delivery is at least once, so the hook starts
 * again for the same verdict id; the hook is written as a user would write one, idempotent by
 * {@code PLATEAU_VERDICT_ID} (an atomic {@code mkdir}), and its effect happens exactly once. The
 * run's name is hostile: it reaches the hook verbatim and no shell acts on it.
 */
class HookAcrossKillIT {
  private static final String RUN = "$(touch x); `touch y` && touch z";

  @Test
  void aVerdictsHookSucceedsExactlyOnceAcrossASigkillOfTheDaemonInTheMiddleOfIt(@TempDir Path temp)
      throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    Path out = Files.createDirectories(temp.resolve("out"));
    Path log = out.resolve("log");
    Path gate = out.resolve("go");
    Path hook =
        script(
            temp.resolve("stop-job.sh"),
            "echo \"start $PLATEAU_VERDICT_ID\" >> \"$OUT/log\"",
            // Hold the hook until the test lets it go, so the daemon dies in the middle of it.
            "while [ ! -e \"$OUT/go\" ]; do sleep 0.05; done",
            // Idempotent by verdict id: mkdir succeeds for one run only, however many start.
            "if mkdir \"$OUT/effect-$PLATEAU_VERDICT_ID\" 2>/dev/null; then",
            "  printf '%s' \"$PLATEAU_RUN\" > \"$OUT/effect-$PLATEAU_VERDICT_ID/run\"",
            "  echo \"effect $PLATEAU_VERDICT_ID\" >> \"$OUT/log\"",
            "else",
            "  echo \"already $PLATEAU_VERDICT_ID\" >> \"$OUT/log\"",
            "fi");
    Path config = temp.resolve("plateau.yaml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "hooks:",
            "  commands:",
            "    - name: stop-job",
            "      command: [\"" + hook + "\"]",
            "      timeout: 2m",
            "      env:",
            "        OUT: \"" + out + "\"",
            ""),
        StandardCharsets.UTF_8);
    writeConvergingRun(logdir.resolve(RUN));
    Path state = temp.resolve("state");

    try (WatchProcess first =
        WatchProcess.start(List.of(), logdir, state, "--config", config.toString())) {
      first.await("the hook started", () -> lines(log, "start").size() == 1);
      ProcessHandle.of(first.pid()).orElseThrow().destroyForcibly();
      assertThat(first.awaitExit()).as("killed by SIGKILL").isEqualTo(137);
    }
    assertThat(lines(log, "effect")).as("nothing done while the hook was held").isEmpty();

    try (WatchProcess second =
        WatchProcess.start(List.of(), logdir, state, "--config", config.toString())) {
      second.await(
          "the hook started again after the restart", () -> lines(log, "start").size() == 2);
      Files.createFile(gate);
      second.await(
          "the verdict delivered",
          () ->
              !second.lines("stop-job: delivered").isEmpty()
                  && lines(log, "effect").size() + lines(log, "already").size() == 2);
      long rounds = second.rounds();
      second.await("three more rounds", () -> second.rounds() >= rounds + 3);

      List<String> starts = lines(log, "start");
      String verdictId = starts.get(0).substring("start ".length());
      assertThat(starts).as("the same verdict both times").containsOnly("start " + verdictId);
      assertThat(lines(log, "effect"))
          .as("one successful completion per verdict id")
          .containsExactly("effect " + verdictId);
      assertThat(second.lines("stop-job: delivered")).hasSize(1);
      assertThat(second.get("/metrics"))
          .as("/metrics counts the hook's deliveries as any sink's")
          .contains("plateau_deliveries_total{outcome=\"delivered\",sink=\"stop-job\"} 1.0");
      assertThat(Files.readString(out.resolve("effect-" + verdictId).resolve("run")))
          .as("the run's name, verbatim")
          .isEqualTo(RUN);
      assertThat(second.stop()).isZero();
    }
    for (String file : List.of("x", "y", "z")) {
      assertThat(temp.resolve(file)).doesNotExist();
      assertThat(Path.of(file)).as("in the daemon's directory").doesNotExist();
    }
    Map<String, Long> byKind =
        Files.readAllLines(log).stream()
            .collect(Collectors.groupingBy(l -> l.split(" ")[0], Collectors.counting()));
    assertThat(byKind).containsEntry("start", 2L).containsEntry("effect", 1L);
  }

  /** A run that converges, written with current wall times (older points are history). */
  private static void writeConvergingRun(Path run) throws IOException {
    double start = System.currentTimeMillis() / 1000.0 - 120;
    try (EventFileWriter w = EventFileWriter.create(run, start, "h", 0)) {
      for (int t = 0; t < 120; t++) {
        w.simpleValue("val_loss", t, start + t, (float) (1 + 8 * Math.exp(-t / 8.0)));
      }
    }
  }

  private static List<String> lines(Path file, String kind) {
    try {
      if (!Files.exists(file)) {
        return List.of();
      }
      return Files.readAllLines(file).stream().filter(l -> l.startsWith(kind + " ")).toList();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path script(Path file, String... lines) throws IOException {
    Files.writeString(
        file, "#!/bin/sh\n" + String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    return file;
  }
}
