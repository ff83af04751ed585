package dev.plateau.cli;

import dev.plateau.config.DurationText;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/**
 * Reads a duration option as {@link DurationText} does (30, 500ms, 1m30s, PT1M30S) and checks it
 * against the option's bounds. A subclass per kind of bound, since picocli makes converters from
 * their class.
 */
class DurationConverter implements ITypeConverter<DurationText> {
  private final DurationText least;
  private final DurationText most;
  private final boolean zeroIsOff;

  /**
   * @param least the shortest duration allowed, as it is said in the message
   * @param most the longest, or null for no bound
   * @param zeroIsOff whether 0 (any zero duration) and {@code off} are allowed, as the zero
   *     duration
   */
  DurationConverter(String least, String most, boolean zeroIsOff) {
    this.least = bound(least);
    this.most = most == null ? null : bound(most);
    this.zeroIsOff = zeroIsOff;
  }

  @Override
  public DurationText convert(String value) {
    if (zeroIsOff && value.trim().equalsIgnoreCase("off")) {
      return new DurationText(value, Duration.ZERO);
    }
    DurationText read =
        DurationText.parse(value)
            .orElseThrow(() -> new OptionValueException(DurationText.notADuration(value)));
    if (zeroIsOff && read.duration().isZero()) {
      return read;
    }
    if (read.duration().compareTo(least.duration()) < 0
        || (most != null && read.duration().compareTo(most.duration()) > 0)) {
      throw new OptionValueException(
          (most == null ? "must be at least " + least : "must be between " + least + " and " + most)
              + ", got "
              + value);
    }
    return read;
  }

  private static DurationText bound(String text) {
    return DurationText.parse(text).orElseThrow(() -> new IllegalArgumentException(text));
  }

  /** An interval or a time limit: at least 10 ms ({@code --poll-interval}, {@code --timeout}). */
  static final class Interval extends DurationConverter {
    Interval() {
      super("10ms", null, false);
    }
  }

  /**
   * An interval that 0 or {@code off} turns off ({@code --park-after}, {@code
   * --checkpoint-interval}).
   */
  static final class IntervalOrOff extends DurationConverter {
    IntervalOrOff() {
      super("10ms", null, true);
    }
  }
}
