package dev.plateau.server;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Numbers as a person reads them on the page: three significant digits ({@code 0.000058}, not
 * {@code 5.80430387344677E-5}), whole numbers from a thousand on without decimals, and an exponent
 * ({@code 5.8e-9}) only for values very small or very large.
 */
final class HumanNumber {
  /** A decimal with a fraction or an exponent, as Java and detectors print doubles. */
  private static final Pattern LONG_DECIMAL =
      Pattern.compile("(?<![\\w./-])-?\\d+(?:\\.\\d+(?:[eE][-+]?\\d+)?|[eE][-+]?\\d+)(?![\\w.])");

  private static final MathContext THREE = new MathContext(3);

  private HumanNumber() {}

  /** A value with three significant digits. */
  static String of(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "∞" : "-∞";
    }
    if (value == 0) {
      return "0";
    }
    double abs = Math.abs(value);
    if (abs >= 1e3 && abs < 1e9) {
      return String.format(Locale.ROOT, "%.0f", value);
    }
    if (abs >= 1e-4 && abs < 1e3) {
      return new BigDecimal(value).round(THREE).stripTrailingZeros().toPlainString();
    }
    String e = String.format(Locale.ROOT, "%.2e", value); // 5.80e-05
    int at = e.indexOf('e');
    String mantissa = e.substring(0, at).replaceAll("\\.?0+$", "");
    int exponent = Integer.parseInt(e.substring(at + 1));
    return mantissa + "e" + exponent;
  }

  /**
   * A line of text (a verdict's reason) with every decimal that has a fraction or an exponent
   * rewritten by {@link #of}; whole numbers (steps, counts) stay as they are.
   */
  static String inText(String text) {
    Matcher m = LONG_DECIMAL.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    while (m.find()) {
      String shown;
      try {
        shown = of(Double.parseDouble(m.group()));
      } catch (NumberFormatException e) {
        shown = m.group();
      }
      m.appendReplacement(out, Matcher.quoteReplacement(shown));
    }
    m.appendTail(out);
    return out.toString();
  }
}
