package dev.plateau.cli;

import dev.plateau.config.AlertsConfig;
import dev.plateau.config.HttpConfig;
import dev.plateau.sink.Secret;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where {@code plateau watch} takes each secret from, and which source wins when several are given:
 * flags over environment variables over the configuration file, as for every setting. The
 * configuration's values already include their options and {@code PLATEAU_...} variables ({@code
 * PLATEAU_WEBHOOK_URLS}, {@code PLATEAU_WEBHOOK_SECRET}, {@code PLATEAU_SLACK_URL}, {@code
 * PLATEAU_HTTP_TOKEN} and the {@code _FILE} twins). Values are read into {@link Secret}s, whose
 * errors name the source, never the content.
 */
final class SecretSources {
  static final String HTTP_TOKEN = "PLATEAU_HTTP_TOKEN";
  static final String HTTP_TOKEN_FILE = "PLATEAU_HTTP_TOKEN_FILE";

  private final Map<String, String> environment;

  SecretSources(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  /**
   * {@code webhook.urls} (from {@code --webhook}, {@code PLATEAU_WEBHOOK_URLS} or the file), then
   * the lines of {@code webhook.urls_file}: each URL once, however many places name it (two sinks
   * for one URL would deliver every verdict twice).
   */
  List<Secret> webhookUrls(AlertsConfig alerts) {
    List<Secret> all = new ArrayList<>();
    for (String url : alerts.webhookUrls()) {
      all.add(Secret.fromValue(url));
    }
    if (alerts.webhookUrlsFile() != null) {
      all.addAll(Secret.linesOf(Path.of(alerts.webhookUrlsFile())));
    }
    Set<String> seen = new LinkedHashSet<>();
    List<Secret> out = new ArrayList<>();
    for (Secret url : all) {
      if (seen.add(url.reveal().strip())) {
        out.add(url);
      }
    }
    return out;
  }

  /**
   * The signing secret: {@code webhook.secret_file}, else {@code webhook.secret}; null when none is
   * set. Each from its option, variable or the file; the configuration refuses both at once.
   */
  Secret signingSecret(AlertsConfig alerts) {
    if (alerts.webhookSecretFile() != null) {
      return Secret.fromFile(Path.of(alerts.webhookSecretFile()));
    }
    if (alerts.webhookSecret() != null) {
      return fromConfigOrEnv(alerts.webhookSecret(), "PLATEAU_WEBHOOK_SECRET");
    }
    return null;
  }

  /**
   * The Slack URL: {@code slack.url_file}, else {@code slack.url} (from {@code --slack-url}, {@code
   * PLATEAU_SLACK_URL}, its deprecated name {@code PLATEAU_SLACK_WEBHOOK}, or the file); null when
   * none is set.
   */
  Secret slackUrl(AlertsConfig alerts) {
    if (alerts.slackUrlFile() != null) {
      return Secret.fromFile(Path.of(alerts.slackUrlFile()));
    }
    if (alerts.slackUrl() != null) {
      return fromConfigOrEnv(alerts.slackUrl(), "PLATEAU_SLACK_URL");
    }
    return null;
  }

  /**
   * The token for the status page and {@code /api/*}: {@code http.token_file}, else {@code
   * http.token}, each from its option, variable or the file; null when none is set. The
   * configuration refuses both from the same layer: which was meant is a guess.
   */
  Secret httpToken(HttpConfig http) {
    if (http.tokenFile() != null) {
      return Secret.fromFile(Path.of(http.tokenFile()));
    }
    if (http.token() != null) {
      return fromConfigOrEnv(http.token(), HTTP_TOKEN);
    }
    return null;
  }

  /** A configured value, named after its variable when that is where it came from. */
  private Secret fromConfigOrEnv(String value, String variable) {
    return value.equals(environment.get(variable))
        ? Secret.fromEnv(variable, environment::get)
        : Secret.fromValue(value);
  }
}
