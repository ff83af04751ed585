package dev.plateau.cli;

import dev.plateau.config.ConfigException;
import dev.plateau.config.ConfigLoader;
import dev.plateau.config.PlateauConfig;
import java.nio.file.Path;
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

  /** The configuration: the file given, else $PLATEAU_CONFIG, else the defaults. */
  PlateauConfig load() throws ConfigException {
    Path path = file;
    if (path == null) {
      String env = System.getenv("PLATEAU_CONFIG");
      if (env != null && !env.isBlank()) {
        path = Path.of(env);
      }
    }
    return path == null ? PlateauConfig.defaults() : ConfigLoader.load(path);
  }
}
