package dev.plateau.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits {@code --on-verdict}'s text into a program and its arguments, the one rule for it: words
 * are separated by spaces and tabs; {@code '...'} keeps everything inside as it is; {@code "..."}
 * too, except that {@code \"} and {@code \\} stand for {@code "} and {@code \}; outside quotes, a
 * backslash keeps the next character as it is. Nothing else is special: no {@code $} or backquote
 * expansion, no globs, no {@code ~}, no {@code ;} or pipes, because no shell ever reads the words.
 * For a shell, say so: {@code sh -c '...'}.
 */
final class CommandWords {
  private CommandWords() {}

  /**
   * The words of {@code text}.
   *
   * @throws IllegalArgumentException for a quote left open or a backslash at the end
   */
  static List<String> split(String text) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == ' ' || c == '\t') {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        i++;
      } else if (c == '\'') {
        int end = text.indexOf('\'', i + 1);
        if (end < 0) {
          throw new IllegalArgumentException("a ' is not closed");
        }
        word.append(text, i + 1, end);
        inWord = true;
        i = end + 1;
      } else if (c == '"') {
        i = doubleQuoted(text, i + 1, word);
        inWord = true;
      } else if (c == '\\') {
        if (i + 1 >= text.length()) {
          throw new IllegalArgumentException("a \\ ends the text; it escapes nothing");
        }
        word.append(text.charAt(i + 1));
        inWord = true;
        i += 2;
      } else {
        word.append(c);
        inWord = true;
        i++;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }

  /** Appends a double-quoted part from {@code start}; returns the index after its closing quote. */
  private static int doubleQuoted(String text, int start, StringBuilder word) {
    int i = start;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '"') {
        return i + 1;
      }
      if (c == '\\'
          && i + 1 < text.length()
          && (text.charAt(i + 1) == '"' || text.charAt(i + 1) == '\\')) {
        word.append(text.charAt(i + 1));
        i += 2;
      } else {
        word.append(c);
        i++;
      }
    }
    throw new IllegalArgumentException("a \" is not closed");
  }
}
