package dev.plateau.format;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextTableTest {

  @Test
  void columnsAreAlignedTwoSpacesApartWithRightAlignedColumnsPaddedOnTheLeft() {
    TextTable t = new TextTable(new String[] {"run", "status", "points"}, 2);
    t.add("exp/validation", "converged", "7");
    t.add("a", "training", "12345");
    assertThat(t.rows()).isEqualTo(2);
    assertThat(t.render())
        .isEqualTo(
            "run             status     points\n"
                + "exp/validation  converged       7\n"
                + "a               training    12345\n");
  }

  @Test
  void noTrailingSpacesOnLeftAlignedLastColumn() {
    TextTable t = new TextTable(new String[] {"a", "b"});
    t.add("x", "long value");
    t.add("yy", "v");
    String out = t.render();
    assertThat(out).isEqualTo("a   b\nx   long value\nyy  v\n");
    for (String line : out.split("\n")) {
      assertThat(line).doesNotEndWith(" ");
    }
  }

  @Test
  void missingAndNullCellsAreEmpty() {
    TextTable t = new TextTable(new String[] {"a", "b", "c"}, 1);
    t.add("1");
    t.add("2", null, "z");
    assertThat(t.render()).isEqualTo("a  b  c\n1\n2     z\n");
  }

  @Test
  void widthCountsCodePointsSoSparklinesAndEmojiAlign() {
    TextTable t = new TextTable(new String[] {"curve", "n"});
    t.add("▁▂█", "1");
    t.add("\uD83D\uDE00", "2"); // one code point, two chars
    assertThat(t.render()).isEqualTo("curve  n\n▁▂█    1\n\uD83D\uDE00      2\n");
  }

  @Test
  void controlAndDirectionChangingCharactersInCellsAreShownEscapedOnOneLine() {
    TextTable table = new TextTable(new String[] {"RUN", "TAG"});
    table.add("nl\nforged", "\u202Eevil\u200B");
    table.add("esc\u001B[31m", "ok");
    String shown = table.render();
    assertThat(shown.lines()).hasSize(3);
    assertThat(shown)
        .contains("nl\\nforged", "\\u202Eevil\\u200B", "esc\\u001B[31m")
        .doesNotContain("\u202E")
        .doesNotContain("\u001B");
  }
}
