package dev.plateau.cli;

import dev.plateau.config.AlertsConfig;
import dev.plateau.sink.Secret;
import dev.plateau.sink.SinkConfigException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where {@code plateau watch} takes each secret from, and which source wins when several are given:
 * flags over environment variables over the configuration file, as for every setting. The
 * configuration's values already include their {@code PLATEAU_...} variables ({@code
 * PLATEAU_WEBHOOK_URLS}, {@code PLATEAU_WEBHOOK_SECRET}, {@code PLATEAU_SLACK_URL} and the {@code
 * _FILE} twins). Values are read into {@link Secret}s, whose errors name the source, never the
 * content.
 */
final class SecretSources {
  static final String HTTP_TOKEN = "PLATEAU_HTTP_TOKEN";
  static final String HTTP_TOKEN_FILE = "PLATEAU_HTTP_TOKEN_FILE";

  private final Map<String, String> environment;

  SecretSources(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  /**
   * Every {@code --webhook}, then {@code webhook.urls} (or {@code PLATEAU_WEBHOOK_URLS}), then the
   * lines of {@code webhook.urls_file}: each URL once, however many places name it (two sinks for
   * one URL would deliver every verdict twice).
   */
  List<Secret> webhookUrls(List<String> flags, AlertsConfig alerts) {
    List<Secret> all = new ArrayList<>();
    for (String url : flags) {
      all.add(Secret.fromValue(url));
    }
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
   * The signing secret: {@code --webhook-secret-file}, else {@code webhook.secret_file} (or {@code
   * PLATEAU_WEBHOOK_SECRET_FILE}), else {@code webhook.secret} (or {@code PLATEAU_WEBHOOK_SECRET});
   * null when none is set.
   */
  Secret signingSecret(Path flagFile, AlertsConfig alerts) {
    if (flagFile != null) {
      return Secret.fromFile(flagFile);
    }
    if (alerts.webhookSecretFile() != null) {
      return Secret.fromFile(Path.of(alerts.webhookSecretFile()));
    }
    if (alerts.webhookSecret() != null) {
      return fromConfigOrEnv(alerts.webhookSecret(), "PLATEAU_WEBHOOK_SECRET");
    }
    return null;
  }

  /**
   * The Slack URL: {@code --slack-webhook}, else {@code PLATEAU_SLACK_WEBHOOK}, else {@code
   * slack.url_file} (or {@code PLATEAU_SLACK_URL_FILE}), else {@code slack.url} (or {@code
   * PLATEAU_SLACK_URL}); null when none is set.
   */
  Secret slackUrl(String flag, AlertsConfig alerts) {
    if (flag != null) {
      return Secret.fromValue(flag);
    }
    if (environment.get("PLATEAU_SLACK_WEBHOOK") != null) {
      return Secret.fromEnv("PLATEAU_SLACK_WEBHOOK", environment::get);
    }
    if (alerts.slackUrlFile() != null) {
      return Secret.fromFile(Path.of(alerts.slackUrlFile()));
    }
    if (alerts.slackUrl() != null) {
      return fromConfigOrEnv(alerts.slackUrl(), "PLATEAU_SLACK_URL");
    }
    return null;
  }

  /**
   * The token for the status page and {@code /api/*}: {@code --http-token-file}, else {@code
   * --http-token}, else {@code PLATEAU_HTTP_TOKEN_FILE}, else {@code PLATEAU_HTTP_TOKEN}; null when
   * none is set. Both flags, or both variables, is an error: which was meant is a guess.
   */
  Secret httpToken(Path flagFile, String flagValue) {
    if (flagFile != null && flagValue != null) {
      throw new SinkConfigException("give --http-token-file or --http-token, not both");
    }
    if (flagFile != null) {
      return Secret.fromFile(flagFile);
    }
    if (flagValue != null) {
      return Secret.fromValue(flagValue);
    }
    String file = environment.get(HTTP_TOKEN_FILE);
    if (file != null && environment.get(HTTP_TOKEN) != null) {
      throw new SinkConfigException(
          "both " + HTTP_TOKEN_FILE + " and " + HTTP_TOKEN + " are set; set only one of them");
    }
    if (file != null) {
      return Secret.fromFile(Path.of(file));
    }
    if (environment.get(HTTP_TOKEN) != null) {
      return Secret.fromEnv(HTTP_TOKEN, environment::get);
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
