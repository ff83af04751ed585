package dev.plateau.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Options over variables over the file over the defaults, for the daemon's settings as for the
 * detection keys; misspelt variables and keys stop loading with a suggestion; the Slack URL has one
 * variable name; durations are read the same way in every form.
 */
class VariablesAndLayersTest {
  @TempDir Path temp;

  private PlateauConfig load(String yaml, Map<String, String> env, Map<String, Object> options)
      throws Exception {
    Path file = Files.writeString(temp.resolve("p.yaml"), yaml);
    return ConfigLoader.load(file, env, options);
  }

  @Test
  void anOptionWinsOverAVariableWhichWinsOverTheFileWhichWinsOverTheDefault() throws Exception {
    String yaml =
        "daemon:\n  poll_interval: 5s\n  park_after: 5m\n  checkpoint_interval: 10s\n"
            + "http:\n  address: 127.0.0.1:7001\n";
    Map<String, String> env =
        Map.of("PLATEAU_DAEMON_PARK_AFTER", "7m", "PLATEAU_DAEMON_CHECKPOINT_INTERVAL", "20s");
    Map<String, Object> options = Map.of("daemon.checkpoint_interval", "40s");
    PlateauConfig config = load(yaml, env, options);
    assertThat(config.daemon().pollInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.daemon().parkAfter()).isEqualTo(Duration.ofMinutes(7));
    assertThat(config.daemon().checkpointInterval()).isEqualTo(Duration.ofSeconds(40));
    assertThat(config.daemon().judgeThreads()).isZero();
    assertThat(config.http().address()).isEqualTo("127.0.0.1:7001");

    Map<String, EffectiveValue> shown =
        ConfigLoader.effective(temp.resolve("p.yaml"), env, options).stream()
            .collect(Collectors.toMap(v -> v.setting().key(), Function.identity()));
    assertThat(shown.get("daemon.poll_interval").origin())
        .isEqualTo("file " + temp.resolve("p.yaml"));
    assertThat(shown.get("daemon.park_after").origin())
        .isEqualTo("environment variable PLATEAU_DAEMON_PARK_AFTER");
    assertThat(shown.get("daemon.checkpoint_interval").origin())
        .isEqualTo("option --checkpoint-interval");
    assertThat(shown.get("daemon.checkpoint_interval").value()).isEqualTo("40s");
    assertThat(shown.get("daemon.judge_threads").origin()).isEqualTo(EffectiveValue.DEFAULT);
    assertThat(shown.get("daemon.judge_threads").value()).isEqualTo("auto");
    assertThat(shown.get("detection.plateau.min_delta").value()).isEqualTo(0.02);
  }

  @Test
  void compoundDurationsAreReadByEveryKeyVariableAndOption() throws Exception {
    PlateauConfig config =
        load(
            "daemon:\n  poll_interval: 1m30s\nalerts:\n  ignore_older: 1h30m\n",
            Map.of(
                "PLATEAU_DAEMON_PARK_AFTER", "1m30s", "PLATEAU_DETECTION_STALLED_AFTER", "2h15m"),
            Map.of("daemon.checkpoint_interval", "1m 30s"));
    assertThat(config.daemon().pollInterval()).isEqualTo(Duration.ofSeconds(90));
    assertThat(config.daemon().parkAfter()).isEqualTo(Duration.ofSeconds(90));
    assertThat(config.daemon().checkpointInterval()).isEqualTo(Duration.ofSeconds(90));
    assertThat(config.alerts().ignoreOlder()).isEqualTo(Duration.ofMinutes(90));
    assertThat(
            DetectorSpecs.stalled(
                    config.detection().plan("r", "val_loss").orElseThrow().params().get("stalled"))
                .afterSeconds())
        .isEqualTo(8100);
  }

  @Test
  void aBadDaemonValueNamesWhereItCameFrom() {
    assertThatThrownBy(() -> load("", Map.of(), Map.of("daemon.poll_interval", "5ms")))
        .hasMessageContaining("option --poll-interval (daemon.poll_interval)")
        .hasMessageContaining("at least 10ms");
    assertThatThrownBy(() -> load("", Map.of("PLATEAU_DAEMON_JUDGE_THREADS", "many"), Map.of()))
        .hasMessageContaining("environment variable PLATEAU_DAEMON_JUDGE_THREADS")
        .hasMessageContaining("not a whole number");
  }

