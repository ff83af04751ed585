package dev.plateau.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration tree built in layers, each over the one before: the file's keys, then {@code
 * PLATEAU_...} variables ({@link EnvironmentOverrides}), then command-line options; with where each
 * value that is not the file's came from. An option given for a secret key drops its {@code _file}
 * twin from the layers below (and the twin's option drops the key), so {@code --http-token-file}
 * wins over {@code PLATEAU_HTTP_TOKEN} rather than clashing with it. An option of a list key
 * ({@code --webhook}) adds to the list below it, as it always has: one more receiver.
 *
 * @param tree the YAML tree with every layer applied
 * @param origins key paths set by a variable or an option, and which ({@link ConfigOrigin})
 */
record ConfigLayers(Map<String, Object> tree, Map<String, String> origins) {
  /**
   * Applies {@code environment} and {@code options} (setting keys to values: text, or a list of
   * text for list keys) over {@code file} (changed in place).
   */
  static ConfigLayers of(
      Map<String, Object> file, Map<String, String> environment, Map<String, Object> options)
      throws ConfigException {
    Map<String, String> origins =
        new LinkedHashMap<>(EnvironmentOverrides.apply(file, environment));
    for (Map.Entry<String, Object> option : options.entrySet()) {
      String key = option.getKey();
      Setting setting =
          Settings.byKey(key).orElseThrow(() -> new IllegalArgumentException("no setting " + key));
      String twin = key.endsWith("_file") ? key.substring(0, key.length() - 5) : key + "_file";
      Setting twinSetting = Settings.byKey(twin).orElse(null);
      // A list option adds to what is below it, files of more items included.
      if (!options.containsKey(twin)
          && twinSetting != null
          && !setting.list()
          && !twinSetting.list()) {
        remove(file, twin);
        origins.remove(twin);
      }
      Object value = option.getValue();
      String origin = ConfigOrigin.OPTION + setting.flag();
      if (setting.list()) {
        List<Object> items = new ArrayList<>();
        if (at(file, key) instanceof List<?> below && !below.isEmpty()) {
          // A list option adds to the list below it (--webhook URL is one more receiver).
          items.addAll(below);
          origin += " and " + origins.getOrDefault(key, "the file");
        }
        items.addAll(value instanceof List<?> list ? list : List.of(value));
        value = items;
      }
      EnvironmentOverrides.put(file, key, value);
      origins.put(key, origin);
    }
    return new ConfigLayers(file, origins);
  }

  /** The value at {@code path} of the tree, or null when it is not set. */
  static Object at(Map<String, Object> tree, String path) {
    Object node = tree;
    for (String key : path.split("\\.")) {
      if (!(node instanceof Map<?, ?> map)) {
        return null;
      }
      node = map.get(key);
    }
    return node;
  }

  @SuppressWarnings("unchecked")
  private static void remove(Map<String, Object> tree, String path) {
    int dot = path.lastIndexOf('.');
    if (at(tree, path.substring(0, dot)) instanceof Map<?, ?> parent) {
      ((Map<String, Object>) parent).remove(path.substring(dot + 1));
    }
  }
}
