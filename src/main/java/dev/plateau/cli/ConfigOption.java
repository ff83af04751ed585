package dev.plateau.cli;

import dev.plateau.config.ConfigException;
import dev.plateau.config.ConfigLoader;
import dev.plateau.config.PlateauConfig;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option shared by the commands that judge series. */
final class ConfigOption {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "YAML configuration (see config/plateau.yaml); default: built-in defaults, or "
              + "$PLATEAU_CONFIG when set.")
  Path file;

  /**
   * The configuration: the file given, else $PLATEAU_CONFIG, else the defaults; with {@code
   * PLATEAU_...} variables for single keys over it. Its {@code log} section is applied.
   */
  PlateauConfig load() throws ConfigException {
    return load(Map.of());
  }

  /**
   * The configuration as {@link #load()} reads it, with the options given over the variables.
   *
   * @param options setting keys to the options' text ({@link GivenOptions})
   */
  PlateauConfig load(Map<String, Object> options) throws ConfigException {
    Map<String, String> environment = System.getenv();
    PlateauConfig loaded = ConfigLoader.load(path(), environment, options);
    for (String deprecated : ConfigLoader.deprecations(environment)) {
      LoggerFactory.getLogger(ConfigOption.class).warn(deprecated);
    }
    LogSetup.apply(loaded.log());
    return loaded;
  }

  /** The configuration file in effect, or null for none. */
  @Nullable Path path() {
    if (file != null) {
      return file;
    }
    String env = System.getenv("PLATEAU_CONFIG");
    return env == null || env.isBlank() ? null : Path.of(env);
  }
}