  @Test
  void aMisspeltVariableStopsLoadingAndSuggestsTheSetting() {
    assertThatThrownBy(
            () -> load("", Map.of("PLATEAU_DETECTION_PLATEAU_MIN_DETLA", "0.1"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("environment variable PLATEAU_DETECTION_PLATEAU_MIN_DETLA")
        .hasMessageContaining("unknown key")
        .hasMessageContaining("did you mean PLATEAU_DETECTION_PLATEAU_MIN_DELTA?");
    assertThatThrownBy(() -> load("", Map.of("PLATEAU_DETECTON_WATCH", "all"), Map.of()))
        .hasMessageContaining("did you mean PLATEAU_DETECTION_WATCH?");
    assertThatThrownBy(() -> load("", Map.of("PLATEAU_HTTP_PORT", "9000"), Map.of()))
        .hasMessageContaining("environment variable PLATEAU_HTTP_PORT: unknown key");
  }

  @Test
  void variablesOfTheToolsAroundPlateauAreNotSettingsAndPass() throws Exception {
    PlateauConfig config =
        load(
            "",
            Map.of(
                "PLATEAU_CONFIG", "/elsewhere.yaml",
                "PLATEAU_JAR", "target/plateau.jar",
                "PLATEAU_SHARED", "../shared",
                "PLATEAU_FLAG_DIR", "/flags",
                "PLATEAU_LOGDIR", "/logs",
                "PLATEAU_JAVA_OPTS", "-Xmx1g",
                "PLATEAU_VERDICT_STATUS", "converged"),
            Map.of());
    assertThat(config.alerts()).isEqualTo(AlertsConfig.defaults());
  }

  @Test
  void aMisspeltKeyOfTheFileSuggestsTheKey() {
    assertThatThrownBy(() -> load("daemon:\n  pol_interval: 5s\n", Map.of(), Map.of()))
        .hasMessageContaining("daemon.pol_interval: unknown key; did you mean poll_interval?");
    assertThatThrownBy(
            () -> load("detection:\n  plateau:\n    min_detla: 0.1\n", Map.of(), Map.of()))
        .hasMessageContaining("did you mean min_delta?");
  }

  @Test
  void theOldSlackVariableIsReadWithAWarningAndNeverBesideTheNewOne() throws Exception {
    String url = "https://hooks.slack.com/services/T/B/old";
    assertThat(load("", Map.of("PLATEAU_SLACK_WEBHOOK", url), Map.of()).alerts().slackUrl())
        .isEqualTo(url);
    assertThat(ConfigLoader.deprecations(Map.of("PLATEAU_SLACK_WEBHOOK", url)))
        .singleElement()
        .asString()
        .contains("PLATEAU_SLACK_WEBHOOK is deprecated", "PLATEAU_SLACK_URL");
    assertThat(ConfigLoader.deprecations(Map.of("PLATEAU_SLACK_URL", url))).isEmpty();
    for (String now : List.of("PLATEAU_SLACK_URL", "PLATEAU_SLACK_URL_FILE")) {
      assertThatThrownBy(() -> load("", Map.of("PLATEAU_SLACK_WEBHOOK", url, now, "x"), Map.of()))
          .hasMessageContaining("PLATEAU_SLACK_WEBHOOK and " + now + " are both set")
          .hasMessageNotContaining(url);
    }
  }

  @Test
  void anOptionForASecretFileReplacesTheSecretFromBelow() throws Exception {
    PlateauConfig config =
        load(
            "http:\n  token: from-the-file-0123456789\n",
            Map.of(),
            Map.of("http.token_file", "/run/secrets/token"));
    assertThat(config.http().token()).isNull();
    assertThat(config.http().tokenFile()).isEqualTo("/run/secrets/token");
  }

  @Test
  void logLevelAndFormatAreReadInAnyCaseAndAnUnknownOneIsRefused() throws Exception {
    PlateauConfig config =
        load("", Map.of("PLATEAU_LOG_FORMAT", "json", "PLATEAU_LOG_LEVEL", "debug"), Map.of());
    assertThat(config.log()).isEqualTo(new LogConfig("DEBUG", LogFormat.JSON));
    assertThat(load("log:\n  format: Text\n", Map.of(), Map.of()).log().format())
        .isEqualTo(LogFormat.TEXT);
    assertThat(load("", Map.of(), Map.of()).log()).isEqualTo(LogConfig.defaults());
    assertThatThrownBy(() -> load("", Map.of("PLATEAU_LOG_FORMAT", "xml"), Map.of()))
        .hasMessageContaining("environment variable PLATEAU_LOG_FORMAT (log.format)")
        .hasMessageContaining("'xml' is not a log format; allowed (any case): text, json");
    assertThatThrownBy(() -> load("log:\n  level: loud\n", Map.of(), Map.of()))
        .hasMessageContaining("log.level")
        .hasMessageContaining("'loud' is not a log level");
  }

  @Test
  void aWebhookOptionIsOneMoreReceiverBesideTheVariablesUrls() throws Exception {
    Map<String, String> env = Map.of("PLATEAU_WEBHOOK_URLS", "https://a.example.com/1");
    Map<String, Object> options = Map.of("webhook.urls", List.of("https://b.example.com/2"));
    AlertsConfig alerts = load("webhook:\n  urls_file: /run/secrets/urls\n", env, options).alerts();
    assertThat(alerts.webhookUrls())
        .containsExactly("https://a.example.com/1", "https://b.example.com/2");
    assertThat(alerts.webhookUrlsFile()).isEqualTo("/run/secrets/urls");
    EffectiveValue shown =
        ConfigLoader.effective(temp.resolve("p.yaml"), env, options).stream()
            .filter(v -> v.setting().key().equals("webhook.urls"))
            .findFirst()
            .orElseThrow();
    assertThat(shown.origin())
        .isEqualTo("option --webhook and environment variable PLATEAU_WEBHOOK_URLS");
  }
}
