package dev.plateau.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads Plateau's YAML configuration. YAML 1.2 with the core schema (so {@code no} is text, not
 * false), duplicate keys rejected, and only maps, lists and scalars built: no tags that name types.
 * Every key is checked; an unknown key or a wrong value stops loading with a message that names the
 * file, the key, the value and what is allowed.
 */
public final class ConfigLoader {
  /** Longest configuration file read, a guard against pointing it at a huge file. */
  public static final int MAX_BYTES = 1 << 20;

  /** Most aliases of lists and mappings in one file (YAML's "billion laughs" guard). */
  static final int MAX_ALIASES = 50;

  private ConfigLoader() {}

  /** Loads a file. */
  public static PlateauConfig load(Path file) throws ConfigException {
    return parse(read(file), file.toString());
  }

  private static String read(Path file) throws ConfigException {
    String text;
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new ConfigException(
            file + ": larger than " + MAX_BYTES + " bytes; not a configuration file?");
      }
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": no such configuration file");
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
    }
    return text;
  }

  /** Parses configuration text; {@code source} names it in messages. */
  public static PlateauConfig parse(String text, String source) throws ConfigException {
    return parse(text, source, Map.of());
  }

  /**
   * The configuration from a file (or none: the defaults) with {@code PLATEAU_...} environment
   * variables over it ({@link EnvironmentOverrides}).
   */
  public static PlateauConfig load(Path file, Map<String, String> environment)
      throws ConfigException {
    String text = file == null ? "" : read(file);
    return parse(text, file == null ? "defaults" : file.toString(), environment);
  }

  /**
   * The configuration of {@link #load(Path, Map)} with {@code keys} set over it: key paths such as
   * {@code detection.plateau.min_delta} and their values as a variable would give them ({@code
   * plateau tune}'s grid).
   *
   * @throws ConfigException for a key path no variable can set, or a value the key refuses
   */
  public static PlateauConfig load(
      Path file, Map<String, String> environment, Map<String, String> keys) throws ConfigException {
    Map<String, String> merged = new java.util.HashMap<>(environment);
    Map<String, Boolean> known = EnvironmentOverrides.keyPaths();
    for (Map.Entry<String, String> key : keys.entrySet()) {
      if (!known.containsKey(key.getKey())) {
        throw new ConfigException(
            key.getKey()
                + ": not a configuration key that takes a value (e.g. detection.plateau.min_delta)");
      }
      merged.put(EnvironmentOverrides.variableFor(key.getKey()), key.getValue());
    }
    return load(file, merged);
  }

  /** The effective configuration tree (file, then environment), for {@code config --print}. */
  public static Map<String, Object> effectiveTree(Path file, Map<String, String> environment)
      throws ConfigException {
    String source = file == null ? "defaults" : file.toString();
    Map<String, Object> tree = tree(file == null ? "" : read(file), source);
    EnvironmentOverrides.apply(tree, environment);
    return tree;
  }

  static PlateauConfig parse(String text, String source, Map<String, String> environment)
      throws ConfigException {
    Map<String, Object> tree = tree(text, source);
    Map<String, String> origins = EnvironmentOverrides.apply(tree, environment);
    return PlateauConfig.parse(new ConfigNode(source, "", tree, origins));
  }

  /**
   * The parser's complaint with line and column, without the excerpt of the file it would print
   * (the line at fault may be {@code secret: whsec_...}).
   */
  static String describe(YamlEngineException e) {
    if (!(e instanceof MarkedYamlEngineException marked)) {
      return String.valueOf(e.getMessage()).strip();
    }
    StringBuilder out = new StringBuilder();
    if (marked.getContext() != null) {
      out.append(marked.getContext())
          .append(marked.getContextMark().map(ConfigLoader::at).orElse(""));
    }
    if (marked.getProblem() != null) {
      out.append(out.length() == 0 ? "" : "; ")
          .append(marked.getProblem())
          .append(marked.getProblemMark().map(ConfigLoader::at).orElse(""));
    }
    return out.length() == 0 ? e.getClass().getSimpleName() : out.toString();
  }

  private static String at(Mark mark) {
    return " (line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ")";
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> tree(String text, String source) throws ConfigException {
    TextKeys.require(text, source, MAX_ALIASES);
    Object document;
    try {
      LoadSettings settings =
          LoadSettings.builder()
              .setLabel(source)
              .setAllowDuplicateKeys(false)
              .setMaxAliasesForCollections(MAX_ALIASES)
              .build();
      document = new Load(settings).loadFromString(text);
    } catch (YamlEngineException e) {
      // Not chained: the parser's own message quotes the offending line, which may hold a secret.
      throw new ConfigException(source + ": not valid YAML: " + describe(e));
    }
    if (document == null) {
      return new LinkedHashMap<>();
    }
    if (!(document instanceof Map)) {
      throw new ConfigException(source + ": the configuration must be a mapping of sections");
    }
    return new LinkedHashMap<>((Map<String, Object>) document);
  }
}
