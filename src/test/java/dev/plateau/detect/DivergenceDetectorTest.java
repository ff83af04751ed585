package dev.plateau.detect;

import static dev.plateau.detect.Feeding.feed;
import static dev.plateau.detect.Feeding.firstIndexOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DivergenceDetectorTest {
  private static DivergenceDetector defaults(Mode mode) {
    return new DivergenceDetector(mode, DivergenceDetector.Params.DEFAULTS);
  }

  /** The factor rule alone (explode_sigmas 0), as it was before the noise condition. */
  private static DivergenceDetector factorOnly(Mode mode) {
    return new DivergenceDetector(mode, new DivergenceDetector.Params(true, Double.NaN, 3, 3, 0));
  }

  @Test
  void nanDivergesAtOnceKeepingTheBestFiniteStepBeforeIt() {
    List<Judgement> js = feed(defaults(Mode.MIN), 2.0, 1.0, 1.5, Double.NaN);
    assertThat(js.get(2).status()).isEqualTo(Status.TRAINING);
    Judgement j = js.get(3);
    assertThat(j.status()).isEqualTo(Status.DIVERGED);
    assertThat(j.bestStep()).isEqualTo(1);
    assertThat(j.bestValue()).isEqualTo(1.0);
    assertThat(j.evidence()).containsEntry("value", "NaN");
  }

  @Test
  void positiveAndNegativeInfinityDivergeAtOnceInEitherMode() {
    assertThat(feed(defaults(Mode.MIN), 1.0, Double.POSITIVE_INFINITY).get(1).status())
        .isEqualTo(Status.DIVERGED);
    assertThat(feed(defaults(Mode.MIN), 1.0, Double.NEGATIVE_INFINITY).get(1).status())
        .isEqualTo(Status.DIVERGED);
    Judgement j = feed(defaults(Mode.MAX), 1.0, Double.NEGATIVE_INFINITY).get(1);
    assertThat(j.status()).isEqualTo(Status.DIVERGED);
    assertThat(j.evidence()).containsEntry("value", "-Infinity");
  }

  @Test
  void nanFalseIgnoresNonFiniteValues() {
    DivergenceDetector d =
        new DivergenceDetector(Mode.MIN, new DivergenceDetector.Params(false, Double.NaN, 3, 3));
    List<Judgement> js = feed(d, 1.0, Double.NaN, Double.POSITIVE_INFINITY, 0.9);
    assertThat(js).allSatisfy(j -> assertThat(j.status()).isEqualTo(Status.TRAINING));
    assertThat(js.get(3).bestStep()).isEqualTo(3);
  }

  @Test
  void valueWorseThanThresholdDivergesInMinMode() {
    DivergenceDetector d =
        new DivergenceDetector(Mode.MIN, new DivergenceDetector.Params(true, 10, 0, 3));
    List<Judgement> js = feed(d, 5, 4, 10, 10.5);
    assertThat(js.get(2).status())
        .as("equal to the threshold is not worse")
        .isEqualTo(Status.TRAINING);
    assertThat(js.get(3).status()).isEqualTo(Status.DIVERGED);
    assertThat(js.get(3).bestStep()).isEqualTo(1);
  }

  @Test
  void valueWorseThanThresholdDivergesInMaxMode() {
    DivergenceDetector d =
        new DivergenceDetector(Mode.MAX, new DivergenceDetector.Params(true, 0.1, 0, 3));
    List<Judgement> js = feed(d, 0.5, 0.6, 0.09);
    assertThat(js.get(2).status()).isEqualTo(Status.DIVERGED);
    assertThat(js.get(2).bestStep()).isEqualTo(1);
  }

  @Test
  void thresholdAppliesEvenToTheFirstPoint() {
    DivergenceDetector d =
        new DivergenceDetector(Mode.MIN, new DivergenceDetector.Params(true, 10, 0, 3));
    Judgement j = d.observe(0, 0, 11);
    assertThat(j.status()).isEqualTo(Status.DIVERGED);
    assertThat(j.bestStep()).isEqualTo(-1);
  }

  @Test
  void explodesAfterExplodePointsConsecutivePointsBeyondTheLimit() {
    // first 2.0, best 1.0: scale = max(|1|, |2 - 1|) = 1, factor 3 -> limit 2: value > 3.0
    // explodes.
    List<Judgement> js = feed(factorOnly(Mode.MIN), 2.0, 1.0, 3.5, 3.5, 3.0, 3.5, 3.5, 3.5);
    assertThat(js.get(3).status()).isEqualTo(Status.TRAINING);
    assertThat(js.get(4).status())
        .as("3.0 is not beyond 3.0: the run resets")
        .isEqualTo(Status.TRAINING);
    assertThat(js.get(6).status()).isEqualTo(Status.TRAINING);
    Judgement j = js.get(7);
    assertThat(j.status()).isEqualTo(Status.DIVERGED);
    assertThat(firstIndexOf(js, Status.DIVERGED)).isEqualTo(7);
    assertThat(j.bestStep()).isEqualTo(1);
    assertThat(j.evidence()).containsEntry("explode_points", 3).containsEntry("scale", 1.0);
  }

  @Test
  void explosionScaleUsesDistanceFromFirstValueWhenBestIsNearZero() {
    // first 10, best 0.01: scale = max(0.01, 9.99) = 9.99, limit 19.98 -> 5.0 is no explosion
    List<Judgement> js = feed(factorOnly(Mode.MIN), 10, 0.01, 5, 5, 5, 5, 20, 20, 20.5);
    assertThat(js.subList(0, 8)).allSatisfy(j -> assertThat(j.status()).isEqualTo(Status.TRAINING));
    // 20 - 0.01 = 19.99 > 19.98 twice, 20.5 third time
    assertThat(js.get(8).status()).isEqualTo(Status.DIVERGED);
  }

  @Test
  void explosionInMaxModeUsesTheLowerIsBetterOrientation() {
    // max: first 0, best 1 -> oriented first 0, best -1; scale max(1, 1) = 1; limit 2: value < -1
    // explodes
    List<Judgement> js = feed(factorOnly(Mode.MAX), 0.0, 1.0, -1.5, -1.5, -1.5);
    assertThat(js.get(3).status()).isEqualTo(Status.TRAINING);
    assertThat(js.get(4).status()).isEqualTo(Status.DIVERGED);
    assertThat(js.get(4).bestStep()).isEqualTo(1);
  }

  @Test
  void explodeFactorZeroTurnsExplosionOff() {
    DivergenceDetector d =
        new DivergenceDetector(Mode.MIN, new DivergenceDetector.Params(true, Double.NaN, 0, 1));
    List<Judgement> js = feed(d, 1.0, 0.1, 1e6, 1e9);
    assertThat(js).allSatisfy(j -> assertThat(j.status()).isEqualTo(Status.TRAINING));
  }

  @Test
  void laterValueBetterThanTheBestReturnsToTraining() {
    DivergenceDetector d = defaults(Mode.MIN);
    List<Judgement> js = feed(d, 2.0, 1.0, Double.NaN, 1.5, 0.9, 0.95);
    assertThat(js.get(2).status()).isEqualTo(Status.DIVERGED);
    assertThat(js.get(3).status())
        .as("not better than the best: still diverged")
        .isEqualTo(Status.DIVERGED);
    assertThat(js.get(4).status()).isEqualTo(Status.TRAINING);
    assertThat(js.get(4).bestStep()).isEqualTo(4);
    assertThat(js.get(5).status()).isEqualTo(Status.TRAINING);
  }

  @Test
  void equalToTheBestDoesNotRecover() {
    List<Judgement> js = feed(defaults(Mode.MIN), 1.0, Double.NaN, 1.0);
    assertThat(js.get(2).status()).isEqualTo(Status.DIVERGED);
  }

  @Test
  void invalidParamsAreRejected() {
    assertThatThrownBy(() -> new DivergenceDetector.Params(true, Double.NaN, 1.0, 3))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DivergenceDetector.Params(true, Double.NaN, 0.5, 3))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DivergenceDetector.Params(true, Double.NaN, 3, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void noisyReinforcementLearningReturnsDoNotExplode() {
    // Episode returns (mode max): noise of 300 around a mean that rises from -600 to 250; single
    // episodes fall far below a lucky best, which is noise, not a blow-up.
    java.util.Random random = new java.util.Random(11);
    for (int run = 0; run < 20; run++) {
      DivergenceDetector d = defaults(Mode.MAX);
      for (int t = 0; t < 2000; t++) {
        double mean = -600 + 850 * Math.min(1, t / 800.0);
        Judgement j = d.observe(t, 0, mean + 300 * random.nextGaussian());
        assertThat(j.status()).as("run %d, episode %d", run, t).isEqualTo(Status.TRAINING);
      }
    }
  }

  @Test
  void theSameReturnsExplodeWithoutTheNoiseCondition() {
    java.util.Random random = new java.util.Random(11);
    DivergenceDetector d =
        new DivergenceDetector(Mode.MAX, new DivergenceDetector.Params(true, Double.NaN, 3, 3, 0));
    boolean diverged = false;
    for (int t = 0; t < 2000 && !diverged; t++) {
      double mean = -600 + 850 * Math.min(1, t / 800.0);
      diverged = d.observe(t, 0, mean + 300 * random.nextGaussian()).status() == Status.DIVERGED;
    }
    assertThat(diverged).isTrue();
  }

  @Test
  void aLossThatBlowsUpAfterQuietTrainingStillDivergesWithinExplodePoints() {
    DivergenceDetector d = defaults(Mode.MIN);
    java.util.Random random = new java.util.Random(2);
    for (int t = 0; t < 100; t++) {
      assertThat(
              d.observe(t, 0, 1 + 2 * Math.exp(-t / 20.0) + 0.05 * random.nextGaussian()).status())
          .isEqualTo(Status.TRAINING);
    }
    assertThat(d.observe(100, 0, 40).status()).isEqualTo(Status.TRAINING);
    assertThat(d.observe(101, 0, 60).status()).isEqualTo(Status.TRAINING);
    Judgement j = d.observe(102, 0, 90);
    assertThat(j.status()).isEqualTo(Status.DIVERGED);
    assertThat(j.evidence()).containsEntry("explode_sigmas", 8.0);
  }

  @Test
  void aRestoredDetectorJudgesTheNoiseAsTheOriginalDoes() {
    DivergenceDetector original = defaults(Mode.MIN);
    java.util.Random random = new java.util.Random(4);
    double[] values = new double[80];
    for (int t = 0; t < values.length; t++) {
      values[t] = t < 60 ? 1 + 0.5 * random.nextGaussian() : 50 + t;
    }
    for (int t = 0; t < 50; t++) {
      original.observe(t, 0, values[t]);
    }
    DivergenceDetector restored = defaults(Mode.MIN);
    restored.restore(original.snapshot());
    for (int t = 50; t < values.length; t++) {
      assertThat(restored.observe(t, 0, values[t])).isEqualTo(original.observe(t, 0, values[t]));
    }
  }
}
