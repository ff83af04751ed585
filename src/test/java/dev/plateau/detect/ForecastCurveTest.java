package dev.plateau.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The questions a fitted curve answers, on curves whose answers are known in closed form. */
class ForecastCurveTest {
  /** y = 1 + 8·e^(-t/8) over positions t = step + 1 (one point per step), min metric. */
  static ForecastCurve exponential(long lastStep, double secondsPerStep) {
    return new ForecastCurve(
        false, 1, 8, 1 / 8.0, Mode.MIN, lastStep, lastStep + 1, 1, secondsPerStep, 1.7e9);
  }

  @Test
  void valueAtAStepIsTheCurvesValueThere() {
    ForecastCurve c = exponential(29, 60);
    assertThat(c.valueAt(79)).isCloseTo(1 + 8 * Math.exp(-80 / 8.0), within(1e-12));
  }

  @Test
  void aTargetIsReachedWhereTheCurveCrossesIt() {
    ForecastCurve c = exponential(29, 60);
    // 1 + 8·e^(-t/8) = 1.05 at t = 8·ln(160) = 40.6: position 41, step 40.
    OptionalLong step = c.stepReaching(1.05, 58);
    assertThat(step).hasValue(40);
    assertThat(c.secondsUntil(40)).isEqualTo(11 * 60.0);
  }

  @Test
  void aTargetBeyondTheAsymptoteOrTheHorizonIsNotReached() {
    ForecastCurve c = exponential(29, 60);
    assertThat(c.stepReaching(0.99, 1_000_000)).isEmpty();
    assertThat(c.stepReaching(1.05, 39)).as("crossed at 40, after the horizon").isEmpty();
    assertThat(c.stepReaching(5, 58)).as("already there").hasValue(29);
  }

  @Test
  void aMaxMetricReachesATargetAbove() {
    // accuracy = 0.9 - 0.8·e^(-t/10), stored lower-is-better as its negation.
    ForecastCurve c =
        new ForecastCurve(false, -0.9, 0.8, 0.1, Mode.MAX, 9, 10, 1, Double.NaN, Double.NaN);
    // 0.9 - 0.8·e^(-t/10) >= 0.85 from t = 10·ln(16) = 27.7: position 28, step 27.
    assertThat(c.stepReaching(0.85, 100)).hasValue(27);
    assertThat(c.secondsUntil(27)).isNaN();
  }

  @Test
  void aPowerLawStopsGainingMinDeltaWhereTheClosedFormSays() {
    // y = 0.5 + 4·t^-0.5; doubling from t gains 4·t^-0.5·(1 - 2^-0.5) < 0.02 from
    // t = (4·(1 - 2^-0.5)/0.02)^2 = 3431.4: position 3432, step 3431 (one point per step).
    ForecastCurve c =
        new ForecastCurve(true, 0.5, 4, 0.5, Mode.MIN, 99, 100, 1, Double.NaN, Double.NaN);
    OptionalLong step = c.stepGainingLessThan(0.02, 1.0, 1_000_000);
    assertThat(step).isPresent();
    assertThat(step.getAsLong()).isBetween(3430L, 3432L);
    assertThat(c.stepGainingLessThan(0.02, 1.0, 3000)).as("beyond the limit").isEmpty();
  }

  @Test
  void stepsMapToPositionsAtTheSeriesSpacing() {
    // Points every 100 steps: the last (step 4900) is position 50.
    ForecastCurve c =
        new ForecastCurve(false, 1, 8, 1 / 8.0, Mode.MIN, 4900, 50, 100, 0.5, Double.NaN);
    assertThat(c.valueAt(5900)).isCloseTo(1 + 8 * Math.exp(-60 / 8.0), within(1e-12));
    assertThat(c.secondsUntil(5900)).isEqualTo(500.0);
  }
}
