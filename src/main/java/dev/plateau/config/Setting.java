package dev.plateau.config;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One setting of Plateau in its three forms: a configuration key, a {@code PLATEAU_...} environment
 * variable derived from the key, and (for the daemon's settings) a command-line flag.
 *
 * @param key the key path in the YAML file, e.g. {@code daemon.poll_interval}
 * @param flag the command-line flag of {@code watch} and {@code config}, or null for none
 * @param list whether the value is a list (a variable gives it comma-separated)
 * @param secret whether the value is a secret (masked wherever it is shown)
 */
public record Setting(String key, @Nullable String flag, boolean list, boolean secret) {
  /** The variable of a key path: {@code PLATEAU_}, the path in upper case, '.' as '_'. */
  public static String variableOf(String key) {
    return "PLATEAU_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  /** This setting's environment variable. */
  public String variable() {
    return variableOf(key);
  }

  /** The section of the configuration file the key belongs to, e.g. {@code daemon}. */
  public String section() {
    return key.substring(0, key.indexOf('.'));
  }
}
