package dev.plateau.match;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GlobTest {

  private static boolean matches(String pattern, String name) {
    return Glob.compile(pattern).matches(name);
  }

  @ParameterizedTest(name = "''{0}'' matches ''{1}''")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "*|``",
        "*|loss",
        "*|train/loss/total",
        "loss*|loss",
        "loss*|loss/train",
        "*/loss|train/loss",
        "*/loss|a/b/c/loss",
        "*loss*|eval/loss_ema",
        "?|a",
        "?|/",
        "l?ss|loss",
        "l?ss|l/ss",
        "[abc]|b",
        "[a-z]x|qx",
        "[!abc]|d",
        "[!a-c]|/",
        "[]]|]",
        "[a-]|-",
        "[-a]|-",
        "[a^]|^",
        "[^a]|^",
        "[a&&b]|&",
        "[.]|.",
        "\\*|*",
        "\\?|?",
        "\\[x]|[x]",
        "a\\b|ab",
        "end\\|end\\",
        "a.b|a.b",
        "(x)+|(x)+",
        "$^{1}|$^{1}",
        "\\Q*\\E|Q-anything-E",
        "\\\\E*|\\E-x",
        "loss?|loss😀",
        "λ*|λόγος",
      })
  void patternMatchesName(String pattern, String name) {
    assertThat(matches(pattern, name)).isTrue();
  }

  @ParameterizedTest(name = "''{0}'' does not match ''{1}''")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "loss|train/loss",
        "loss|loss2",
        "loss|Loss",
        "?|``",
        "?|ab",
        "l?ss|lss",
        "[abc]|d",
        "[abc]|ab",
        "[!abc]|a",
        "[!a-c]|b",
        "[a-z]|A",
        "[a^]|b",
        "\\*|x",
        "a.b|axb",
        "(x)+|xx",
        "*/loss|loss",
        "[.]|x",
      })
  void patternDoesNotMatchName(String pattern, String name) {
    assertThat(matches(pattern, name)).isFalse();
  }

  @Test
  void regexAlternationIsLiteral() {
    assertThat(matches("a|b", "a|b")).isTrue();
    assertThat(matches("a|b", "a")).isFalse();
  }

  @Test
  void wildcardsMatchLineBreaks() {
    assertThat(matches("a*b", "a\nb")).isTrue();
    assertThat(matches("a?b", "a\nb")).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"[", "[abc", "loss[", "[]", "[]abc", "a[!"})
  void unclosedClassIsRejectedNamingThePattern(String pattern) {
    assertThatThrownBy(() -> Glob.compile(pattern))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + pattern + "'")
        .hasMessageContaining("without a closing ']'");
  }

  @Test
  void toStringIsThePattern() {
    assertThat(Glob.compile("train/*").toString()).isEqualTo("train/*");
  }

  @Test
  void complementedClassMayStartWithAClosingBracket() {
    assertThat(matches("[!]]", "a")).isTrue();
    assertThat(matches("[!]]", "]")).isFalse();
    assertThat(matches("x[!]a]", "xb")).isTrue();
    assertThat(matches("x[!]a]", "xa")).isFalse();
    assertThatThrownBy(() -> Glob.compile("[!]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'[!]'");
  }
}
