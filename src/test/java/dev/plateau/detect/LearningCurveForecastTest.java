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

  /**
   * The holdout reads one fit at several positions: each reading must be, to the bit, the value of
   * a fit asked for that position, on noisy, binned (wide values), flat and rising inputs.
   */
  @Test
  void aFitReadAtAnotherPositionGivesThatPositionsFitToTheBit() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(24);
    int checked = 0;
    for (int trial = 0; trial < 400; trial++) {
      int m = 5 + random.nextInt(60);
      double[] from = new double[m];
      double[] to = new double[m];
      double[] y = new double[m];
      double[] w = new double[m];
      double width = 1 + random.nextInt(4) * random.nextInt(50);
      double start = 1 + random.nextInt(30);
      int shape = random.nextInt(4);
      for (int k = 0; k < m; k++) {
        from[k] = start + k * width;
        to[k] = from[k] + width - 1;
        double t = 0.5 * (from[k] + to[k]);
        double level =
            switch (shape) {
              case 0 -> 0.3 + 3 * Math.pow(t, -0.4);
              case 1 -> 1 + 5 * Math.exp(-t / (10 + random.nextInt(300)));
              case 2 -> 2.0; // flat: the fit may find no shape
              default -> 0.1 * Math.log(t); // rising
            };
        y[k] = level + random.nextGaussian() * 0.05 * random.nextInt(3);
        w[k] = to[k] - from[k] + 1;
      }
      double last = to[m - 1];
      double[] targets = {last, last * 1.5, last * 2, 0.5 * (from[m / 2] + to[m / 2]), last * 17};
      LearningCurveForecast once = new LearningCurveForecast(m);
      once.fit(from, to, y, w, m, targets[0]);
      for (double target : targets) {
        LearningCurveForecast each = new LearningCurveForecast(m);
        each.fit(from, to, y, w, m, target);
        assertThat(once.model).isEqualTo(each.model);
        assertThat(Double.doubleToRawLongBits(once.predictAt(target)))
            .as("trial %d, m %d, target %s", trial, m, target)
            .isEqualTo(Double.doubleToRawLongBits(each.value));
        checked += each.model != null ? 1 : 0;
      }
    }
    assertThat(checked).as("fits that found a model").isGreaterThan(1000);
  }
}
