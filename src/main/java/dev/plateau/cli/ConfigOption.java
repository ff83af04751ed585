package dev.plateau.cli;

import dev.plateau.config.ConfigException;
import dev.plateau.config.ConfigLoader;
import dev.plateau.config.PlateauConfig;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
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
   * PLATEAU_...} variables for single keys over it.
   */
  PlateauConfig load() throws ConfigException {
    return ConfigLoader.load(path(), System.getenv());
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
