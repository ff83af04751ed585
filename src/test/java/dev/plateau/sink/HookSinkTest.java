package dev.plateau.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plateau.detect.Status;
import dev.plateau.testing.ShellScripts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link HookSink} running real shell scripts written by the test. */
class HookSinkTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Run names a shell would act on if it ever read them. */
  private static final List<String> HOSTILE =
      List.of("$(touch x)", "`touch x`", "a; touch x", "b && touch x | cat > x", "q'\"\\$HOME");

  @Test
  void hostileRunNamesReachTheCommandVerbatimAndNoShellActsOnThem(@TempDir Path temp)
      throws Exception {
    Path script =
        ShellScripts.write(
            temp,
            "seen.sh",
            "printf '%s' \"$PLATEAU_RUN\" > \"$OUT/run-$PLATEAU_VERDICT_ID\"",
            "cat > \"$OUT/stdin-$PLATEAU_VERDICT_ID\"",
            "printf '%s|%s|%s|%s|%s|%s' \"$PLATEAU_EXPERIMENT\" \"$PLATEAU_TAG\" \"$PLATEAU_STATUS\""
                + " \"$PLATEAU_BEST_STEP\" \"$PLATEAU_BEST_VALUE\" \"$PLATEAU_LOGDIR\""
                + " > \"$OUT/vars-$PLATEAU_VERDICT_ID\"",
            "env > \"$OUT/env-$PLATEAU_VERDICT_ID\"");
    Path out = Files.createDirectories(temp.resolve("out"));
    HookSink sink =
        sink(
            settings("seen", List.of(script.toString()), Duration.ofSeconds(30))
                .withEnv(Map.of("OUT", out.toString())),
            Map.of("PATH", System.getenv("PATH"), "PLATEAU_WEBHOOK_SECRET", "whsec_daemons"),
            temp);
    for (int i = 0; i < HOSTILE.size(); i++) {
      String run = HOSTILE.get(i);
      DeliveryOutcome outcome = sink.deliver(alert("v" + i, run, temp));
      assertThat(outcome).as(run).isInstanceOf(DeliveryOutcome.Delivered.class);
      assertThat(read(out.resolve("run-v" + i))).as("PLATEAU_RUN").isEqualTo(run);
      JsonNode stdin = JSON.readTree(read(out.resolve("stdin-v" + i)));
      assertThat(stdin.path("run").asText()).as("the payload on stdin").isEqualTo(run);
      assertThat(stdin.path("id").asText()).isEqualTo("v" + i);
      assertThat(read(out.resolve("vars-v" + i)))
          .isEqualTo(run + "|val_loss|converged|42|0.125|" + temp.resolve("logs"));
      assertThat(read(out.resolve("env-v" + i)))
          .as("the daemon's own PLATEAU_ variables are not the command's")
          .doesNotContain("whsec_daemons");
    }
    assertThat(temp.resolve("x")).doesNotExist();
    assertThat(Path.of("x")).doesNotExist();
  }

  @Test
  void exit75IsTriedAgainLaterWithWhatTheCommandSaid(@TempDir Path temp) throws Exception {
    Path script = ShellScripts.write(temp, "busy.sh", "echo 'queue is full, later' >&2", "exit 75");
    DeliveryOutcome outcome =
        sink(settings("busy", List.of(script.toString()), Duration.ofSeconds(30)), env(), temp)
            .deliver(alert("v1", "run", temp));
    assertThat(outcome).isInstanceOf(DeliveryOutcome.RetryLater.class);
    assertThat(((DeliveryOutcome.RetryLater) outcome).reason())
        .contains("exit 75")
        .contains("queue is full, later");
  }

  @Test
  void otherExitsFailForGoodWithTheEndOfTheOutputAndConfiguredSecretsMasked(@TempDir Path temp)
      throws Exception {
    Path script =
        ShellScripts.write(
            temp,
            "fails.sh",
            "i=0; while [ $i -lt 2000 ]; do echo \"line $i of noise\"; i=$((i+1)); done",
            "echo \"denied for token $API_TOKEN\" >&2",
            "exit 3");
    DeliveryOutcome outcome =
        sink(
                settings("fails", List.of(script.toString()), Duration.ofSeconds(30))
                    .withEnv(Map.of("API_TOKEN", "tok-s3cr3t-value")),
                env(),
                temp)
            .deliver(alert("v1", "run", temp));
    assertThat(outcome).isInstanceOf(DeliveryOutcome.Rejected.class);
    String reason = ((DeliveryOutcome.Rejected) outcome).reason();
    assertThat(reason)
        .contains("exit 3")
        .contains("denied for token ***")
        .doesNotContain("tok-s3cr3t-value")
        .doesNotContain("line 5 of noise")
        .contains("bytes before]");
    assertThat(reason.length()).isLessThan(HookSettings.DEFAULT_MAX_OUTPUT_BYTES + 200);
  }

  @Test
  void aMissingProgramFailsForGood(@TempDir Path temp) throws Exception {
    DeliveryOutcome outcome =
        sink(
                settings(
                    "missing",
                    List.of(temp.resolve("no-such-program").toString()),
                    Duration.ofSeconds(30)),
                env(),
                temp)
            .deliver(alert("v1", "run", temp));
    assertThat(outcome).isInstanceOf(DeliveryOutcome.Rejected.class);
  }

  @Test
  void aCommandPastItsTimeoutIsKilledWithItsChildrenAndOrphansAndTriedAgain(@TempDir Path temp)
      throws Exception {
    Path script =
        ShellScripts.write(
            temp,
            "hangs.sh",
            // A child in the background, an orphan (its parent subshell exits at once, so it is no
            // longer the command's descendant), then the command itself hangs.
            "sleep 300 & echo $! > \"$OUT/child\"",
            "( sleep 300 & echo $! > \"$OUT/orphan\" )",
            "echo started",
            "sleep 300");
    Path out = Files.createDirectories(temp.resolve("out"));
    HookSink sink =
        sink(
            settings("hangs", List.of(script.toString()), Duration.ofSeconds(2))
                .withEnv(Map.of("OUT", out.toString())),
            env(),
            temp);
    long started = System.nanoTime();
    DeliveryOutcome outcome = sink.deliver(alert("v1", "run", temp));
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertThat(outcome).isInstanceOf(DeliveryOutcome.RetryLater.class);
    assertThat(((DeliveryOutcome.RetryLater) outcome).reason())
        .contains("killed with its process group")
        .contains("started");
    assertThat(took).isLessThan(Duration.ofSeconds(15));
    for (String which : List.of("child", "orphan")) {
      long pid = Long.parseLong(read(out.resolve(which)).strip());
      Awaitility.await(which + " " + pid + " gone")
          .atMost(Duration.ofSeconds(10))
          .until(() -> !alive(pid));
    }
  }

  @Test
  void slotsBoundTheCommandsRunningAtOnce(@TempDir Path temp) throws Exception {
    Path running = Files.createDirectories(temp.resolve("running"));
    Path counts = temp.resolve("counts");
    Path script =
        ShellScripts.write(
            temp,
            "count.sh",
            "touch \"$RUNNING/$$\"",
            "ls \"$RUNNING\" | wc -l >> \"$COUNTS\"",
            "sleep 0.4",
            "rm \"$RUNNING/$$\"");
    CommandSlots slots = new CommandSlots(3);
    Map<String, String> vars = Map.of("RUNNING", running.toString(), "COUNTS", counts.toString());
    HookSink a =
        new HookSink(
            settings("a", List.of(script.toString()), Duration.ofSeconds(30)).withEnv(vars),
            slots,
            env());
    HookSink b =
        new HookSink(
            settings("b", List.of(script.toString()), Duration.ofSeconds(30)).withEnv(vars),
            slots,
            env());
    List<Thread> threads = new java.util.ArrayList<>();
    List<DeliveryOutcome> outcomes =
        java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    for (int i = 0; i < 12; i++) {
      HookSink sink = i % 2 == 0 ? a : b;
      Alert alert = alert("v" + i, "run-" + i, temp);
      Thread t =
          new Thread(
              () -> {
                try {
                  outcomes.add(sink.deliver(alert));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join(60_000);
    }
    assertThat(outcomes).hasSize(12).allMatch(o -> o instanceof DeliveryOutcome.Delivered);
    List<Integer> seen =
        Files.readAllLines(counts).stream().map(String::strip).map(Integer::parseInt).toList();
    assertThat(seen).hasSize(12);
    assertThat(seen.stream().mapToInt(Integer::intValue).max().orElse(0))
        .as("processes running at once, as each counted them")
        .isLessThanOrEqualTo(3);
    assertThat(slots.running()).isZero();
  }

  // --- helpers

  private static boolean alive(long pid) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    return handle.isPresent() && handle.get().isAlive();
  }

  private static Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", System.getenv("PATH"));
    return env;
  }

  private static HookSink sink(HookSettings settings, Map<String, String> inherited, Path temp) {
    return new HookSink(settings, new CommandSlots(4), inherited);
  }

  private static Settings settings(String name, List<String> command, Duration timeout) {
    return new Settings(name, command, timeout, Map.of());
  }

  /** Test settings with an environment added. */
  private record Settings(
      String name, List<String> command, Duration timeout, Map<String, String> env) {
    HookSettings withEnv(Map<String, String> vars) {
      return new HookSettings(
          name, command, StatusFilter.ALL, timeout, vars, HookSettings.DEFAULT_MAX_OUTPUT_BYTES);
    }
  }

  private static HookSink sink(Settings settings, Map<String, String> inherited, Path temp) {
    return sink(settings.withEnv(Map.of()), inherited, temp);
  }

  static Alert alert(String id, String run, Path temp) {
    ObjectNode payload = JSON.createObjectNode();
    payload.put("run", run);
    payload.put("tag", "val_loss");
    payload.put("status", "converged");
    payload.put("best_step", 42);
    payload.put("best_value", 0.125);
    payload.put("reason", "no gain; " + run);
    payload.put("logdir", temp.resolve("logs").toString());
    payload.put("experiment", run);
    payload.put("id", id);
    return new Alert(id, run, Status.CONVERGED, payload);
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
