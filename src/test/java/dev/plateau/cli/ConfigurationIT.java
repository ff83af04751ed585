package dev.plateau.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configuration model with a real {@code plateau watch} process: a setting from a flag wins
 * over its variable, which wins over the file; a misspelt variable, the Slack URL's two names at
 * once and an HTTP address in use stop start-up with exit 2; SIGHUP stops cleanly with exit 0; the
 * log format is read in any case.
 */
@Timeout(180)
class ConfigurationIT {
  @TempDir Path temp;

  /** {@code java -jar plateau.jar watch LOGDIR} and {@code more}, with no setting on it. */
  private ProcessBuilder watch(Map<String, String> env, String... more) throws IOException {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                System.getProperty("plateau.jar", "target/plateau.jar"),
                "watch",
                logdir.toString()));
    command.addAll(List.of(more));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(k -> k.startsWith("PLATEAU_"));
    builder.environment().putAll(env);
    return builder;
  }

  private Path file(String yaml) throws IOException {
    return Files.writeString(temp.resolve("plateau.yaml"), yaml);
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return socket.isConnected();
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void theHttpAddressComesFromTheFlagOverTheVariableOverTheFile() throws Exception {
    int fromFile = WatchProcess.freePort();
    int fromVariable = WatchProcess.freePort();
    int fromFlag = WatchProcess.freePort();
    Path state = temp.resolve("state-from-file");
    Path config =
        file(
            "daemon:\n  poll_interval: 100ms\nstate:\n  dir: "
                + state
                + "\nhttp:\n  address: 127.0.0.1:"
                + fromFile
                + "\n");
    Map<String, String> env =
        Map.of(
            "PLATEAU_CONFIG",
            config.toString(),
            "PLATEAU_HTTP_ADDRESS",
            "127.0.0.1:" + fromVariable);

    try (WatchProcess fileOnly =
        WatchProcess.start(watch(Map.of("PLATEAU_CONFIG", config.toString())), fromFile)) {
      fileOnly.await("/healthz on the file's address", () -> fileOnly.status("/healthz") == 200);
      try (Stream<Path> files = Files.list(state)) {
        assertThat(files.map(p -> p.getFileName().toString()))
            .as("state.dir from the file")
            .anyMatch(n -> n.startsWith("state-") && n.endsWith(".db"));
      }
      assertThat(fileOnly.stop()).isZero();
    }
    try (WatchProcess variable = WatchProcess.start(watch(env), fromVariable)) {
      variable.await(
          "/healthz on the variable's address", () -> variable.status("/healthz") == 200);
      assertThat(listening(fromFile)).as("the file's address is not used").isFalse();
      assertThat(variable.stop()).isZero();
    }
    try (WatchProcess flag =
        WatchProcess.start(watch(env, "--http", "127.0.0.1:" + fromFlag), fromFlag)) {
      flag.await("/healthz on the flag's address", () -> flag.status("/healthz") == 200);
      assertThat(listening(fromVariable)).as("the variable's address is not used").isFalse();
      assertThat(flag.stop()).isZero();
    }
  }

  @Test
  void anHttpAddressInUseStopsStartUpWithExitTwoNamingTheAddress() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String address = "127.0.0.1:" + taken.getLocalPort();
      try (WatchProcess second =
          WatchProcess.start(
              watch(Map.of(), "--state-dir", temp.resolve("s").toString(), "--http", address),
              taken.getLocalPort())) {
        assertThat(second.awaitExit()).as(second.output()).isEqualTo(2);
        assertThat(second.output()).contains("cannot serve HTTP on " + address, "--http off");
      }
    }
  }

  @Test
  void sighupStopsWatchCleanlyWithExitZeroAndSaysItDoesNotReload() throws Exception {
    int port = WatchProcess.freePort();
    try (WatchProcess daemon =
        WatchProcess.start(
            watch(
                Map.of(),
                "--state-dir",
                temp.resolve("s").toString(),
                "--http",
                "127.0.0.1:" + port),
            port)) {
      daemon.await("serving", () -> daemon.status("/healthz") == 200);
      Process hup = new ProcessBuilder("kill", "-HUP", Long.toString(daemon.pid())).start();
      assertThat(hup.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(daemon.awaitExit()).as(daemon.output()).isZero();
      assertThat(daemon.output()).contains("SIGHUP", "the configuration is not reloaded");
    }
  }

  @Test
  void aMisspeltVariableStopsWatchWithExitTwoAndASuggestion() throws Exception {
    try (WatchProcess daemon =
        WatchProcess.start(
            watch(Map.of("PLATEAU_DETECTION_PLATEAU_MIN_DETLA", "0.1"), "--http", "off"), 0)) {
      assertThat(daemon.awaitExit()).isEqualTo(2);
      assertThat(daemon.output())
          .contains(
              "environment variable PLATEAU_DETECTION_PLATEAU_MIN_DETLA: unknown key",
              "did you mean PLATEAU_DETECTION_PLATEAU_MIN_DELTA?");
    }
  }

  @Test
  void theSlackUrlsTwoVariableNamesTogetherStopWatchNamingBoth() throws Exception {
    String secret = "https://hooks.slack.com/services/T/B/SECRET5";
    try (WatchProcess daemon =
        WatchProcess.start(
            watch(
                Map.of("PLATEAU_SLACK_WEBHOOK", secret, "PLATEAU_SLACK_URL", secret),
                "--http",
                "off"),
            0)) {
      assertThat(daemon.awaitExit()).isEqualTo(2);
      assertThat(daemon.output())
          .contains("PLATEAU_SLACK_WEBHOOK and PLATEAU_SLACK_URL are both set")
          .doesNotContain("SECRET5");
    }
  }

  @Test
  void aLowerCaseJsonLogFormatLogsJsonAndTheFlagWinsOverIt() throws Exception {
    Map<String, String> env = Map.of("PLATEAU_LOG_FORMAT", "json");
    String[] settings = {"--state-dir", temp.resolve("s").toString(), "--http", "off"};
    try (WatchProcess json = WatchProcess.start(watch(env, settings), 0)) {
      json.await(
          "a JSON line saying what it watches",
          () -> !json.lines("\"formattedMessage\":\"watching").isEmpty());
      assertThat(json.lines("watching").get(0)).startsWith("{").contains("\"level\":\"INFO\"");
      assertThat(json.stop()).isZero();
    }
    String[] text = {
      "--state-dir", temp.resolve("s").toString(), "--http", "off", "--log-format", "TEXT"
    };
    try (WatchProcess lines = WatchProcess.start(watch(env, text), 0)) {
      lines.await(
          "a text line saying what it watches", () -> !lines.lines(" - watching").isEmpty());
      assertThat(lines.lines(" - watching").get(0))
          .matches(
              "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO  WatchCommand - watching .*");
      assertThat(lines.stop()).isZero();
    }
  }
}
