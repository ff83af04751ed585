package dev.plateau.cli;

import picocli.CommandLine.TypeConversionException;

/**
 * A value an option cannot take, from one of Plateau's own converters, worded to follow the
 * option's name: {@code '1x' is not a duration; ...} is printed as {@code --timeout '1x' is not a
 * duration; ...} by {@link ArgumentErrors}, which also decides whether the value may be shown.
 */
final class OptionValueException extends TypeConversionException {
  private static final long serialVersionUID = 1L;

  OptionValueException(String problem) {
    super(problem);
  }
}
