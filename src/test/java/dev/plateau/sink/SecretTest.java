package dev.plateau.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretTest {
  private static final String SLACK_URL =
      "https://hooks.slack.com/services/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";

  @TempDir Path dir;

  @Test
  void urlIsMaskedToSchemeAndHost() {
    Secret secret = Secret.fromValue(SLACK_URL);

    assertThat(secret).hasToString("https://hooks.slack.com/***");
    assertThat(secret.reveal()).isEqualTo(SLACK_URL);
  }

  @Test
  void otherSecretsAreMaskedEntirely() {
    assertThat(Secret.fromValue("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).hasToString("whsec_***");
    assertThat(Secret.fromValue("hunter2hunter2")).hasToString("***");
  }

  @Test
  void recordsHoldingSecretsDoNotPrintThem() {
    SinkSettings settings = SinkSettings.of("slack", Secret.fromValue(SLACK_URL));

    assertThat(settings.toString()).doesNotContain("ZxYwVuTsRqPoNmLkJiHgFeDc", "T0AAAAAAA");
    assertThat(new SlackSink(settings, java.time.Clock.systemUTC()).toString())
        .isEqualTo("SlackSink[slack (https://hooks.slack.com)]");
  }

  @Test
  void fromEnvReadsTheVariableAndNamesItInErrorsOnly() {
    Map<String, String> env = Map.of("SLACK_URL", SLACK_URL, "EMPTY", "  ");

    Secret secret = Secret.fromEnv("SLACK_URL", env::get);

    assertThat(secret.reveal()).isEqualTo(SLACK_URL);
    assertThat(secret.source()).isEqualTo("the environment variable SLACK_URL");
    assertThatThrownBy(() -> Secret.fromEnv("MISSING", env::get))
        .isInstanceOf(SinkConfigException.class)
        .hasMessageContaining("MISSING")
        .hasMessageContaining("not set");
    assertThatThrownBy(() -> Secret.fromEnv("EMPTY", env::get))
        .isInstanceOf(SinkConfigException.class)
        .hasMessageContaining("EMPTY is empty");
  }

  @Test
  void fromFileDropsTheTrailingLineBreak() throws Exception {
    Path file = dir.resolve("slack-url");
    Files.writeString(file, SLACK_URL + "\r\n", StandardCharsets.UTF_8);

    Secret secret = Secret.fromFile(file);

    assertThat(secret.reveal()).isEqualTo(SLACK_URL);
    assertThat(secret.source()).contains(file.toString());
  }

  @Test
  void fromFileErrorsNameTheFileButNotItsContent() throws Exception {
    Path missing = dir.resolve("nope");
    assertThatThrownBy(() -> Secret.fromFile(missing))
        .isInstanceOf(SinkConfigException.class)
        .hasMessageContaining(missing.toString());

    Path blank = dir.resolve("blank");
    Files.writeString(blank, "\n");
    assertThatThrownBy(() -> Secret.fromFile(blank)).hasMessageContaining("is empty");

    Path big = dir.resolve("big");
    Files.writeString(big, "s3cr3t".repeat(20_000));
    assertThatThrownBy(() -> Secret.fromFile(big))
        .hasMessageContaining("larger than")
        .hasMessageNotContaining("s3cr3t");
  }

  @Test
  void urlFromAnEnvironmentVariableThatIsNotAUrlIsRefusedNamingTheVariable() {
    Secret notUrl = Secret.fromEnv("SLACK_URL", n -> "hooks.slack.com/services/T0/B0/SeCrEtToKeN");

    assertThatThrownBy(() -> SinkSettings.of("slack", notUrl))
        .isInstanceOf(SinkConfigException.class)
        .hasMessageContaining("slack")
        .hasMessageContaining("SLACK_URL")
        .hasMessageNotContaining("SeCrEtToKeN");
  }
}
