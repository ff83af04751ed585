package dev.plateau.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@code --on-verdict}'s one splitting rule: quotes and backslashes group, nothing expands. */
class CommandWordsTest {

  @Test
  void wordsAreSplitAtSpacesAndTabs() {
    assertThat(CommandWords.split("  scancel\t--signal=TERM   1234 "))
        .containsExactly("scancel", "--signal=TERM", "1234");
  }

  @Test
  void quotesAndBackslashesKeepTextTogether() {
    assertThat(CommandWords.split("kubectl delete job 'my job' \"a \\\"b\\\" \\\\c\" d\\ e ''"))
        .containsExactly("kubectl", "delete", "job", "my job", "a \"b\" \\c", "d e", "");
  }

  @Test
  void nothingAShellWouldExpandIsExpanded() {
    assertThat(CommandWords.split("echo $HOME `id` $(id) ~ *.txt a;b |c"))
        .containsExactly("echo", "$HOME", "`id`", "$(id)", "~", "*.txt", "a;b", "|c");
  }

  @Test
  void anOpenQuoteOrATrailingBackslashIsAnError() {
    assertThatThrownBy(() -> CommandWords.split("a 'b")).hasMessageContaining("' is not closed");
    assertThatThrownBy(() -> CommandWords.split("a \"b")).hasMessageContaining("\" is not closed");
    assertThatThrownBy(() -> CommandWords.split("a b\\")).hasMessageContaining("escapes nothing");
  }
}
