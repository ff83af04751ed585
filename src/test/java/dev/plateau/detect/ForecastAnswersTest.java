package dev.plateau.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The plateau detector's forecast answers issue 21's questions in a series' verdict: the level at
 * the run's max_steps with its interval, when a target rule's target is reached (or not within the
 * horizon), and the step from which training gains less than min_delta.
 */
class ForecastAnswersTest {
  static final double START = 1.7e9;

  /** 1 + 8·e^(-(step+1)/8), with a little noise. */
  static double curve(int step, Random noise) {
    return 1 + 8 * Math.exp(-(step + 1) / 8.0) + 0.002 * noise.nextGaussian();
  }

  static SeriesJudge judge(long maxSteps, double target) {
    PlateauDetector plateau = new PlateauDetector(Mode.MIN, PlateauDetector.Params.DEFAULTS);
    plateau.plannedEnd(maxSteps);
    return new SeriesJudge(
        "exp",
        "val_loss",
        Mode.MIN,
        List.of(plateau, new TargetDetector(Mode.MIN, new TargetDetector.Params(target))));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> forecast(SeriesJudge j) {
    return (Map<String, Object>) j.verdict().evidence().get("forecast");
  }

  static void feed(SeriesJudge j, int points) {
    Random noise = new Random(7);
    for (int t = 0; t < points; t++) {
      j.observe(t, START + 60.0 * t, curve(t, noise)); // a point a minute
    }
  }

  @Test
  void theLevelAtMaxStepsComesWithAnIntervalThatHoldsTheTruth() {
    SeriesJudge j = judge(200, 0.5);
    feed(j, 40);
    Map<String, Object> f = forecast(j);
    assertThat(f).containsEntry("max_steps", 200L);
    double lower = (Double) f.get("max_steps_lower");
    double upper = (Double) f.get("max_steps_upper");
    double value = (Double) f.get("max_steps_value");
    assertThat(lower).isLessThanOrEqualTo(value).isLessThan(1.01);
    assertThat(upper).isGreaterThanOrEqualTo(value).isGreaterThan(0.99);
    assertThat(f.get("steps_per_hour")).isEqualTo(60.0);
  }

  @Test
  void withoutAPlannedEndThereIsNoMaxStepsForecast() {
    SeriesJudge j = judge(0, 0.5);
    feed(j, 40);
    assertThat(forecast(j)).containsKey("value").doesNotContainKey("max_steps");
  }

  @Test
  void aReachableTargetIsGivenItsStepAndTimeAtTheSeriesPace() {
    SeriesJudge j = judge(0, 1.2); // the truth crosses 1.2 at step 28.5 (t = 8·ln(40) = 29.5)
    feed(j, 24);
    Map<String, Object> f = forecast(j);
    assertThat(f).containsEntry("target", 1.2).containsEntry("target_within_horizon", true);
    long step = (Long) f.get("target_step");
    assertThat(step).isBetween(25L, 34L);
    ForecastCurve curve = j.detectors().get(0).forecastCurve();
    assertThat(curve.stepReaching(1.2, (Long) f.get("target_horizon_step"))).hasValue(step);
    long fittedAt = curve.lastStep();
    double hours = (Double) f.get("target_hours");
    assertThat(hours).isCloseTo((step - fittedAt) / 60.0, within(1e-9));
    assertThat((Double) f.get("target_wall_time"))
        .isCloseTo(START + 60.0 * fittedAt + hours * 3600, within(1e-3));
  }

  @Test
  void aTargetBelowTheAsymptoteIsNotWithinTheHorizon() {
    SeriesJudge j = judge(500, 0.5);
    feed(j, 40);
    Map<String, Object> f = forecast(j);
    assertThat(f)
        .containsEntry("target", 0.5)
        .containsEntry("target_within_horizon", false)
        .containsEntry("target_horizon_step", 500L)
        .doesNotContainKey("target_step");
  }

  @Test
  void aConvergingRunSaysFromWhichStepTrainingGainsLessThanMinDelta() {
    SeriesJudge j = judge(0, 0.5);
    feed(j, 80);
    // Doubling from position t gains 8·e^(-t/8)·(1 - e^(-t/8)) < 0.02 x the range (about 8.0)
    // from t = 31.1: step 30.
    long step = (Long) forecast(j).get("converges_at_step");
    assertThat(step).isBetween(26L, 35L);
  }

  @Test
  void aCurveThatWorsensHasNoStepOfConvergence() {
    PlateauDetector plateau = new PlateauDetector(Mode.MIN, PlateauDetector.Params.DEFAULTS);
    for (int t = 0; t < 60; t++) {
      plateau.observe(t, START + t, 1 + 0.05 * t);
    }
    assertThat(plateau.forecast()).containsKey("value").doesNotContainKey("converges_at_step");
  }

  @Test
  void theRunsPlannedEndSurvivesASavedState() {
    PlateauDetector a = new PlateauDetector(Mode.MIN, PlateauDetector.Params.DEFAULTS);
    a.plannedEnd(300);
    Random noise = new Random(3);
    for (int t = 0; t < 30; t++) {
      a.observe(t, START + t, curve(t, noise));
    }
    PlateauDetector b = new PlateauDetector(Mode.MIN, PlateauDetector.Params.DEFAULTS);
    b.restore(a.snapshot());
    for (int t = 30; t < 60; t++) {
      double v = curve(t, noise);
      a.observe(t, START + t, v);
      b.observe(t, START + t, v);
    }
    assertThat(b.forecast()).isEqualTo(a.forecast()).containsEntry("max_steps", 300L);
    assertThat(b.forecastCurve()).isEqualTo(a.forecastCurve());
  }
}
