package dev.plateau.cli;

import dev.plateau.config.AlertsConfig;
import dev.plateau.sink.AlertSink;
import dev.plateau.sink.Secret;
import dev.plateau.sink.SinkConfigException;
import dev.plateau.sink.SinkSettings;
import dev.plateau.sink.SlackSink;
import dev.plateau.sink.StatusFilter;
import dev.plateau.sink.WebhookSink;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code watch}'s options for where verdicts are sent, and the sinks they make with the
 * configuration.
 */
final class SinkOptions {
  @Option(
      names = "--webhook",
      paramLabel = "URL",
      description =
          "POST each verdict here (Standard Webhooks); repeatable; added to webhook.urls. Visible in the process list: prefer --webhook-urls-file or PLATEAU_WEBHOOK_URLS_FILE.")
  List<String> webhooks = new ArrayList<>();

  @Option(
      names = "--webhook-urls-file",
      paramLabel = "FILE",
      description = "File holding more webhook URLs, one a line (webhook.urls_file).")
  Path webhookUrlsFile;

  @Option(
      names = "--webhook-secret-file",
      paramLabel = "FILE",
      description = "File holding the signing secret, whsec_... (webhook.secret_file).")
  Path webhookSecretFile;

  @Option(
      names = {"--slack-url", "--slack-webhook"},
      paramLabel = "URL",
      description =
          "Slack incoming-webhook URL (slack.url, PLATEAU_SLACK_URL). Visible in the process list: prefer --slack-url-file or PLATEAU_SLACK_URL_FILE.")
  String slackUrl;

  @Option(
      names = "--slack-url-file",
      paramLabel = "FILE",
      description = "File holding the Slack URL (slack.url_file).")
  Path slackUrlFile;

  /**
   * A webhook sink per URL and a Slack sink when a Slack URL is given, from the configuration with
   * the options and variables already over it.
   *
   * @throws SinkConfigException when a URL or secret is unusable (the message shows neither)
   */
  List<AlertSink> sinks(AlertsConfig alerts, SecretSources secrets) {
    List<AlertSink> out = new ArrayList<>();
    List<Secret> urls = secrets.webhookUrls(alerts);
    Secret signing = secrets.signingSecret(alerts);
    Clock clock = Clock.systemUTC();
    for (Secret url : urls) {
      // Named by the URL's hash, not its position: pending deliveries stay with their receiver
      // when URLs are added, removed or reordered.
      SinkSettings settings =
          SinkSettings.of("webhook-" + ShortHash.of(url.reveal()), url)
              .withFilter(StatusFilter.parse(alerts.webhookStatuses()));
      out.add(new WebhookSink(settings, signing, clock));
    }
    Secret slack = secrets.slackUrl(alerts);
    if (slack != null) {
      out.add(
          new SlackSink(
              SinkSettings.of("slack-" + ShortHash.of(slack.reveal()), slack)
                  .withFilter(StatusFilter.parse(alerts.slackStatuses())),
              clock));
    }
    return out;
  }
}
