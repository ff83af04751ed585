package dev.plateau.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlTest {
  /** RLO, LRI, PDI, ZWSP, ZWJ, BOM, BEL, TAB, LINE SEPARATOR and a tag character (U+E0041). */
  static final String HIDDEN =
      "\u202E"
          + "\u2066"
          + "\u2069"
          + "\u200B"
          + "\u200D"
          + "\uFEFF"
          + "\u0007"
          + "\t"
          + "\u2028"
          + new String(Character.toChars(0xE0041));

  @Test
  void bidiZeroWidthAndControlCharactersInTextAreShownAsTheirCodeInAMarkedSpan() {
    String shown = Html.text("exp1" + "\u202E" + "gnp.exe");
    assertThat(shown)
        .isEqualTo("exp1<span class=\"cp\" title=\"RIGHT-TO-LEFT OVERRIDE\">\\u202E</span>gnp.exe");
    String all = Html.text(HIDDEN);
    for (String code :
        new String[] {
          "\\u202E",
          "\\u2066",
          "\\u2069",
          "\\u200B",
          "\\u200D",
          "\\uFEFF",
          "\\u0007",
          "\\u0009",
          "\\u2028",
          "\\U000E0041"
        }) {
      assertThat(all).contains(">" + code + "</span>");
    }
    assertThat(all.codePoints()).noneMatch(Html::isHidden);
  }

  @Test
  void hiddenCharactersInAttributesAreWrittenAsTheirCodeWithoutMarkup() {
    String value = Html.attribute("val" + "\u200B" + "_loss\"" + "\u202E");
    assertThat(value).isEqualTo("val\\u200B_loss&quot;\\u202E");
  }

  @Test
  void markupIsEscapedAndVisibleTextOfAnyScriptIsLeftAsItIs() {
    assertThat(Html.text("<b>&'\"")).isEqualTo("&lt;b&gt;&amp;&#39;&quot;");
    String visible = "Verlust über Zeit, 損失, خسارة, loss 📉 a b";
    assertThat(Html.text(visible)).isEqualTo(visible);
    assertThat(Html.attribute(visible)).isEqualTo(visible);
  }

  @Test
  void aLoneSurrogateIsShownAsItsCode() {
    assertThat(Html.attribute("a" + '\uD800' + "b")).isEqualTo("a\\uD800b");
  }
}
