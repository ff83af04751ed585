package dev.plateau.config;

/**
 * Where a value of the configuration came from, as messages and {@code config --print} say it: the
 * documented default, the file, an environment variable or a command-line option. Precedence:
 * option over variable over file over default.
 */
public final class ConfigOrigin {
  /** How a value from a variable is named: this and the variable. */
  public static final String VARIABLE = "environment variable ";

  /** How a value from a command-line option is named: this and the option. */
  public static final String OPTION = "option ";

  private ConfigOrigin() {}
}
