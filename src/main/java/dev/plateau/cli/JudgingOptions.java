package dev.plateau.cli;

import dev.plateau.config.ConfigException;
import dev.plateau.config.PlateauConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** LOGDIR, --config and --format, shared by the commands that judge a logdir once. */
final class JudgingOptions {
  @Parameters(index = "0", paramLabel = "LOGDIR", description = "A logdir or an event file.")
  Path logdir;

  @Mixin ConfigOption config;

  @Option(
      names = "--format",
      paramLabel = "table|json",
      defaultValue = "table",
      description = "Output format (default: ${DEFAULT-VALUE}).")
  String format;

  boolean json() {
    return format.equals("json");
  }

  /**
   * Checks the options and loads the configuration; on a problem, says so on {@code err} (as {@code
   * plateau COMMAND: ...}) and returns null.
   */
  PlateauConfig prepare(PrintWriter err, String command) {
    if (!format.equals("table") && !format.equals("json")) {
      err.println("plateau " + command + ": unknown format '" + format + "'; allowed: table, json");
      return null;
    }
    LogdirLocation location;
    try {
      location = LogdirLocation.of(logdir);
    } catch (IllegalArgumentException e) {
      err.println("plateau " + command + ": " + e.getMessage());
      return null;
    }
    if (!location.exists()) {
      err.println("plateau " + command + ": " + logdir + ": no such file or directory");
      return null;
    }
    try {
      PlateauConfig loaded = config.load();
      ObjectStoreAccess.configure(loaded.objectStore());
      return loaded;
    } catch (ConfigException e) {
      err.println("plateau " + command + ": " + e.getMessage());
      return null;
    }
  }
}
