package dev.plateau.format;

import dev.plateau.detect.StoppingSavings;
import java.util.Locale;

/**
 * What stopping saved, in one line for people: {@code stopping saved: 1200 steps (0.33 h) after the
 * best steps; 2 of 5 experiments stopped, sparing 4000 steps (1.1 h)}; hours are left out where no
 * pace is known.
 */
public final class SavingsText {
  private SavingsText() {}

  /** The line. */
  public static String of(StoppingSavings s) {
    return String.format(
        Locale.ROOT,
        "stopping saved: %d steps%s after the best steps; %d of %d experiments stopped, sparing %d"
            + " steps%s",
        s.stepsAfterBest(),
        hours(s.hoursAfterBest()),
        s.stopped(),
        s.experiments(),
        s.stepsSpared(),
        hours(s.hoursSpared()));
  }

  private static String hours(double hours) {
    return hours > 0 && Double.isFinite(hours)
        ? String.format(Locale.ROOT, " (%.2g h)", hours)
        : "";
  }
}
