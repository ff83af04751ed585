package dev.plateau.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A node of a parsed YAML document with its key path, giving typed access with messages that name
 * the key, the value and what is allowed. Only plain maps, lists and scalars are ever built from
 * YAML (no application types), so loading a file cannot instantiate anything else.
 */
public final class ConfigNode {
  private final String source;
  private final String path;
  private final Object value;

  /**
   * Key paths whose value came from elsewhere than the file, and where: {@code environment variable
   * PLATEAU_...} or {@code option --...}.
   */
  private final Map<String, String> origins;

  ConfigNode(String source, String path, Object value) {
    this(source, path, value, Map.of());
  }

  ConfigNode(String source, String path, Object value, Map<String, String> origins) {
    this.source = source;
    this.path = path;
    this.value = value;
    this.origins = origins;
  }

  /** The key path of this node, e.g. {@code rules[0].tag}. */
  public String path() {
    return path;
  }

  public Object raw() {
    return value;
  }

  public boolean isMissing() {
    return value == null;
  }

  public boolean isMap() {
    return value instanceof Map;
  }

  public boolean isList() {
    return value instanceof List;
  }

  /** A child of a map node (missing when absent). */
  public ConfigNode get(String key) {
    Object child = value instanceof Map<?, ?> map ? map.get(key) : null;
    return new ConfigNode(source, path.isEmpty() ? key : path + "." + key, child, origins);
  }

  /** The keys of a map node, in file order; an error when this is not a map. */
  public List<String> keys() throws ConfigException {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw error("must be a mapping of keys to values");
    }
    List<String> keys = new ArrayList<>();
    for (Object key : map.keySet()) {
      keys.add(String.valueOf(key));
    }
    return keys;
  }

  /** Fails on any key not in {@code allowed}, naming them. */
  public void allowOnly(Set<String> allowed) throws ConfigException {
    for (String key : keys()) {
      if (!allowed.contains(key)) {
        throw new ConfigException(
            where()
                + (path.isEmpty() ? "" : path + ".")
                + key
                + ": unknown key; "
                + Suggestion.nearest(key, allowed).map(k -> "did you mean " + k + "? ").orElse("")
                + "allowed here: "
                + String.join(", ", new TreeSet<>(allowed)));
      }
    }
  }

  /** The items of a list node (empty when missing). */
  public List<ConfigNode> items() throws ConfigException {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> list)) {
      throw error("must be a list");
    }
    List<ConfigNode> items = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      items.add(new ConfigNode(source, path + "[" + i + "]", list.get(i), origins));
    }
    return items;
  }

  /** A list of strings; a single string counts as a list of one. */
  public List<String> stringList(List<String> fallback) throws ConfigException {
    if (value == null) {
      return fallback;
    }
    if (value instanceof String s) {
      return List.of(s);
    }
    List<String> out = new ArrayList<>();
    for (ConfigNode item : items()) {
      String text = item.string(null);
      if (text == null) {
        throw item.error("must be a text value, not empty"); // "- " or "~" in a list
      }
      out.add(text);
    }
    return out;
  }

  public String string(String fallback) throws ConfigException {
    if (value == null) {
      return fallback;
    }
    if (value instanceof Map || value instanceof List) {
      throw error("must be a text value");
    }
    return String.valueOf(value);
  }

  /** One of {@code allowed} (compared in lower case). */
  public String choice(String fallback, List<String> allowed) throws ConfigException {
    String s = string(fallback);
    if (s == null) {
      return null;
    }
    String lower = s.toLowerCase(Locale.ROOT);
    if (!allowed.contains(lower)) {
      throw error("'" + s + "' is not allowed; allowed: " + String.join(", ", allowed));
    }
    return lower;
  }

  public boolean bool(boolean fallback) throws ConfigException {
    if (value == null) {
      return fallback;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    String s = String.valueOf(value).toLowerCase(Locale.ROOT);
    if (s.equals("true") || s.equals("on") || s.equals("yes")) {
      return true;
    }
    if (s.equals("false") || s.equals("off") || s.equals("no")) {
      return false;
    }
    throw error("'" + value + "' is not a boolean; allowed: true, false");
  }

  public double number(double fallback) throws ConfigException {
    if (value == null) {
      return fallback;
    }
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    try {
      return Double.parseDouble(String.valueOf(value).trim());
    } catch (NumberFormatException e) {
      throw error("'" + value + "' is not a number");
    }
  }

  public long integer(long fallback) throws ConfigException {
    if (value == null) {
      return fallback;
    }
    if (value instanceof Integer || value instanceof Long) {
      return ((Number) value).longValue();
    }
    try {
      return Long.parseLong(String.valueOf(value).trim());
    } catch (NumberFormatException e) {
      throw error("'" + value + "' is not a whole number");
    }
  }

  /** A whole number within [min, max]. */
  public long integer(long fallback, long min, long max) throws ConfigException {
    long n = integer(fallback);
    if (n < min || n > max) {
      throw error(n + " is out of range; allowed: " + min + " to " + max);
    }
    return n;
  }

  /** A number within [min, max]. */
  public double number(double fallback, double min, double max) throws ConfigException {
    double n = number(fallback);
    if (!(n >= min && n <= max)) {
      throw error(n + " is out of range; allowed: " + min + " to " + max);
    }
    return n;
  }

  /**
   * A duration in seconds: a number of seconds, or text as {@link DurationText} reads it (500ms,
   * 45s, 1m30s, 2h, 1d, PT1M30S).
   */
  public double durationSeconds(double fallback) throws ConfigException {
    if (value == null) {
      return fallback;
    }
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    String text = String.valueOf(value);
    return DurationText.parse(text)
        .orElseThrow(() -> error(DurationText.notADuration(text)))
        .seconds();
  }

  /** A plain copy of a map node's entries, for detector parameters. */
  public Map<String, ConfigNode> entries() throws ConfigException {
    Map<String, ConfigNode> out = new LinkedHashMap<>();
    for (String key : keys()) {
      out.put(key, get(key));
    }
    return out;
  }

  /** An error about this node. */
  public ConfigException error(String what) {
    String origin = origins.get(path);
    if (origin != null) {
      return new ConfigException(origin + " (" + path + "): " + what);
    }
    return new ConfigException(where() + (path.isEmpty() ? "(top level)" : path) + ": " + what);
  }

  /**
   * {@code e} as an error about this node, unless it already says where it is (a key of this node's
   * source, or an environment variable): then it is returned as it is, not named twice.
   */
  ConfigException locate(ConfigException e) {
    String message = String.valueOf(e.getMessage());
    if ((source != null && message.startsWith(where()))
        || message.startsWith(ConfigOrigin.VARIABLE)
        || message.startsWith(ConfigOrigin.OPTION)) {
      return e;
    }
    return error(message);
  }

  /** This node as a message names it: its key path, and the variable or option that set it. */
  public String describe() {
    String origin = origins.get(path);
    return origin == null ? path : origin + " (" + path + ")";
  }

  private String where() {
    return source == null ? "" : source + ": ";
  }
}
