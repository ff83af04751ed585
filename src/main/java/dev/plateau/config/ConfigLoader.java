package dev.plateau.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
    return load(file, environment, Map.of());
  }

  /**
   * The configuration from a file (or none: the defaults), with {@code PLATEAU_...} environment
   * variables over it and command-line options over those ({@link ConfigLayers}).
   *
   * @param options the options given, by setting key: text, or a list of text for list keys
   */
  public static PlateauConfig load(
      Path file, Map<String, String> environment, Map<String, Object> options)
      throws ConfigException {
    String source = file == null ? "defaults" : file.toString();
    ConfigLayers layers =
        ConfigLayers.of(tree(file == null ? "" : read(file), source), environment, options);
    return PlateauConfig.parse(new ConfigNode(source, "", layers.tree(), layers.origins()));
  }

  /** The effective configuration tree (file, environment, options), for {@code config --print}. */
  public static Map<String, Object> effectiveTree(
      Path file, Map<String, String> environment, Map<String, Object> options)
      throws ConfigException {
    String source = file == null ? "defaults" : file.toString();
    return ConfigLayers.of(tree(file == null ? "" : read(file), source), environment, options)
        .tree();
  }

  /** The effective configuration tree (file, then environment). */
  public static Map<String, Object> effectiveTree(Path file, Map<String, String> environment)
      throws ConfigException {
    return effectiveTree(file, environment, Map.of());
  }

  /**
   * Every setting's value in effect and where it came from: an option, a variable, the file, or the
   * default that {@code config/plateau.yaml} documents (null where it documents none).
   */
  public static List<EffectiveValue> effective(
      Path file, Map<String, String> environment, Map<String, Object> options)
      throws ConfigException {
    String source = file == null ? "defaults" : file.toString();
    ConfigLayers layers =
        ConfigLayers.of(tree(file == null ? "" : read(file), source), environment, options);
    Map<String, Object> defaults = documentedDefaults();
    List<EffectiveValue> out = new ArrayList<>();
    for (Setting setting : Settings.all()) {
      Object value = ConfigLayers.at(layers.tree(), setting.key());
      String origin = layers.origins().get(setting.key());
      if (origin == null && value != null) {
        origin = "file " + source;
      }
      if (value == null) {
        value = ConfigLayers.at(defaults, setting.key());
        origin = EffectiveValue.DEFAULT;
      }
      out.add(new EffectiveValue(setting, value, origin));
    }
    return out;
  }

  /** Warnings for deprecated variables set in {@code environment}, to be logged at start-up. */
  public static List<String> deprecations(Map<String, String> environment) {
    return EnvironmentOverrides.deprecations(environment);
  }

  /** The values of config/plateau.yaml, which the build keeps equal to the built-in defaults. */
  static Map<String, Object> documentedDefaults() throws ConfigException {
    try (InputStream in = ConfigLoader.class.getResourceAsStream("/plateau.yaml")) {
      if (in == null) {
        return Map.of();
      }
      return tree(new String(in.readAllBytes(), StandardCharsets.UTF_8), "plateau.yaml");
    } catch (IOException e) {
      throw new ConfigException("plateau.yaml (the documented defaults): " + e.getMessage(), e);
    }
  }

  static PlateauConfig parse(String text, String source, Map<String, String> environment)
      throws ConfigException {
    ConfigLayers layers = ConfigLayers.of(tree(text, source), environment, Map.of());
    return PlateauConfig.parse(new ConfigNode(source, "", layers.tree(), layers.origins()));
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
