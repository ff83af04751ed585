package dev.plateau.tune;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Choosing among settings by their summaries: the frontier (the settings no other beats on both
 * false stops and savings) and the setting that saves most within a false-stop budget.
 */
public final class Frontier {
  private Frontier() {}

  /**
   * The settings on the frontier: no other setting has at most their false-stop rate and more
   * savings, or a lower false-stop rate and at least their savings.
   */
  public static <T> List<T> of(List<T> settings, Function<T, Summary> summary) {
    List<T> out = new ArrayList<>();
    for (T s : settings) {
      Summary a = summary.apply(s);
      boolean dominated = false;
      for (T other : settings) {
        Summary b = summary.apply(other);
        if (other != s
            && b.falseStopRate() <= a.falseStopRate()
            && b.meanSavings() >= a.meanSavings()
            && (b.falseStopRate() < a.falseStopRate() || b.meanSavings() > a.meanSavings())) {
          dominated = true;
          break;
        }
      }
      if (!dominated) {
        out.add(s);
      }
    }
    return out;
  }

  /**
   * The setting with the most savings among those whose false-stop rate is at most {@code maxFalse}
   * (on a tie, the fewer false stops, then the first); empty when none is within it.
   */
  public static <T> Optional<T> best(
      List<T> settings, Function<T, Summary> summary, double maxFalse) {
    T best = null;
    for (T s : settings) {
      Summary a = summary.apply(s);
      if (a.falseStopRate() > maxFalse) {
        continue;
      }
      if (best == null) {
        best = s;
        continue;
      }
      Summary b = summary.apply(best);
      if (a.meanSavings() > b.meanSavings()
          || (a.meanSavings() == b.meanSavings() && a.falseStopRate() < b.falseStopRate())) {
        best = s;
      }
    }
    return Optional.ofNullable(best);
  }
}
