package dev.plateau.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Environment variables for configuration keys: {@code PLATEAU_} and the key path in upper case
 * with '.' as '_', e.g. {@code PLATEAU_DETECTION_PLATEAU_MIN_DELTA=0.02} for {@code
 * detection.plateau.min_delta}, {@code PLATEAU_DAEMON_POLL_INTERVAL=5s} for {@code
 * daemon.poll_interval} ({@link Settings} lists every key). A variable overrides the file's value;
 * list keys take comma-separated values.
 *
 * <p>Which other {@code PLATEAU_} variables are allowed: those of the tools around Plateau ({@link
 * #TOOL_VARIABLES}: the launcher's, the tests', the Python client's) and any that neither starts
 * like a section ({@code PLATEAU_DETECTION_}, {@code PLATEAU_HTTP_} ...) nor is within two edits of
 * a setting's variable. A variable that does is a misspelt setting, and stops start-up as an
 * unknown key of the file does.
 */
final class EnvironmentOverrides {
  /** The old name of {@code PLATEAU_SLACK_URL}: still read, with a warning. */
  static final Map<String, String> DEPRECATED =
      Map.of("PLATEAU_SLACK_WEBHOOK", "PLATEAU_SLACK_URL");

  /**
   * {@code PLATEAU_} variables that are not settings: {@code PLATEAU_CONFIG} (the file), the
   * launcher's {@code PLATEAU_JAVA_OPTS}, the tests' {@code PLATEAU_JAR}, {@code PLATEAU_SHARED},
   * {@code PLATEAU_TEST_VERBOSE} and {@code PLATEAU_ARCHIVE_PORT}, and the Python client's {@code
   * PLATEAU_FLAG_DIR} and {@code PLATEAU_LOGDIR} (set for a training job that may also start
   * Plateau).
   */
  static final Set<String> TOOL_VARIABLES =
      Set.of(
          "PLATEAU_CONFIG",
          "PLATEAU_JAVA_OPTS",
          "PLATEAU_JAR",
          "PLATEAU_SHARED",
          "PLATEAU_TEST_VERBOSE",
          "PLATEAU_ARCHIVE_PORT",
          "PLATEAU_FLAG_DIR",
          "PLATEAU_LOGDIR");

  private EnvironmentOverrides() {}

  /** Every key path that a variable can set; true for lists. */
  static Map<String, Boolean> keyPaths() {
    Map<String, Boolean> paths = new TreeMap<>();
    for (Setting setting : Settings.all()) {
      paths.put(setting.key(), setting.list());
    }
    return paths;
  }

  /**
   * Applies the variables to {@code document} (a YAML tree, changed in place). Returns which paths
   * came from which variable, for error messages.
   *
   * @throws ConfigException on a {@code PLATEAU_} variable that looks like a setting and is none,
   *     or a deprecated name set together with its new name
   */
  static Map<String, String> apply(Map<String, Object> document, Map<String, String> environment)
      throws ConfigException {
    Map<String, String> variables = renamed(environment);
    requireKnown(variables.keySet());
    Map<String, String> origins = new LinkedHashMap<>();
    for (Setting setting : Settings.all()) {
      String variable = setting.variable();
      String value = variables.get(variable);
      if (value == null) {
        continue;
      }
      put(document, setting.key(), setting.list() ? splitList(value) : value);
      origins.put(setting.key(), ConfigOrigin.VARIABLE + nameIn(environment, variable));
    }
    return origins;
  }

  /** Warnings for the deprecated names set in {@code environment}. */
  static List<String> deprecations(Map<String, String> environment) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, String> old : new TreeMap<>(DEPRECATED).entrySet()) {
      if (environment.containsKey(old.getKey())) {
        out.add(
            old.getKey()
                + " is deprecated and will be removed; it is read as "
                + old.getValue()
                + ", the name to use");
      }
    }
    return out;
  }

  /** Sets {@code path} in {@code document}, making the maps on the way. */
  @SuppressWarnings("unchecked")
  static void put(Map<String, Object> document, String path, Object value) {
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
    node.put(keys[keys.length - 1], value);
  }

  /** The variable for a key path: PLATEAU_ and the path in upper case, '.' as '_'. */
  static String variableFor(String path) {
    return Setting.variableOf(path);
  }

  /** The environment with deprecated names read as their new ones. */
  private static Map<String, String> renamed(Map<String, String> environment)
      throws ConfigException {
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, String> e : environment.entrySet()) {
      if (e.getKey().startsWith("PLATEAU_")) {
        out.put(e.getKey(), e.getValue());
      }
    }
    for (Map.Entry<String, String> old : DEPRECATED.entrySet()) {
      String value = out.remove(old.getKey());
      if (value == null) {
        continue;
      }
      String now = old.getValue();
      for (String conflicting : List.of(now, now + "_FILE")) {
        if (out.containsKey(conflicting)) {
          throw new ConfigException(
              ConfigOrigin.VARIABLE
                  + old.getKey()
                  + " and "
                  + conflicting
                  + " are both set; "
                  + old.getKey()
                  + " is the deprecated name of "
                  + now
                  + ": set only "
                  + conflicting);
        }
      }
      out.put(now, value);
    }
    return out;
  }

  /** The name the user set for {@code variable}: itself, or its deprecated name. */
  private static String nameIn(Map<String, String> environment, String variable) {
    if (environment.containsKey(variable)) {
      return variable;
    }
    for (Map.Entry<String, String> old : DEPRECATED.entrySet()) {
      if (old.getValue().equals(variable) && environment.containsKey(old.getKey())) {
        return old.getKey();
      }
    }
    return variable;
  }

  /** Fails on the first variable that looks like a setting and is none. */
  private static void requireKnown(Set<String> variables) throws ConfigException {
    Set<String> known = new TreeSet<>();
    for (Setting setting : Settings.all()) {
      known.add(setting.variable());
    }
    List<String> sectionPrefixes = new ArrayList<>();
    for (String section : PlateauConfig.KEYS) {
      sectionPrefixes.add(Setting.variableOf(section) + "_");
    }
    for (String variable : new TreeSet<>(variables)) {
      if (known.contains(variable) || TOOL_VARIABLES.contains(variable)) {
        continue;
      }
      var nearest = Suggestion.nearest(variable, known);
      if (nearest.isPresent() || sectionPrefixes.stream().anyMatch(variable::startsWith)) {
        throw new ConfigException(
            ConfigOrigin.VARIABLE
                + variable
                + ": unknown key; "
                + nearest.map(v -> "did you mean " + v + "? ").orElse("")
                + "a variable is PLATEAU_ and a key path in upper case with '.' as '_'"
                + " (plateau config --print lists every key)");
      }
    }
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
