package dev.plateau.verdict;

import dev.plateau.detect.StopPolicy;
import dev.plateau.detect.StoppingSavings;
import dev.plateau.detect.Verdict;
import java.util.List;

/** What stopping saved for experiments as they stand ({@link StoppingSavings}). */
public final class ExperimentSavings {
  private ExperimentSavings() {}

  /** One experiment's: from its deciding series (all its series when none decides). */
  public static StoppingSavings of(ExperimentVerdict e, StopPolicy stops) {
    List<Verdict> deciding = e.deciding().isEmpty() ? e.series() : e.deciding();
    Long stoppedAt = stops.stops(e.status()) ? StoppingSavings.stoppedAt(deciding, stops) : null;
    return StoppingSavings.of(deciding, stoppedAt);
  }

  /** The sum over {@code experiments}. */
  public static StoppingSavings total(List<ExperimentVerdict> experiments, StopPolicy stops) {
    StoppingSavings sum = StoppingSavings.NONE;
    for (ExperimentVerdict e : experiments) {
      sum = sum.plus(of(e, stops));
    }
    return sum;
  }
}
