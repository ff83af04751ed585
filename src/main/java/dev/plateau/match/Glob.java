package dev.plateau.match;

import java.util.regex.Pattern;

/**
 * A shell-style pattern for run and tag names: {@code *} matches any run of characters ('/'
 * included, since tags like {@code loss/train} use it as a plain character), {@code ?} one
 * character, {@code [abc]} and {@code [a-z]} a character class ({@code [!abc]} its complement), and
 * a backslash makes the next character literal. The whole name must match.
 */
public final class Glob {
  private final String pattern;
  private final Pattern regex;

  private Glob(String pattern, Pattern regex) {
    this.pattern = pattern;
    this.regex = regex;
  }

  /**
   * Compiles a pattern.
   *
   * @throws IllegalArgumentException naming the pattern when a class is not closed
   */
  public static Glob compile(String pattern) {
    StringBuilder out = new StringBuilder(pattern.length() + 8);
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      switch (c) {
        case '*' -> out.append(".*");
        case '?' -> out.append('.');
        case '\\' -> {
          if (i + 1 < pattern.length()) {
            out.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
          } else {
            out.append("\\\\");
          }
        }
        case '[' -> {
          // A ']' right after '[' or '[!' is a member of the class, not its end.
          int first = i + 1 + (pattern.startsWith("!", i + 1) ? 1 : 0);
          int end = pattern.indexOf(']', first + 1);
          if (end < 0) {
            throw new IllegalArgumentException(
                "pattern '" + pattern + "' has a '[' at position " + i + " without a closing ']'");
          }
          String body = pattern.substring(i + 1, end);
          out.append('[');
          if (body.startsWith("!")) {
            out.append('^');
            body = body.substring(1);
          }
          for (char b : body.toCharArray()) {
            if (b == '\\' || b == '[' || b == ']' || b == '^' || b == '&') {
              out.append('\\');
            }
            out.append(b);
          }
          out.append(']');
          i = end;
        }
        default -> out.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return new Glob(pattern, Pattern.compile(out.toString(), Pattern.DOTALL));
  }

  public boolean matches(String name) {
    return regex.matcher(name).matches();
  }

  @Override
  public String toString() {
    return pattern;
  }
}
