package dev.plateau.config;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The {@code alerts}, {@code webhook}, {@code slack} and {@code flags} sections: where verdicts go.
 * URLs and the signing secret are secrets: prefer environment variables or files for them (the
 * command line and {@code plateau config --print} mask them). Each secret key has a {@code _file}
 * twin naming a file that holds the value (a mounted Kubernetes or Docker secret); setting both is
 * an error.
 *
 * @param webhookUrls generic webhook URLs ({@code webhook.urls})
 * @param webhookSecret Standard Webhooks signing secret, {@code whsec_...} ({@code
 *     webhook.secret}), or null
 * @param webhookStatuses statuses sent to webhooks ({@code webhook.statuses}; default all but
 *     training)
 * @param slackUrl Slack incoming-webhook URL ({@code slack.url}), or null
 * @param slackStatuses statuses sent to Slack ({@code slack.statuses})
 * @param flagDir where flag files go when the logdir is read-only ({@code flags.dir}), or null
 * @param flagTemplate the flag file's path template ({@code flags.template})
 * @param flagsEnabled whether flag files are written ({@code flags.enabled})
 * @param removeOnTraining whether a flag is removed when the status returns to training
 * @param webhookSecretFile a file holding the signing secret ({@code webhook.secret_file}), or null
 * @param webhookUrlsFile a file holding webhook URLs, one a line ({@code webhook.urls_file}), or
 *     null
 * @param slackUrlFile a file holding the Slack URL ({@code slack.url_file}), or null
 * @param ignoreOlder an experiment whose newest point is older than this is not alerted on ({@code
 *     alerts.ignore_older}; zero: every transition is)
 * @param cooldown after a message, the same status is not sent again for the same experiment within
 *     this unless its best improved beyond the noise ({@code alerts.cooldown}; zero: every change
 *     is)
 */
public record AlertsConfig(
    List<String> webhookUrls,
    @Nullable String webhookSecret,
    List<String> webhookStatuses,
    @Nullable String slackUrl,
    List<String> slackStatuses,
    @Nullable String flagDir,
    String flagTemplate,
    boolean flagsEnabled,
    boolean removeOnTraining,
    @Nullable String webhookSecretFile,
    @Nullable String webhookUrlsFile,
    @Nullable String slackUrlFile,
    Duration ignoreOlder,
    Duration cooldown) {
  static final Set<String> ALERT_KEYS = Set.of("ignore_older", "cooldown");

  /**
   * An experiment whose newest point is older than this gets its verdicts recorded, shown and
   * flagged, but no message: what is read from a backlog is history, not news.
   */
  public static final Duration DEFAULT_IGNORE_OLDER = Duration.ofHours(1);

  /**
   * How long after a message an experiment's return to the same status (after some training in
   * between) is not sent again, unless its best improved beyond the noise.
   */
  public static final Duration DEFAULT_COOLDOWN = Duration.ofHours(1);

  static final Set<String> WEBHOOK_KEYS =
      Set.of("urls", "urls_file", "secret", "secret_file", "statuses");
  static final Set<String> SLACK_KEYS = Set.of("url", "url_file", "statuses");
  static final Set<String> FLAG_KEYS = Set.of("dir", "template", "enabled", "remove_on_training");
  static final List<String> DEFAULT_STATUSES =
      List.of("converged", "target_reached", "diverged", "overfitting", "stalled");

  public AlertsConfig {
    webhookUrls = List.copyOf(webhookUrls);
    webhookStatuses = List.copyOf(webhookStatuses);
    slackStatuses = List.copyOf(slackStatuses);
  }

  public static AlertsConfig defaults() {
    return new AlertsConfig(
        List.of(),
        null,
        DEFAULT_STATUSES,
        null,
        DEFAULT_STATUSES,
        null,
        "{experiment}/{STATUS}",
        true,
        true,
        null,
        null,
        null,
        DEFAULT_IGNORE_OLDER,
        DEFAULT_COOLDOWN);
  }

  /** Whether an experiment whose newest point is {@code age} old is history (no message). */
  public boolean isHistory(Duration age) {
    return !ignoreOlder.isZero() && age.compareTo(ignoreOlder) > 0;
  }

  static AlertsConfig parse(
      ConfigNode alerts, ConfigNode webhook, ConfigNode slack, ConfigNode flags)
      throws ConfigException {
    alerts.allowOnly(ALERT_KEYS);
    webhook.allowOnly(WEBHOOK_KEYS);
    slack.allowOnly(SLACK_KEYS);
    flags.allowOnly(FLAG_KEYS);
    oneOf(webhook, "secret");
    oneOf(slack, "url");
    AlertsConfig d = defaults();
    return new AlertsConfig(
        webhook.get("urls").stringList(List.of()),
        webhook.get("secret").string(null),
        statuses(webhook.get("statuses")),
        slack.get("url").string(null),
        statuses(slack.get("statuses")),
        flags.get("dir").string(null),
        flags.get("template").string(d.flagTemplate()),
        flags.get("enabled").bool(true),
        flags.get("remove_on_training").bool(true),
        webhook.get("secret_file").string(null),
        webhook.get("urls_file").string(null),
        slack.get("url_file").string(null),
        durationOrOff(alerts.get("ignore_older"), DEFAULT_IGNORE_OLDER),
        durationOrOff(alerts.get("cooldown"), DEFAULT_COOLDOWN));
  }

  /** {@code alerts.ignore_older} or {@code alerts.cooldown}: a duration, or 0 / off for none. */
  private static Duration durationOrOff(ConfigNode node, Duration byDefault)
      throws ConfigException {
    if (node.raw() instanceof String text && text.strip().equalsIgnoreCase("off")) {
      return Duration.ZERO;
    }
    double seconds = node.durationSeconds(byDefault.toSeconds());
    if (!(seconds >= 0) || seconds > 1e12) {
      throw node.error("must be a duration of 0 (off) or more, e.g. 1h");
    }
    return Duration.ofMillis(Math.round(seconds * 1000));
  }

  /** A secret is given as a value or as a file, not both (which would win is a guess). */
  private static void oneOf(ConfigNode section, String key) throws ConfigException {
    ConfigNode file = section.get(key + "_file");
    if (!section.get(key).isMissing() && !file.isMissing()) {
      throw file.error("is set, and so is " + section.get(key).path() + "; set only one of them");
    }
  }

  private static List<String> statuses(ConfigNode node) throws ConfigException {
    List<String> names = node.stringList(DEFAULT_STATUSES);
    List<String> allowed =
        List.of(
            "all",
            "training",
            "converged",
            "target_reached",
            "diverged",
            "overfitting",
            "stalled",
            "not_learning",
            "lagging");
    for (String name : names) {
      if (!allowed.contains(name)) {
        throw node.error("unknown status '" + name + "'; allowed: " + String.join(", ", allowed));
      }
    }
    return names;
  }
}
