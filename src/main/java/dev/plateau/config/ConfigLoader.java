package dev.plateau.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads Plateau's YAML configuration. YAML 1.2 with the core schema (so {@code no} is text, not
 * false), duplicate keys rejected, and only maps, lists and scalars built: no tags that name
 * types. Every key is checked; an unknown key or a wrong value stops loading with a message that
 * names the file, the key, the value and what is allowed.
 */
public final class ConfigLoader {
  /** Longest configuration file read, a guard against pointing it at a huge file. */
  public static final int MAX_BYTES = 1 << 20;

  private ConfigLoader() {}

  /** Loads a file. */
  public static PlateauConfig load(Path file) throws ConfigException {
    String text;
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new ConfigException(file + ": larger than " + MAX_BYTES + " bytes; not a configuration file?");
      }
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": no such configuration file");
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
    }
    return parse(text, file.toString());
  }

  /** Parses configuration text; {@code source} names it in messages. */
  public static PlateauConfig parse(String text, String source) throws ConfigException {
    Object document;
    try {
      LoadSettings settings =
          LoadSettings.builder()
              .setLabel(source)
              .setAllowDuplicateKeys(false)
              .setMaxAliasesForCollections(50)
              .build();
      document = new Load(settings).loadFromString(text);
    } catch (YamlEngineException e) {
      throw new ConfigException(source + ": not valid YAML: " + e.getMessage().strip(), e);
    }
    return PlateauConfig.parse(new ConfigNode(source, "", document));
  }
}
