package dev.plateau.server;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;

/**
 * JSON escaping that also writes {@code <}, {@code >}, {@code &} and {@code '} as {@code \}{@code
 * uXXXX}: the JSON means the same, but no run or tag name in it can form markup, should the text
 * ever be sniffed or embedded as HTML.
 */
final class HtmlSafeJsonEscapes extends CharacterEscapes {
  private static final long serialVersionUID = 1L;

  private final int[] codes;

  HtmlSafeJsonEscapes() {
    codes = standardAsciiEscapesForJSON();
    for (char c : new char[] {'<', '>', '&', '\''}) {
      codes[c] = ESCAPE_STANDARD;
    }
  }

  @Override
  public int[] getEscapeCodesForAscii() {
    return codes.clone();
  }

  @Override
  public SerializableString getEscapeSequence(int ch) {
    return null;
  }
}
