package dev.plateau.detect;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What stopping saved, for one experiment or summed over many: the steps (and wall-clock hours)
 * trained after the checkpoint to keep, and for a stopped experiment the steps (and hours) its stop
 * spared up to the run's end. Pure: read from verdicts, no clock.
 *
 * <p><b>After the best.</b> The experiment's reference series is the one, among those that decide
 * its status, whose best step came last (the checkpoint the experiment waits for); the steps after
 * it are its last step minus that best step.
 *
 * <p><b>Spared.</b> For a stopped experiment (a status that stops a job): from the step it stopped
 * at (the latest step at which a deciding series entered a stopping status) to the run's end: its
 * {@code max_steps} when the configuration or the run says it (the forecast's {@code max_steps});
 * otherwise the forecast's default horizon at the stop, twice the stop's step; never before the
 * last step the run reached (steps trained after the stop are steps the stop would have spared).
 *
 * <p><b>Hours</b> are steps at the reference series' average pace ({@code steps_per_hour} in its
 * forecast, from the writer's wall times); NaN for an experiment whose pace is unknown, and left
 * out of a sum.
 *
 * @param stepsAfterBest steps trained after the best step
 * @param hoursAfterBest hours trained after the best step (NaN when unknown)
 * @param stepsSpared steps a stop spared up to the run's end (0 when not stopped)
 * @param hoursSpared hours a stop spared (NaN when unknown, 0 when not stopped)
 * @param experiments experiments counted
 * @param stopped experiments stopped among them
 */
public record StoppingSavings(
    long stepsAfterBest,
    double hoursAfterBest,
    long stepsSpared,
    double hoursSpared,
    int experiments,
    int stopped) {

  /** Nothing counted yet: the start of a sum. */
  public static final StoppingSavings NONE = new StoppingSavings(0, 0, 0, 0, 0, 0);

  /**
   * An experiment's savings from its series' verdicts.
   *
   * @param deciding the series that decide its status (all its series when none is named)
   * @param stoppedAt the step it stopped at, or null when it did not stop
   */
  public static StoppingSavings of(List<Verdict> deciding, @Nullable Long stoppedAt) {
    Verdict reference = null;
    for (Verdict v : deciding) {
      if (v.bestStep() != null && (reference == null || v.bestStep() > reference.bestStep())) {
        reference = v;
      }
    }
    if (reference == null) {
      return new StoppingSavings(0, Double.NaN, 0, stoppedAt == null ? 0 : Double.NaN, 1, 0);
    }
    double stepsPerHour = Double.NaN;
    long plannedEnd = 0;
    long lastStep = 0;
    for (Verdict v : deciding) {
      lastStep = Math.max(lastStep, v.lastStep());
      if (v.evidence().get("forecast") instanceof Map<?, ?> f) {
        if (Double.isNaN(stepsPerHour) && f.get("steps_per_hour") instanceof Number pace) {
          stepsPerHour = pace.doubleValue();
        }
        if (plannedEnd == 0 && f.get("max_steps") instanceof Number end) {
          plannedEnd = end.longValue();
        }
      }
    }
    long afterBest = Math.max(0, reference.lastStep() - reference.bestStep());
    if (stoppedAt == null) {
      return new StoppingSavings(afterBest, hours(afterBest, stepsPerHour), 0, 0, 1, 0);
    }
    long forecastEnd = stoppedAt > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : 2 * stoppedAt;
    long end = Math.max(lastStep, plannedEnd > 0 ? plannedEnd : forecastEnd);
    long spared = Math.max(0, end - stoppedAt);
    return new StoppingSavings(
        afterBest, hours(afterBest, stepsPerHour), spared, hours(spared, stepsPerHour), 1, 1);
  }

  /**
   * The step an experiment stopped at: the latest step at which one of its deciding series entered
   * a status that stops a job; null when none did (it did not stop).
   */
  public static @Nullable Long stoppedAt(List<Verdict> deciding, StopPolicy stops) {
    Long latest = null;
    for (Verdict v : deciding) {
      if (stops.stops(v.status()) && v.decidedAtStep() != null) {
        latest = latest == null ? v.decidedAtStep() : Math.max(latest, v.decidedAtStep());
      }
    }
    return latest;
  }

  /** The sum of two (hours unknown on one side count as none). */
  public StoppingSavings plus(StoppingSavings o) {
    return new StoppingSavings(
        stepsAfterBest + o.stepsAfterBest,
        known(hoursAfterBest) + known(o.hoursAfterBest),
        stepsSpared + o.stepsSpared,
        known(hoursSpared) + known(o.hoursSpared),
        experiments + o.experiments,
        stopped + o.stopped);
  }

  private static double hours(long steps, double stepsPerHour) {
    return stepsPerHour > 0 && Double.isFinite(stepsPerHour) ? steps / stepsPerHour : Double.NaN;
  }

  private static double known(double hours) {
    return Double.isNaN(hours) ? 0 : hours;
  }
}
