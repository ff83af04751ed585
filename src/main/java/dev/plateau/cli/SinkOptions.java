package dev.plateau.cli;

import dev.plateau.config.AlertsConfig;
import dev.plateau.config.HooksConfig;
import dev.plateau.detect.Status;
import dev.plateau.detect.StopPolicy;
import dev.plateau.sink.AlertSink;
import dev.plateau.sink.CommandSlots;
import dev.plateau.sink.HookSettings;
import dev.plateau.sink.HookSink;
import dev.plateau.sink.Secret;
import dev.plateau.sink.SinkConfigException;
import dev.plateau.sink.SinkSettings;
import dev.plateau.sink.SlackSink;
import dev.plateau.sink.StatusFilter;
import dev.plateau.sink.WebhookSink;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

  /** The variable that gives {@code --on-verdict} when the option is not given. */
  static final String ON_VERDICT_VARIABLE = "PLATEAU_ON_VERDICT";

  @Option(
      names = "--on-verdict",
      paramLabel = "COMMAND",
      description =
          "Run this command on each verdict that stops a job (a hook; more in the config's hooks"
              + " section; or PLATEAU_ON_VERDICT). Split into words at spaces, with '...', \"...\" and \\"
              + " keeping text together; no shell reads it. The verdict comes on standard input (JSON)"
              + " and as PLATEAU_* variables; exit 75 asks to run again later.")
  String onVerdict;

  /**
   * A {@link HookSink} per configured hook, then one for {@code --on-verdict} (or {@code
   * PLATEAU_ON_VERDICT}), all sharing {@code hooks.max_concurrent} slots. Hooks without a name are
   * named {@code hook-} and a hash of their words, so pending runs stay with their command.
   *
   * @param environment the daemon's environment: {@code PLATEAU_ON_VERDICT} is read from it and
   *     commands inherit it (without its {@code PLATEAU_*} variables)
   * @throws SinkConfigException for words that cannot be split, or two hooks of one name
   */
  List<AlertSink> hooks(HooksConfig hooks, StopPolicy stops, Map<String, String> environment) {
    List<HookSettings> all = new ArrayList<>();
    for (HooksConfig.Hook hook : hooks.commands()) {
      all.add(
          new HookSettings(
              hook.name() == null ? hookName(hook.command()) : hook.name(),
              hook.command(),
              hook.statuses() == null ? stopStatuses(stops) : StatusFilter.parse(hook.statuses()),
              hook.timeout(),
              hook.env(),
              HookSettings.DEFAULT_MAX_OUTPUT_BYTES));
    }
    String text = onVerdict != null ? onVerdict : environment.get(ON_VERDICT_VARIABLE);
    if (text != null && !text.isBlank()) {
      String source = onVerdict != null ? "--on-verdict" : ON_VERDICT_VARIABLE;
      List<String> words;
      try {
        words = CommandWords.split(text);
      } catch (IllegalArgumentException e) {
        throw new SinkConfigException(source + ": " + e.getMessage());
      }
      all.add(
          new HookSettings(
              hookName(words),
              words,
              stopStatuses(stops),
              HooksConfig.DEFAULT_TIMEOUT,
              Map.of(),
              HookSettings.DEFAULT_MAX_OUTPUT_BYTES));
    }
    CommandSlots slots = new CommandSlots(hooks.maxConcurrent());
    Set<String> names = new HashSet<>();
    List<AlertSink> out = new ArrayList<>();
    for (HookSettings hook : all) {
      if (!names.add(hook.name())) {
        throw new SinkConfigException(
            "two hooks are named " + hook.name() + " (the same command twice?); name them apart");
      }
      out.add(new HookSink(hook, slots, environment));
    }
    return out;
  }

  private static String hookName(List<String> words) {
    return "hook-" + ShortHash.of(String.join("\u0000", words));
  }

  /** The statuses that stop a job under {@code stops}. */
  private static StatusFilter stopStatuses(StopPolicy stops) {
    EnumSet<Status> set = EnumSet.noneOf(Status.class);
    for (Status s : Status.values()) {
      if (stops.stops(s)) {
        set.add(s);
      }
    }
    return new StatusFilter(set);
  }

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
