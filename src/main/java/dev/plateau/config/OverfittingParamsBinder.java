package dev.plateau.config;

import dev.plateau.detect.OverfittingDetector;
import java.util.Map;

/** Binds the overfitting detector's keys. {@code twin_tag} and {@code twin_run} pick the twin. */
final class OverfittingParamsBinder {
  private OverfittingParamsBinder() {}

  static OverfittingDetector.Params bind(Map<String, ConfigNode> keys) throws ConfigException {
    OverfittingDetector.Params d = OverfittingDetector.Params.DEFAULTS;
    return new OverfittingDetector.Params(
        (int) node(keys, "window").integer(d.window(), 6, 10_000),
        node(keys, "z").number(d.z(), 0, 10),
        node(keys, "min_worsening").number(d.minWorsening(), 0, 1),
        (int) node(keys, "min_points").integer(d.minPoints(), 2, 1_000_000));
  }

  static ConfigNode node(Map<String, ConfigNode> keys, String name) {
    ConfigNode node = keys.get(name);
    return node == null ? new ConfigNode(null, name, null) : node;
  }
}
