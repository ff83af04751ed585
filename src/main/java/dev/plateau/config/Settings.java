package dev.plateau.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every setting of Plateau, the one table that the loader, the environment variables, the
 * command-line flags, {@code plateau config --print} and the documentation's table are checked
 * against: a key of the YAML file, its {@code PLATEAU_...} variable (derived from the key by {@link
 * Setting#variableOf}) and, for the daemon's settings, a flag of {@code watch} and {@code config}.
 * The keys come from the sections' own key sets, so a key added to a section is a setting at once
 * (and fails the documentation test until it is documented).
 */
public final class Settings {
  /** The sections in the order they are documented and printed. */
  static final List<String> SECTIONS =
      List.of(
          "daemon",
          "state",
          "http",
          "log",
          "detection",
          "alerts",
          "webhook",
          "slack",
          "flags",
          "hooks",
          "object_store");

  /** The settings that also have a command-line flag, by key. */
  private static final Map<String, String> FLAGS =
      Map.ofEntries(
          Map.entry("daemon.poll_interval", "--poll-interval"),
          Map.entry("daemon.park_after", "--park-after"),
          Map.entry("daemon.checkpoint_interval", "--checkpoint-interval"),
          Map.entry("daemon.judge_threads", "--judge-threads"),
          Map.entry("daemon.poll_only", "--poll-only"),
          Map.entry("state.dir", "--state-dir"),
          Map.entry("http.address", "--http"),
          Map.entry("http.token", "--http-token"),
          Map.entry("http.token_file", "--http-token-file"),
          Map.entry("http.tensorboard_url", "--tensorboard-url"),
          Map.entry("log.level", "--log-level"),
          Map.entry("log.format", "--log-format"),
          Map.entry("webhook.urls", "--webhook"),
          Map.entry("webhook.urls_file", "--webhook-urls-file"),
          Map.entry("webhook.secret_file", "--webhook-secret-file"),
          Map.entry("slack.url", "--slack-url"),
          Map.entry("slack.url_file", "--slack-url-file"),
          Map.entry("flags.dir", "--flag-dir"));

  /** The keys whose value is a list. */
  private static final Set<String> LISTS =
      Set.of(
          "detection.detectors",
          "detection.sweeps",
          "detection.schedule.tags",
          "detection.schedule.ignore_tags",
          "webhook.urls",
          "webhook.statuses",
          "slack.statuses",
          "hooks.commands");

  /** Last parts of keys that hold secrets: URLs (their paths are credentials), secrets, tokens. */
  private static final Set<String> SECRET_NAMES = Set.of("secret", "url", "urls", "token");

  private Settings() {}

  /** Every setting, in documentation order: by section, then by key. */
  public static List<Setting> all() {
    Map<String, Set<String>> keys = new TreeMap<>();
    keys.put("daemon", DaemonConfig.DAEMON_KEYS);
    keys.put("state", DaemonConfig.STATE_KEYS);
    keys.put("http", HttpConfig.KEYS);
    keys.put("log", LogConfig.KEYS);
    Set<String> detection = new TreeSet<>(DetectionConfig.KEYS);
    detection.removeAll(DetectorSpecs.NAMES);
    detection.remove("sweep");
    for (String key : SweepConfig.KEYS) {
      detection.add("sweep." + key);
    }
    detection.remove("schedule");
    for (String key : ScheduleConfig.KEYS) {
      detection.add("schedule." + key);
    }
    for (String detector : DetectorSpecs.NAMES) {
      for (String key : DetectorSpecs.keysOf(detector)) {
        detection.add(detector + "." + key);
      }
    }
    keys.put("detection", detection);
    keys.put("alerts", AlertsConfig.ALERT_KEYS);
    keys.put("webhook", AlertsConfig.WEBHOOK_KEYS);
    keys.put("slack", AlertsConfig.SLACK_KEYS);
    keys.put("flags", AlertsConfig.FLAG_KEYS);
    keys.put("hooks", HooksConfig.KEYS);
    keys.put("object_store", ObjectStoreConfig.KEYS);
    List<Setting> out = new ArrayList<>();
    for (String section : SECTIONS) {
      for (String key : new TreeSet<>(keys.get(section))) {
        String path = section + "." + key;
        String last = key.substring(key.lastIndexOf('.') + 1);
        out.add(
            new Setting(path, FLAGS.get(path), LISTS.contains(path), SECRET_NAMES.contains(last)));
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** The setting of {@code key}, if it is one. */
  public static Optional<Setting> byKey(String key) {
    return all().stream().filter(s -> s.key().equals(key)).findFirst();
  }

  /** The setting a flag sets, if it sets one. */
  public static Optional<Setting> byFlag(String flag) {
    return all().stream().filter(s -> flag.equals(s.flag())).findFirst();
  }
}
