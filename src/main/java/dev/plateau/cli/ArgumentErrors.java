package dev.plateau.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Reports a command line that could not be parsed without echoing what was typed as a value: a
 * misplaced {@code --webhook https://…/SECRET} or {@code --slack-webhook …} would otherwise print
 * the secret to a terminal, a CI log or a container's log. Unknown options are named (their {@code
 * =value} part cut off), other unexpected arguments only counted, and a quoted value in any other
 * parse error is replaced by {@value #HIDDEN}. Exit code 2, with the usage.
 *
 * <p>A value Plateau's own converters refused ({@link OptionValueException}: a duration, an
 * address) is said after the option's name ({@code --timeout '1x' is not a duration; ...}) and
 * shown when it cannot be a secret: under {@value #SHOWN_LENGTH} characters (the shortest HTTP
 * token accepted is 16), of letters, digits, dots and spaces only (no URL, no {@code whsec_} key).
 */
final class ArgumentErrors implements CommandLine.IParameterExceptionHandler {
  static final String HIDDEN = "(value not shown)";

  static final int SHOWN_LENGTH = 16;

  private static final Pattern CANNOT_BE_SECRET =
      Pattern.compile("[A-Za-z0-9. ]{1," + (SHOWN_LENGTH - 1) + "}");

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine command = ex.getCommandLine();
    PrintWriter err = command.getErr();
    String message;
    if (ex instanceof UnmatchedArgumentException unmatched) {
      message = unmatchedMessage(unmatched.getUnmatched());
    } else if (ex.getCause() instanceof OptionValueException refused) {
      message =
          withoutValues(
              afterName(ex.getArgSpec(), refused.getMessage()),
              args,
              ArgumentErrors::cannotBeSecret);
    } else {
      message = withoutValues(ex.getMessage(), args);
    }
    err.println(message);
    UnmatchedArgumentException.printSuggestions(ex, err);
    command.usage(err, command.getColorScheme());
    return command.getCommandSpec().exitCodeOnInvalidInput();
  }

  /** "Unknown options: '--webhook'" and a count of other unexpected arguments, values left out. */
  static String unmatchedMessage(List<String> unmatched) {
    List<String> options = new ArrayList<>();
    int others = 0;
    for (String arg : unmatched) {
      if (arg.startsWith("-") && arg.length() > 1) {
        int equals = arg.indexOf('=');
        options.add("'" + (equals < 0 ? arg : arg.substring(0, equals)) + "'");
      } else {
        others++;
      }
    }
    StringBuilder message = new StringBuilder();
    if (!options.isEmpty()) {
      message
          .append(options.size() == 1 ? "Unknown option: " : "Unknown options: ")
          .append(String.join(", ", options));
    }
    if (others > 0) {
      message
          .append(message.length() == 0 ? "" : "; ")
          .append(others)
          .append(others == 1 ? " unexpected argument" : " unexpected arguments")
          .append(" (not shown: an option's value may be a secret)");
    }
    return message.toString();
  }

  /** The message with every argument that is not an option name, where quoted, hidden. */
  static String withoutValues(String message, String[] args) {
    return withoutValues(message, args, value -> false);
  }

  /**
   * The message with every argument that is not an option name or {@code shown}, where quoted,
   * hidden.
   */
  static String withoutValues(String message, String[] args, Predicate<String> shown) {
    String out = message == null ? "invalid command line" : message;
    for (String arg : args) {
      int equals = arg.startsWith("-") ? arg.indexOf('=') : -1;
      String value = arg.startsWith("-") ? (equals < 0 ? null : arg.substring(equals + 1)) : arg;
      if (value != null && !value.isEmpty() && !shown.test(value)) {
        out = out.replace("'" + value + "'", "'" + HIDDEN + "'");
      }
    }
    return out;
  }

  /** A refused value that no secret Plateau takes could be: short, without punctuation. */
  static boolean cannotBeSecret(String value) {
    return CANNOT_BE_SECRET.matcher(value).matches();
  }

  /** "--timeout " and the problem, unless the problem names the option already. */
  private static String afterName(ArgSpec spec, String problem) {
    if (spec == null) {
      return problem;
    }
    String name = spec instanceof OptionSpec option ? option.longestName() : spec.paramLabel();
    return problem.startsWith(name + " ") ? problem : name + " " + problem;
  }
}
