package dev.plateau.config;

import java.util.Set;

/**
 * The whole configuration. Sections: {@code detection} and {@code rules} (see {@link
 * DetectionConfig}), where verdicts go ({@link AlertsConfig}), and how the daemon runs ({@link
 * DaemonConfig}, {@link HttpConfig}, {@link LogConfig}); {@link Settings} lists every key.
 *
 * @param detection what is watched and how it is judged
 * @param alerts where verdicts go (webhooks, Slack, flag files)
 * @param daemon how {@code watch} runs ({@code daemon} and {@code state} sections)
 * @param http the status server ({@code http})
 * @param log logging ({@code log})
 * @param hooks commands run on a verdict ({@code hooks})
 * @param objectStore how {@code s3://} logdirs are read ({@code object_store})
 */
public record PlateauConfig(
    DetectionConfig detection,
    AlertsConfig alerts,
    DaemonConfig daemon,
    HttpConfig http,
    LogConfig log,
    HooksConfig hooks,
    ObjectStoreConfig objectStore) {
  static final Set<String> KEYS =
      Set.of(
          "detection",
          "rules",
          "alerts",
          "webhook",
          "slack",
          "flags",
          "daemon",
          "state",
          "http",
          "log",
          "hooks",
          "object_store");

  /** The defaults, as with an empty file. */
  public static PlateauConfig defaults() {
    return new PlateauConfig(
        DetectionConfig.defaults(),
        AlertsConfig.defaults(),
        DaemonConfig.defaults(),
        HttpConfig.defaults(),
        LogConfig.defaults(),
        HooksConfig.defaults(),
        ObjectStoreConfig.defaults());
  }

  static PlateauConfig parse(ConfigNode root) throws ConfigException {
    if (!root.isMissing() && !root.isMap()) {
      throw root.error("the configuration must be a mapping of sections");
    }
    root.allowOnly(KEYS);
    return new PlateauConfig(
        DetectionConfig.parse(root.get("detection"), root.get("rules")),
        AlertsConfig.parse(
            root.get("alerts"), root.get("webhook"), root.get("slack"), root.get("flags")),
        DaemonConfig.parse(root.get("daemon"), root.get("state")),
        HttpConfig.parse(root.get("http")),
        LogConfig.parse(root.get("log")),
        HooksConfig.parse(root.get("hooks")),
        ObjectStoreConfig.parse(root.get("object_store")));
  }
}
