package dev.plateau.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Random;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * Forecasts: known power laws and exponential approaches, with noise, are recovered at twice the
 * current step within their 90% intervals, by the fitter alone and in the plateau detector's
 * verdicts.
 */
class LearningCurveForecastTest {

  /** Fits points 1..m of {@code curve} (one per position) and predicts at {@code target}. */
  private static LearningCurveForecast fit(int m, IntToDoubleFunction curve, double target) {
    double[] t = new double[m];
    double[] y = new double[m];
    double[] w = new double[m];
    for (int k = 0; k < m; k++) {
      t[k] = k + 1;
      y[k] = curve.applyAsDouble(k + 1);
      w[k] = 1;
    }
    LearningCurveForecast f = new LearningCurveForecast(m);
    f.fit(t, t, y, w, m, target);
    return f;
  }

  @Test
  void aNoisyPowerLawIsRecoveredWithinItsInterval() {
    int covered = 0;
    for (long seed = 1; seed <= 20; seed++) {
      Random random = new Random(seed);
      IntToDoubleFunction truth = t -> 0.5 + 4 * Math.pow(t, -0.5);
      LearningCurveForecast f =
          fit(100, t -> truth.applyAsDouble(t) + 0.02 * random.nextGaussian(), 200);
      assertThat(f.lower).isLessThan(f.value);
      assertThat(f.upper).isGreaterThan(f.value);
      covered += f.lower <= truth.applyAsDouble(200) && truth.applyAsDouble(200) <= f.upper ? 1 : 0;
    }
    assertThat(covered).as("20 seeds, 90% intervals").isGreaterThanOrEqualTo(17);
  }

  @Test
  void aNoisyExponentialApproachIsRecoveredWithinItsInterval() {
    int covered = 0;
    for (long seed = 1; seed <= 20; seed++) {
      Random random = new Random(seed);
      IntToDoubleFunction truth = t -> 1 + 9 * Math.exp(-t / 25.0);
      LearningCurveForecast f =
          fit(60, t -> truth.applyAsDouble(t) + 0.05 * random.nextGaussian(), 120);
      covered += f.lower <= truth.applyAsDouble(120) && truth.applyAsDouble(120) <= f.upper ? 1 : 0;
      assertThat(f.model).isEqualTo(LearningCurveForecast.Model.EXPONENTIAL);
      assertThat(f.value)
          .isCloseTo(truth.applyAsDouble(120), org.assertj.core.data.Offset.offset(0.1));
      assertThat(f.upper - f.lower).isGreaterThan(0);
    }
    assertThat(covered).isGreaterThanOrEqualTo(17);
  }

  @Test
  void anExactCurveIsPredictedClosely() {
    LearningCurveForecast power = fit(80, t -> 2 + 3 / Math.sqrt(t), 160);
    assertThat(power.model).isEqualTo(LearningCurveForecast.Model.POWER_LAW);
    assertThat(power.value)
        .isCloseTo(2 + 3 / Math.sqrt(160), org.assertj.core.data.Offset.offset(0.01));
  }

  @Test
  void tooFewValuesGiveNoForecast() {
    LearningCurveForecast f = fit(4, t -> 1.0 / t, 8);
    assertThat(f.model).isNull();
    assertThat(f.value).isNaN();
  }

  @Test
  void everyPlateauVerdictCarriesAForecastAtTwiceTheStepThatHoldsTheTruth() {
    int covered = 0;
    for (long seed = 1; seed <= 10; seed++) {
      Random random = new Random(seed);
      IntToDoubleFunction truth = t -> 0.3 + 2 * Math.pow(t + 1, -0.7);
      PlateauDetector detector = new PlateauDetector(Mode.MIN, PlateauDetector.Params.DEFAULTS);
      Judgement j = null;
      for (int t = 0; t < 150; t++) {
        j = detector.observe(t, 0, truth.applyAsDouble(t) + 0.005 * random.nextGaussian());
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> f = (Map<String, Object>) j.evidence().get("forecast");
      assertThat(f)
          .as(j.status() + " " + j.evidence())
          .containsKeys("model", "step", "value", "lower", "upper", "fitted_at_points");
      long step = (Long) f.get("step");
      assertThat(step).isEqualTo(2 * (Long) f.get("fitted_at_points") - 2);
      double at = truth.applyAsDouble((int) step);
      assertThat((Double) f.get("value")).isCloseTo(at, org.assertj.core.data.Offset.offset(0.005));
      assertThat((Double) f.get("lower")).isLessThanOrEqualTo((Double) f.get("upper"));
      covered += (Double) f.get("lower") <= at && at <= (Double) f.get("upper") ? 1 : 0;
    }
    // The detector fits bins (a bin's value against the model's mean over its points, so the
    // early curvature does not bias it): the same coverage as a fit of every point.
    assertThat(covered).isGreaterThanOrEqualTo(8);
  }
}
