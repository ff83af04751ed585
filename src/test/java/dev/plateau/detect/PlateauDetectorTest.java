package dev.plateau.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The plateau detector on synthetic curves whose right answer is known: what must fire, what must
 * not, and where. Noise is seeded; expectations keep margins so they do not hinge on one draw.
 */
class PlateauDetectorTest {

  /** Index of the first CONVERGED judgement, or -1; and the step it keeps. */
  record Stop(int index, long keptStep) {}

  static Stop firstStop(int points, Mode mode, IntToDoubleFunction curve) {
    PlateauDetector detector = new PlateauDetector(mode, PlateauDetector.Params.DEFAULTS);
    for (int t = 0; t < points; t++) {
      Judgement j = detector.observe(t, 1.7e9 + t, curve.applyAsDouble(t));
      if (j.status() == Status.CONVERGED) {
        return new Stop(t, j.bestStep());
      }
    }
    return new Stop(-1, -1);
  }

  static IntToDoubleFunction noisy(IntToDoubleFunction f, double sigma, long seed) {
    Random random = new Random(seed);
    double[] noise = new double[100_000];
    for (int i = 0; i < noise.length; i++) {
      noise[i] = random.nextGaussian() * sigma;
    }
    return t -> f.applyAsDouble(t) + noise[t];
  }

  @Test
  void exponentialApproachFiresNearTheAsymptoteNotBefore() {
    for (long seed = 1; seed <= 5; seed++) {
      Stop stop = firstStop(200, Mode.MIN, noisy(t -> 1 + 9 * Math.exp(-t / 15.0), 0.01, seed));
      assertThat(stop.index()).as("seed " + seed).isBetween(46, 199);
      assertThat(stop.keptStep()).as("seed " + seed).isGreaterThanOrEqualTo(40);
    }
  }

  @Test
  void flatNoisyPlateauAfterADropIsConverged() {
    for (long seed = 1; seed <= 5; seed++) {
      Stop stop = firstStop(200, Mode.MIN, noisy(t -> t < 60 ? 10 - 8.0 * t / 60 : 2, 0.05, seed));
      assertThat(stop.index()).as("seed " + seed).isBetween(61, 199);
    }
  }

  @Test
  void noisyCurveThatStillTrendsDownDoesNotFire() {
    // Noise 2.5 times the trend's gain per point: the trend shows after a few points.
    for (long seed = 1; seed <= 50; seed++) {
      Stop stop = firstStop(200, Mode.MIN, noisy(t -> 10 - 0.04 * t, 0.1, seed));
      assertThat(stop.index()).as("seed " + seed).isEqualTo(-1);
    }
  }

  @Test
  void veryNoisyTrendRarelyFiresAndNeverAfterTheTrendShows() {
    // Noise 7.5 times the gain per point: for the first ~15 points the trend is inside the noise,
    // and a stop there is a gamble docs/detectors.md states. Later, it must never fire.
    int early = 0;
    for (long seed = 1; seed <= 200; seed++) {
      Stop stop = firstStop(200, Mode.MIN, noisy(t -> 10 - 0.04 * t, 0.3, seed));
      if (stop.index() >= 0) {
        assertThat(stop.index()).as("seed " + seed).isLessThan(30);
        early++;
      }
    }
    assertThat(early).isLessThan(50);
  }

  @Test
  void temporaryBumpThatComesBackToANewBestDoesNotFireDuringTheBump() {
    IntToDoubleFunction curve =
        t -> {
          double base = 1 + 10 * Math.exp(-t / 20.0);
          if (t >= 50 && t < 70) {
            base += 1.5 * Math.sin(Math.PI * (t - 50) / 20);
          }
          if (t >= 70) {
            base -= 0.8 * (1 - Math.exp(-(t - 70) / 30.0));
          }
          return base;
        };
    for (long seed = 1; seed <= 5; seed++) {
      Stop stop = firstStop(200, Mode.MIN, noisy(curve, 0.01, seed));
      assertThat(stop.index() == -1 || stop.index() >= 90)
          .as("seed %d stop %s", seed, stop)
          .isTrue();
    }
  }

  @Test
  void slowPowerLawKeepsTrainingWhileTheNextDoublingStillPays() {
    assertThat(firstStop(200, Mode.MIN, t -> 10 * Math.pow(t + 1, -0.5)).index()).isEqualTo(-1);
    assertThat(firstStop(20_000, Mode.MIN, t -> 10 * Math.pow(t + 1, -0.5)).index()).isEqualTo(-1);
  }

