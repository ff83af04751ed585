package dev.plateau.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A duration as a user wrote it, and what it means. The one reading of durations for the
 * configuration's keys, the detectors' spans and the command line's options:
 *
 * <ul>
 *   <li>a number of seconds: {@code 30}, {@code 0.5};
 *   <li>amounts with units {@code ms}, {@code s}, {@code m}, {@code h}, {@code d} (any case,
 *       decimals allowed, spaces between allowed), alone or together from the largest unit to the
 *       smallest: {@code 500ms}, {@code 2s}, {@code 1.5h}, {@code 1m30s}, {@code 1h 30m};
 *   <li>ISO-8601, as {@link Duration#parse} reads it: {@code PT1M30S}, {@code P1DT2H}.
 * </ul>
 *
 * Negative durations are not durations. The text is kept to say the duration back to the user as
 * they wrote it.
 *
 * @param text the duration as written
 * @param duration what it means
 */
public record DurationText(String text, Duration duration) {
  private static final Pattern NUMBER = Pattern.compile("\\d+(?:\\.\\d+)?");
  private static final Pattern PART =
      Pattern.compile("\\G\\s*(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)", Pattern.CASE_INSENSITIVE);

  /** The units from the largest to the smallest, each with its length in nanoseconds. */
  private enum Unit {
    D(86_400_000_000_000L),
    H(3_600_000_000_000L),
    M(60_000_000_000L),
    S(1_000_000_000L),
    MS(1_000_000L);

    final BigDecimal nanos;

    Unit(long nanos) {
      this.nanos = BigDecimal.valueOf(nanos);
    }
  }

  private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);

  /** The duration {@code text} writes, or empty when it is not one of the forms above. */
  public static Optional<DurationText> parse(String text) {
    String trimmed = text.trim();
    if (trimmed.isEmpty()) {
      return Optional.empty();
    }
    try {
      if (NUMBER.matcher(trimmed).matches()) {
        return Optional.of(
            new DurationText(text, ofNanos(new BigDecimal(trimmed).multiply(Unit.S.nanos))));
      }
      if (trimmed.charAt(0) == 'P' || trimmed.charAt(0) == 'p') {
        Duration iso = Duration.parse(trimmed);
        return iso.isNegative() ? Optional.empty() : Optional.of(new DurationText(text, iso));
      }
      return compound(trimmed).map(d -> new DurationText(text, d));
    } catch (ArithmeticException | DateTimeParseException e) {
      return Optional.empty(); // longer than a Duration holds, or not ISO-8601 after all
    }
  }

  /**
   * What is wrong with a text that is not a duration, the same words wherever a duration is read;
   * the caller says where (a key, an option) before it.
   *
   * @param shown the text as it may be shown (an option's value that could be a secret is not)
   */
  public static String notADuration(String shown) {
    return "'" + shown + "' is not a duration; write e.g. 500ms, 45s, 1m30s, 2h or 1d";
  }

  /** The duration in seconds, as the detectors' parameters hold it. */
  public double seconds() {
    return duration.getSeconds() + duration.getNano() / 1e9;
  }

  @Override
  public String toString() {
    return text;
  }

  /** Amounts with units, each unit smaller than the one before it. */
  private static Optional<Duration> compound(String text) {
    Matcher part = PART.matcher(text);
    BigDecimal nanos = BigDecimal.ZERO;
    int end = 0;
    Unit previous = null;
    while (part.find()) {
      Unit unit = Unit.valueOf(part.group(2).toUpperCase(Locale.ROOT));
      if (previous != null && unit.ordinal() <= previous.ordinal()) {
        return Optional.empty();
      }
      nanos = nanos.add(new BigDecimal(part.group(1)).multiply(unit.nanos));
      previous = unit;
      end = part.end();
    }
    return end == text.length() && previous != null
        ? Optional.of(ofNanos(nanos))
        : Optional.empty();
  }

  private static Duration ofNanos(BigDecimal nanos) {
    BigInteger[] secondsAndNanos =
        nanos
            .setScale(0, RoundingMode.HALF_UP)
            .toBigIntegerExact()
            .divideAndRemainder(NANOS_PER_SECOND);
    return Duration.ofSeconds(
        secondsAndNanos[0].longValueExact(), secondsAndNanos[1].longValueExact());
  }
}
