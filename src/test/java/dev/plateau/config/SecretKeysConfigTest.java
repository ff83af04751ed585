package dev.plateau.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Secrets in the configuration: each has a {@code _file} twin (also as a variable), a key and its
 * twin together are refused, and a file that is not valid YAML is reported by line and column
 * without quoting the line, which may be the one holding a secret.
 */
class SecretKeysConfigTest {
  static final String SECRET = "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTIzNA==";

  @Test
  void fileTwinsAreReadFromTheFileAndFromVariables() throws Exception {
    PlateauConfig fromFile =
        ConfigLoader.parse(
            "webhook:\n  secret_file: /run/secrets/sign\n  urls_file: /run/secrets/urls\n"
                + "slack:\n  url_file: /run/secrets/slack\n",
            "f.yaml",
            Map.of());
    assertThat(fromFile.alerts().webhookSecretFile()).isEqualTo("/run/secrets/sign");
    assertThat(fromFile.alerts().webhookUrlsFile()).isEqualTo("/run/secrets/urls");
    assertThat(fromFile.alerts().slackUrlFile()).isEqualTo("/run/secrets/slack");
    PlateauConfig fromEnv =
        ConfigLoader.parse(
            "",
            "f.yaml",
            Map.of(
                "PLATEAU_WEBHOOK_SECRET_FILE", "/s/sign",
                "PLATEAU_WEBHOOK_URLS_FILE", "/s/a,b",
                "PLATEAU_SLACK_URL_FILE", "/s/slack"));
    assertThat(fromEnv.alerts().webhookSecretFile()).isEqualTo("/s/sign");
    assertThat(fromEnv.alerts().webhookUrlsFile()).as("a path, not a list").isEqualTo("/s/a,b");
    assertThat(fromEnv.alerts().slackUrlFile()).isEqualTo("/s/slack");
    assertThat(PlateauConfig.defaults().alerts().webhookSecretFile()).isNull();
  }

  @Test
  void aSecretAndItsFileTwinTogetherAreRefusedNamingBothButNotTheSecret() {
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    "webhook:\n  secret: " + SECRET + "\n  secret_file: /s\n", "f.yaml", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("webhook.secret_file")
        .hasMessageContaining("webhook.secret;")
        .hasMessageNotContaining(SECRET);
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    "slack:\n  url_file: /s\n",
                    "f.yaml",
                    Map.of("PLATEAU_SLACK_URL", "https://hooks.slack.com/services/T/B/x")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("slack.url_file")
        .hasMessageNotContaining("services/T/B/x");
  }

  @Test
  void invalidYamlIsReportedByLineAndColumnWithoutQuotingTheFile() {
    String[] broken = {
      "webhook:\n  secret: \"" + SECRET + "\n",
      "webhook:\n  secret: " + SECRET + ": x\n",
      "webhook:\n  urls: [https://hooks.example.com/" + SECRET + "\n slack: {\n",
      "webhook:\n  secret: " + SECRET + "\n\tstatuses: [all]\n",
    };
    for (String text : broken) {
      assertThatThrownBy(() -> ConfigLoader.parse(text, "f.yaml", Map.of()))
          .as(text)
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("f.yaml: not valid YAML: ")
          .hasMessageMatching("(?s).*\\(line \\d+, column \\d+\\).*")
          .hasMessageNotContaining(SECRET.substring(6, 20))
          .hasNoCause();
    }
  }
}
