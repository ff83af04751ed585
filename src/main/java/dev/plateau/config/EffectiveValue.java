package dev.plateau.config;

import org.jspecify.annotations.Nullable;

/**
 * One key of the configuration in effect, for {@code plateau config --print}.
 *
 * @param setting the setting (its key, flag, variable; whether it is a secret)
 * @param value the value (text, number, boolean or list as YAML gives it), or null when not set
 * @param origin where it came from: {@code default}, {@code file PATH}, {@code environment variable
 *     PLATEAU_...} or {@code option --...}
 */
public record EffectiveValue(Setting setting, @Nullable Object value, String origin) {
  /** How a value that no layer set is named: the documented default. */
  public static final String DEFAULT = "default";
}
