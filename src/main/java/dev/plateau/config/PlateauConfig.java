package dev.plateau.config;

import java.util.Set;

/**
 * The whole configuration. Sections: {@code detection} and {@code rules} (see {@link
 * DetectionConfig}); the daemon's sections are added as it grows.
 *
 * @param detection what is watched and how it is judged
 * @param alerts where verdicts go (webhooks, Slack, flag files)
 * @param hooks commands run on a verdict
 */
public record PlateauConfig(DetectionConfig detection, AlertsConfig alerts, HooksConfig hooks) {
  static final Set<String> KEYS =
      Set.of("detection", "rules", "alerts", "webhook", "slack", "flags", "hooks");

  /** A configuration without hooks. */
  public PlateauConfig(DetectionConfig detection, AlertsConfig alerts) {
    this(detection, alerts, HooksConfig.defaults());
  }

  /** The defaults, as with an empty file. */
  public static PlateauConfig defaults() {
    return new PlateauConfig(DetectionConfig.defaults(), AlertsConfig.defaults());
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
        HooksConfig.parse(root.get("hooks")));
  }
}