  @Test
  void fastPowerLawFiresOnceTheRemainingGainIsNegligible() {
    // Doubling the run from t gains 10/(t+1) - 10/(2t+2) of a range of ~10: under min_delta (2%)
    // from t = 25 on; no stop before.
    Stop stop = firstStop(5000, Mode.MIN, t -> 10.0 / (t + 1));
    assertThat(stop.index()).isBetween(25, 4999);
    assertThat(firstStop(500, Mode.MIN, t -> 10.0 / ((t + 1.0) * (t + 1.0))).index())
        .isBetween(8, 499);
  }

  @Test
  void longCurveFiresThroughBinDecimation() {
    Stop stop = firstStop(5000, Mode.MIN, noisy(t -> 1 + 9 * Math.exp(-t / 500.0), 0.01, 7));
    assertThat(stop.index()).isBetween(2000, 4999);
    assertThat(stop.keptStep()).isGreaterThan(1500);
  }

  @Test
  void accuracyInMaxModeConvergesLikeTheMirroredLoss() {
    IntToDoubleFunction loss = noisy(t -> 1 + 9 * Math.exp(-t / 15.0), 0.01, 3);
    Stop min = firstStop(200, Mode.MIN, loss);
    Stop max = firstStop(200, Mode.MAX, t -> -loss.applyAsDouble(t));
    assertThat(max).isEqualTo(min);
  }

  @Test
  void nanAndInfinityAreIgnored() {
    IntToDoubleFunction clean = noisy(t -> 1 + 9 * Math.exp(-t / 15.0), 0.01, 4);
    Stop reference = firstStop(200, Mode.MIN, clean);
    PlateauDetector detector = new PlateauDetector(Mode.MIN, PlateauDetector.Params.DEFAULTS);
    int stopAt = -1;
    for (int t = 0; t < 200 && stopAt < 0; t++) {
      detector.observe(t, 0, Double.NaN);
      detector.observe(t, 0, Double.POSITIVE_INFINITY);
      if (detector.observe(t, 0, clean.applyAsDouble(t)).status() == Status.CONVERGED) {
        stopAt = t;
      }
    }
    assertThat(stopAt).isEqualTo(reference.index());
  }

  @Test
  void convergedSeriesReturnsToTrainingWhenItClearlyImprovesAgain() {
    PlateauDetector detector = new PlateauDetector(Mode.MIN, PlateauDetector.Params.DEFAULTS);
    IntToDoubleFunction curve =
        noisy(t -> t < 60 ? 10 - 8.0 * t / 60 : (t < 150 ? 2 : 1), 0.05, 11);
    Status at140 = null;
    Status at170 = null;
    boolean backToTraining = false;
    for (int t = 0; t < 300; t++) {
      Status s = detector.observe(t, 0, curve.applyAsDouble(t)).status();
      if (t == 140) {
        at140 = s;
      }
      if (t > 150 && at140 == Status.CONVERGED && s == Status.TRAINING) {
        backToTraining = true;
      }
      if (t == 299) {
        at170 = s;
      }
    }
    assertThat(at140).isEqualTo(Status.CONVERGED);
    assertThat(backToTraining).as("a step down to a new level reopens training").isTrue();
    assertThat(at170).as("and the new plateau converges again").isEqualTo(Status.CONVERGED);
  }

  @Test
  void noVerdictBeforeWarmup() {
    PlateauDetector detector = new PlateauDetector(Mode.MIN, PlateauDetector.Params.DEFAULTS);
    for (int t = 0; t < PlateauDetector.Params.DEFAULTS.warmup() - 1; t++) {
      assertThat(detector.observe(t, 0, 5).status()).isEqualTo(Status.TRAINING);
    }
  }

  @Test
  void binArraysStartSmallGrowAsBinsCloseAndNeverPassMaxBins() {
    PlateauDetector detector = new PlateauDetector(Mode.MIN, PlateauDetector.Params.DEFAULTS);
    int initial = detector.binCapacity();
    assertThat(initial).isEqualTo(PlateauDetector.INITIAL_BINS);
    IntToDoubleFunction curve = noisy(t -> 1 + 5 * Math.exp(-t / 2000.0), 0.01, 5);
    int largest = initial;
    for (int t = 0; t < 20_000; t++) {
      detector.observe(t, 0, curve.applyAsDouble(t));
      largest = Math.max(largest, detector.binCapacity());
    }
    int maxBins = PlateauDetector.Params.DEFAULTS.maxBins();
    assertThat(largest).isGreaterThan(initial).isBetween(maxBins, maxBins + 1);
  }

