package dev.plateau.config;

/**
 * The configuration is invalid. The message names the file, the key (as a path such as {@code
 * rules[1].patience.min_delta}), the value given and what is allowed.
 */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
