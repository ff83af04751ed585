package dev.plateau.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plateau.config.AlertsConfig;
import dev.plateau.config.ConfigException;
import dev.plateau.config.ConfigLoader;
import dev.plateau.config.PlateauConfig;
import dev.plateau.sink.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which source of each secret {@code plateau watch} uses: flags, then variables, then the file. */
class SecretSourcesTest {
  static final String TOKEN_A = "aaaaaaaaaaaaaaaa-token-from-flag-file";
  static final String TOKEN_B = "bbbbbbbbbbbbbbbb-token-from-flag";
  static final String TOKEN_C = "cccccccccccccccc-token-from-env-file";
  static final String TOKEN_D = "dddddddddddddddd-token-from-env";

  @TempDir Path temp;

  Path file(String name, String content) throws Exception {
    return Files.writeString(temp.resolve(name), content);
  }

  static AlertsConfig alerts(String yaml, Map<String, String> env) throws Exception {
    Path none = null;
    return yaml.isEmpty()
        ? ConfigLoader.load(none, env).alerts()
        : ConfigLoader.parse(yaml, "test.yaml").alerts();
  }

  static PlateauConfig config(Map<String, String> env, Map<String, Object> options)
      throws Exception {
    Path none = null;
    return ConfigLoader.load(none, env, options);
  }

  @Test
  void httpTokenComesFromTheFlagFileThenTheFlagThenTheVariableFileThenTheVariable()
      throws Exception {
    Path flagFile = file("flag-token", TOKEN_A + "\n");
    Path envFile = file("env-token", TOKEN_C + "\n");
    Map<String, String> env = Map.of(SecretSources.HTTP_TOKEN_FILE, envFile.toString());
    Map<String, String> envValue = Map.of(SecretSources.HTTP_TOKEN, TOKEN_D);
    assertThat(token(env, Map.of("http.token_file", flagFile.toString())).reveal())
        .isEqualTo(TOKEN_A);
    assertThat(token(env, Map.of("http.token", TOKEN_B)).reveal()).isEqualTo(TOKEN_B);
    assertThat(token(envValue, Map.of("http.token_file", flagFile.toString())).reveal())
        .isEqualTo(TOKEN_A);
    assertThat(token(env, Map.of()).reveal()).isEqualTo(TOKEN_C);
    Secret fromVariable = token(envValue, Map.of());
    assertThat(fromVariable.reveal()).isEqualTo(TOKEN_D);
    assertThat(fromVariable.source()).contains("PLATEAU_HTTP_TOKEN");
    assertThat(token(Map.of(), Map.of())).isNull();
  }

  private static Secret token(Map<String, String> env, Map<String, Object> options)
      throws Exception {
    return new SecretSources(env).httpToken(config(env, options).http());
  }

  @Test
  void twoTokenFlagsOrTwoTokenVariablesAreAnErrorNotAGuess() throws Exception {
    Path flagFile = file("t", TOKEN_A);
    assertThatThrownBy(
            () ->
                config(
                    Map.of(),
                    Map.of("http.token_file", flagFile.toString(), "http.token", TOKEN_B)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("option --http-token-file")
        .hasMessageContaining("option --http-token (http.token)")
        .hasMessageNotContaining(TOKEN_B);
    Map<String, String> both =
        Map.of(
            SecretSources.HTTP_TOKEN_FILE, flagFile.toString(), SecretSources.HTTP_TOKEN, TOKEN_D);
    assertThatThrownBy(() -> config(both, Map.of()))
        .hasMessageContaining("PLATEAU_HTTP_TOKEN_FILE")
        .hasMessageContaining("PLATEAU_HTTP_TOKEN (http.token)")
        .hasMessageNotContaining(TOKEN_D);
  }

  @Test
  void aWebhookUrlNamedByFlagVariableAndFileIsOneSink() throws Exception {
    String url = "https://hooks.example.com/T0/one";
    Path urls = file("urls", "# receivers\n" + url + "\n\nhttps://hooks.example.com/T0/two\n");
    Map<String, String> env =
        Map.of(
            "PLATEAU_WEBHOOK_URLS",
            url + ",https://hooks.example.com/T0/three",
            "PLATEAU_WEBHOOK_URLS_FILE",
            urls.toString());
    AlertsConfig alerts = alerts("", env);
    List<Secret> found = new SecretSources(env).webhookUrls(alerts);
    assertThat(found)
        .extracting(Secret::reveal)
        .containsExactly(
            url, "https://hooks.example.com/T0/three", "https://hooks.example.com/T0/two");
    assertThat(found.get(2).source()).isEqualTo("line 4 of the secret file " + urls);
  }

  @Test
  void signingSecretAndSlackUrlComeFromTheirFiles() throws Exception {
    Path sign = file("sign", "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTIzNA==\n");
    Path slack = file("slack", "https://hooks.slack.com/services/T/B/fromfile\n");
    AlertsConfig alerts =
        alerts(
            "webhook:\n  secret_file: " + sign + "\nslack:\n  url_file: " + slack + "\n", Map.of());
    SecretSources sources = new SecretSources(Map.of());
    assertThat(sources.signingSecret(alerts).reveal()).startsWith("whsec_c2Vj");
    assertThat(sources.slackUrl(alerts).reveal()).endsWith("/fromfile");
    Map<String, String> env =
        Map.of("PLATEAU_SLACK_URL", "https://hooks.slack.com/services/T/B/env");
    assertThat(sources.slackUrl(config(env, Map.of()).alerts()).reveal()).endsWith("/env");
    assertThat(
            sources
                .slackUrl(
                    config(env, Map.of("slack.url", "https://hooks.slack.com/services/T/B/flag"))
                        .alerts())
                .reveal())
        .endsWith("/flag");
    Path flagSign = file("flag-sign", "whsec_ZmxhZ2ZsYWdmbGFnZmxhZ2ZsYWdmbGFnZmxhZzE=");
    assertThat(
            sources
                .signingSecret(
                    config(Map.of(), Map.of("webhook.secret_file", flagSign.toString())).alerts())
                .reveal())
        .startsWith("whsec_ZmxhZ");
  }

  @Test
  void aSecretFromAVariableIsNamedAfterTheVariable() throws Exception {
    Map<String, String> env = Map.of("PLATEAU_WEBHOOK_SECRET", "whsec_abc");
    assertThat(new SecretSources(env).signingSecret(alerts("", env)).source())
        .contains("PLATEAU_WEBHOOK_SECRET");
  }
}