  @Test
  void stateRestoredAtAnyLengthGoesOnLikeTheDetectorThatNeverStopped() {
    IntToDoubleFunction curve = noisy(t -> 1 + 5 * Math.exp(-t / 300.0), 0.02, 9);
    for (int cut : new int[] {0, 3, 9, 40, 200, 700, 3_000}) {
      PlateauDetector original = new PlateauDetector(Mode.MIN, PlateauDetector.Params.DEFAULTS);
      for (int t = 0; t < cut; t++) {
        original.observe(t, 0, curve.applyAsDouble(t));
      }
      PlateauDetector restored = new PlateauDetector(Mode.MIN, PlateauDetector.Params.DEFAULTS);
      restored.restore(original.snapshot());
      for (int t = cut; t < 4_000; t++) {
        double v = curve.applyAsDouble(t);
        assertThat(restored.observe(t, 0, v))
            .as("cut %d, point %d", cut, t)
            .isEqualTo(original.observe(t, 0, v));
      }
    }
  }

  @Test
  void stateRestoredWhileConvergedGoesOnLikeTheOriginalThroughANewPhase() {
    // Converged from about point 100, the forecast refitted while converged, then a step down to a
    // new level: the "improved again" judgement after a restore carries the same (current)
    // forecast as the detector that never stopped.
    IntToDoubleFunction curve =
        noisy(t -> t < 60 ? 10 - 8.0 * t / 60 : (t < 400 ? 2 : 1), 0.05, 11);
    boolean sawNewPhase = false;
    for (int cut : new int[] {150, 220, 301, 399}) {
      PlateauDetector original = new PlateauDetector(Mode.MIN, PlateauDetector.Params.DEFAULTS);
      for (int t = 0; t < cut; t++) {
        original.observe(t, 0, curve.applyAsDouble(t));
      }
      assertThat(original.current().status()).as("cut %d", cut).isEqualTo(Status.CONVERGED);
      PlateauDetector restored = new PlateauDetector(Mode.MIN, PlateauDetector.Params.DEFAULTS);
      restored.restore(original.snapshot());
      for (int t = cut; t < 600; t++) {
        double v = curve.applyAsDouble(t);
        Judgement expected = original.observe(t, 0, v);
        assertThat(restored.observe(t, 0, v)).as("cut %d, point %d", cut, t).isEqualTo(expected);
        sawNewPhase |= expected.reason().startsWith("improved again");
      }
    }
    assertThat(sawNewPhase).isTrue();
  }

  @Test
  void forecastStepSaturatesInsteadOfOverflowingNearTheLargestStep() {
    PlateauDetector detector = new PlateauDetector(Mode.MIN, PlateauDetector.Params.DEFAULTS);
    long start = Long.MAX_VALUE / 2 - 50;
    IntToDoubleFunction curve = noisy(t -> 1 + 9 * Math.exp(-t / 15.0), 0.01, 3);
    Judgement last = null;
    for (int t = 0; t < 200; t++) {
      last = detector.observe(start + t, 0, curve.applyAsDouble(t));
    }
    assertThat(last.evidence()).containsKey("forecast");
    long forecastStep = (Long) ((java.util.Map<?, ?>) last.evidence().get("forecast")).get("step");
    assertThat(forecastStep).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void withMinBestAgeASeriesStillSettingTinyBestsIsNotConvergedUntilTheBestAges() {
    // Noise-free approach: every point a new (ever smaller) best until point 100, then values at
    // or above the point-99 value.
    Random random = new Random(4);
    double[] values = new double[200];
    for (int t = 0; t < values.length; t++) {
      values[t] =
          t < 100
              ? 1 + 9 * Math.exp(-t / 15.0)
              : values[99] + Math.abs(random.nextGaussian()) * 1e-3;
    }
    PlateauDetector.Params d = PlateauDetector.Params.DEFAULTS;
    PlateauDetector.Params aged = d.withMinBestAge(5);
    int withoutAge = firstConverged(new PlateauDetector(Mode.MIN, d), values);
    int withAge = firstConverged(new PlateauDetector(Mode.MIN, aged), values);
    assertThat(withoutAge).as("the defaults stop in the tail, at a new best").isBetween(40, 99);
    assertThat(withAge)
        .as("min_best_age 5 waits until the best is 5 points old")
        .isBetween(104, 199);
  }

  private static int firstConverged(PlateauDetector detector, double[] values) {
    for (int t = 0; t < values.length; t++) {
      if (detector.observe(t, 0, values[t]).status() == Status.CONVERGED) {
        return t;
      }
    }
    return -1;
  }
}
