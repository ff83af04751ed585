package dev.plateau.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Environment variables for configuration keys: {@code PLATEAU_} and the key path in upper case
 * with '.' as '_', e.g. {@code PLATEAU_DETECTION_PLATEAU_MIN_DELTA=0.02} for {@code
 * detection.plateau.min_delta}, {@code PLATEAU_WEBHOOK_SECRET} for {@code webhook.secret}. A
 * variable overrides the file's value; list keys take comma-separated values. Only keys that exist
 * in the documented configuration are read, so unrelated PLATEAU_ variables (such as
 * PLATEAU_CONFIG) are not mistaken for keys.
 */
final class EnvironmentOverrides {
  private EnvironmentOverrides() {}

  /** Every scalar (or list) key path that a variable can set; true for lists. */
  static Map<String, Boolean> keyPaths() {
    Map<String, Boolean> paths = new java.util.TreeMap<>();
    for (String key : List.of("watch", "converged_when", "smoothing")) {
      paths.put("detection." + key, false);
    }
    paths.put("detection.detectors", true);
    for (String detector : DetectorSpecs.NAMES) {
      for (String key : DetectorSpecs.keysOf(detector)) {
        paths.put("detection." + detector + "." + key, false);
      }
    }
    for (String key : AlertsConfig.ALERT_KEYS) {
      paths.put("alerts." + key, false);
    }
    for (String key : AlertsConfig.WEBHOOK_KEYS) {
      paths.put("webhook." + key, key.equals("urls") || key.equals("statuses"));
    }
    for (String key : AlertsConfig.SLACK_KEYS) {
      paths.put("slack." + key, key.equals("statuses"));
    }
    for (String key : AlertsConfig.FLAG_KEYS) {
      paths.put("flags." + key, false);
    }
    return paths;
  }

  /**
   * Applies the variables to {@code document} (a YAML tree, changed in place). Returns which paths
   * came from which variable, for error messages.
   */
  @SuppressWarnings("unchecked")
  static Map<String, String> apply(Map<String, Object> document, Map<String, String> environment) {
    Map<String, String> origins = new LinkedHashMap<>();
    for (Map.Entry<String, Boolean> key : keyPaths().entrySet()) {
      String path = key.getKey();
      String variable = variableFor(path);
      String value = environment.get(variable);
      if (value == null) {
        continue;
      }
      String[] keys = path.split("\\.");
      Map<String, Object> node = document;
      for (int i = 0; i < keys.length - 1; i++) {
        Object child = node.get(keys[i]);
        if (!(child instanceof Map)) {
          child = new LinkedHashMap<String, Object>();
          node.put(keys[i], child);
        }
        node = (Map<String, Object>) child;
      }
      node.put(keys[keys.length - 1], key.getValue() ? splitList(value) : value);
      origins.put(path, variable);
    }
    return origins;
  }

  /** The variable for a key path: PLATEAU_ and the path in upper case, '.' as '_'. */
  static String variableFor(String path) {
    return "PLATEAU_" + path.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  private static List<String> splitList(String value) {
    List<String> out = new ArrayList<>();
    for (String part : value.split(",")) {
      if (!part.isBlank()) {
        out.add(part.trim());
      }
    }
    return out;
  }
}
