package dev.plateau.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

class OverfittingDetectorTest {
  private static final int EPOCHS = 100;

  /** Training loss: exponential decay with noise. */
  private static double[] trainLoss(Random r) {
    return curve(r, t -> 2.0 * Math.exp(-t / 15.0) + 0.1, 0.01);
  }

  /** Validation loss: falls, bottoms out near epoch 31, then rises (U-shaped), with noise. */
  static double valU(int t) {
    return 2.0 * Math.exp(-t / 10.0) + 0.35 + 0.00015 * t * t;
  }

  static int valUMinimum() {
    int best = 0;
    for (int t = 1; t < EPOCHS; t++) {
      if (valU(t) < valU(best)) {
        best = t;
      }
    }
    return best;
  }

  private static double[] curve(Random r, IntToDoubleFunction f, double noise) {
    double[] out = new double[EPOCHS];
    for (int t = 0; t < EPOCHS; t++) {
      out[t] = f.applyAsDouble(t) + noise * r.nextGaussian();
    }
    return out;
  }

  /** Feeds twin then validation point at each epoch; returns the validation judgements. */
  private static List<Judgement> run(OverfittingDetector d, double[] train, double[] val) {
    List<Judgement> out = new ArrayList<>();
    for (int t = 0; t < val.length; t++) {
      if (train != null) {
        d.observeTwin(t, t, train[t]);
      }
      out.add(d.observe(t, t, val[t]));
    }
    return out;
  }

  private static OverfittingDetector defaults() {
    return new OverfittingDetector(Mode.MIN, OverfittingDetector.Params.DEFAULTS);
  }

  @Test
  void firesAfterTheValidationMinimumOfAUShapedCurveAndNamesABestStepNearIt() {
    assertThat(valUMinimum()).isEqualTo(31);
    for (long seed = 1; seed <= 10; seed++) {
      Random r = new Random(seed);
      double[] train = trainLoss(r);
      double[] val = curve(r, OverfittingDetectorTest::valU, 0.01);
      List<Judgement> js = run(defaults(), train, val);
      int fired = Feeding.firstIndexOf(js, Status.OVERFITTING);
      assertThat(fired).as("seed %d", seed).isBetween(32, 70);
      Judgement j = js.get(fired);
      assertThat(j.bestStep()).as("seed %d", seed).isBetween(25L, 37L);
      assertThat(j.bestValue()).isEqualTo(val[(int) j.bestStep()]);
      assertThat(js.get(EPOCHS - 1).status())
          .as("stays overfitting while val keeps rising")
          .isEqualTo(Status.OVERFITTING);
      assertThat(js.get(EPOCHS - 1).bestStep()).isEqualTo(j.bestStep());
    }
  }

  @Test
  void worksInMaxModeOnAccuracies() {
    Random r = new Random(7);
    double[] trainAcc = curve(r, t -> 1 - 0.9 * Math.exp(-t / 15.0), 0.005);
    double[] valAcc = curve(r, t -> 1.5 - valU(t) / 2, 0.005);
    List<Judgement> js =
        run(
            new OverfittingDetector(Mode.MAX, OverfittingDetector.Params.DEFAULTS),
            trainAcc,
            valAcc);
    int fired = Feeding.firstIndexOf(js, Status.OVERFITTING);
    assertThat(fired).isBetween(32, 70);
    assertThat(js.get(fired).bestStep()).isBetween(25L, 37L);
  }

  @Test
  void neverFiresWhenBothTrainingAndValidationDecrease() {
    for (long seed = 1; seed <= 10; seed++) {
      Random r = new Random(seed);
      double[] train = trainLoss(r);
      double[] val = curve(r, t -> 2.0 * Math.exp(-t / 12.0) + 0.5, 0.01);
      List<Judgement> js = run(defaults(), train, val);
      assertThat(js).as("seed %d", seed).noneMatch(j -> j.status() == Status.OVERFITTING);
    }
  }

  @Test
  void neverFiresWithoutTwinPoints() {
    Random r = new Random(3);
    double[] val = curve(r, OverfittingDetectorTest::valU, 0.01);
    List<Judgement> js = run(defaults(), null, val);
    assertThat(js).noneMatch(j -> j.status() == Status.OVERFITTING);
    assertThat(js.get(EPOCHS - 1).evidence()).containsEntry("training_mk_z", "no twin points");
  }

  @Test
  void neverFiresWhenTrainingHasStoppedImprovingToo() {
    Random r = new Random(5);
    double[] flatTrain = curve(r, t -> 0.3, 0.01);
    double[] val = curve(r, OverfittingDetectorTest::valU, 0.01);
    assertThat(run(defaults(), flatTrain, val)).noneMatch(j -> j.status() == Status.OVERFITTING);
  }

  @Test
  void newValidationBestReturnsToTraining() {
    Random r = new Random(2);
    double[] train = trainLoss(r);
    double[] val = curve(r, OverfittingDetectorTest::valU, 0.01);
    OverfittingDetector d = defaults();
    List<Judgement> js = run(d, train, val);
    Judgement overfit = js.get(EPOCHS - 1);
    assertThat(overfit.status()).isEqualTo(Status.OVERFITTING);
    d.observeTwin(EPOCHS, EPOCHS, 0.05);
    Judgement j = d.observe(EPOCHS, EPOCHS, overfit.bestValue() - 0.01);
    assertThat(j.status()).isEqualTo(Status.TRAINING);
    assertThat(j.bestStep()).isEqualTo(EPOCHS);
  }

  @Test
  void nanValidationPointsAreLeftOutAndDoNotChangeTheJudgement() {
    Random r = new Random(4);
    double[] train = trainLoss(r);
    double[] val = curve(r, OverfittingDetectorTest::valU, 0.01);
    OverfittingDetector d = defaults();
    List<Judgement> js = run(d, train, val);
    Judgement before = d.current();
    assertThat(d.observe(EPOCHS, EPOCHS, Double.NaN)).isSameAs(before);
    assertThat(js.get(EPOCHS - 1)).isSameAs(before);
  }

  @Test
  void tooShortWindowIsRejected() {
    assertThatThrownBy(() -> new OverfittingDetector.Params(5, 1.645, 0.05, 10))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aTrainingRunReadAheadOfValidationKeepsAtMostTheBoundEvenlyThinned() {
    OverfittingDetector d =
        new OverfittingDetector(Mode.MIN, new OverfittingDetector.Params(20, 1.645, 0.05, 10, 64));
    for (int t = 0; t < 100_000; t++) {
      d.observeTwin(t, t, 1.0 / (t + 1));
    }
    double[] kept = ((OverfittingDetector.State) d.snapshot()).twinSteps();
    assertThat(kept.length).isBetween(32, 64);
    double gap = kept[1] - kept[0];
    for (int i = 1; i < kept.length; i++) {
      assertThat(kept[i] - kept[i - 1]).as("evenly thinned").isEqualTo(gap);
    }
    assertThat(kept[0]).as("the kept points span the run").isLessThanOrEqualTo(2 * gap);
    assertThat(kept[kept.length - 1]).as("up to its newest points").isGreaterThan(99_999 - gap);
  }

  @Test
  void belowTheBoundATwinReadAheadGivesTheJudgementsOfATwinReadAlongside() {
    for (long seed = 1; seed <= 5; seed++) {
      Random r = new Random(seed);
      double[] train = trainLoss(r);
      double[] val = curve(r, OverfittingDetectorTest::valU, 0.01);
      OverfittingDetector ahead = defaults();
      for (int t = 0; t < EPOCHS; t++) {
        ahead.observeTwin(t, t, train[t]);
      }
      List<Judgement> alongside = run(defaults(), train, val);
      for (int t = 0; t < EPOCHS; t++) {
        assertThat(ahead.observe(t, t, val[t]))
            .as("seed %d epoch %d", seed, t)
            .isEqualTo(alongside.get(t));
      }
    }
  }

  @Test
  void aTwinThinnedToTheBoundStillShowsOverfittingWhenReadAhead() {
    // Training logs ten points per epoch, all read before validation (a backfill): 1,000 twin
    // points, a bound of 128, so the twin is thinned about eightfold.
    for (long seed = 1; seed <= 10; seed++) {
      Random r = new Random(seed);
      double[] val = curve(r, OverfittingDetectorTest::valU, 0.01);
      OverfittingDetector d =
          new OverfittingDetector(
              Mode.MIN, new OverfittingDetector.Params(20, 1.645, 0.05, 10, 128));
      for (int i = 0; i < 10 * EPOCHS; i++) {
        d.observeTwin(i, i, 2.0 * Math.exp(-i / 150.0) + 0.1 + 0.01 * r.nextGaussian());
      }
      assertThat(((OverfittingDetector.State) d.snapshot()).twinSteps())
          .hasSizeLessThanOrEqualTo(128);
      List<Judgement> js = new ArrayList<>();
      for (int t = 0; t < EPOCHS; t++) {
        js.add(d.observe(10L * t + 9, t, val[t]));
      }
      int fired = Feeding.firstIndexOf(js, Status.OVERFITTING);
      assertThat(fired).as("seed %d", seed).isBetween(32, 70);
      assertThat(js.get(fired).bestStep()).as("seed %d", seed).isBetween(259L, 379L);
    }
  }

  @Test
  void aBoundBelowSixteenIsRejected() {
    assertThatThrownBy(() -> new OverfittingDetector.Params(20, 1.645, 0.05, 10, 15))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aDetectorRestoredWhileThinningGoesOnExactlyLikeTheOriginal() {
    OverfittingDetector.Params params = new OverfittingDetector.Params(20, 1.645, 0.05, 10, 64);
    OverfittingDetector original = new OverfittingDetector(Mode.MIN, params);
    Random r = new Random(9);
    double[] val = curve(r, OverfittingDetectorTest::valU, 0.01);
    for (int i = 0; i < 1_234; i++) {
      original.observeTwin(i, i, 2.0 * Math.exp(-i / 150.0) + 0.1);
    }
    var saved = (OverfittingDetector.State) original.snapshot();
    assertThat(saved.twinStride()).as("saved while thinning").isGreaterThan(1);
    OverfittingDetector restored = new OverfittingDetector(Mode.MIN, params);
    restored.restore(saved);
    for (int i = 1_234; i < 3_000; i++) {
      original.observeTwin(i, i, 2.0 * Math.exp(-i / 150.0) + 0.1);
      restored.observeTwin(i, i, 2.0 * Math.exp(-i / 150.0) + 0.1);
    }
    for (int t = 0; t < EPOCHS; t++) {
      assertThat(restored.observe(30L * t, t, val[t]))
          .isEqualTo(original.observe(30L * t, t, val[t]));
    }
    var a = (OverfittingDetector.State) original.snapshot();
    var b = (OverfittingDetector.State) restored.snapshot();
    assertThat(b.twinSteps()).containsExactly(a.twinSteps());
    assertThat(b.twinStride()).isEqualTo(a.twinStride());
  }

  @Test
  void windowRestoredAtAnyFillGoesOnLikeTheDetectorThatNeverStopped() {
    // The window's arrays grow as points come (16, 32, then the window): a state saved at any fill
    // restores into a fresh detector and judges every later point as the original does.
    OverfittingDetector.Params params = new OverfittingDetector.Params(40, 1.645, 0.05, 10);
    double[] val = curve(new Random(4), OverfittingDetectorTest::valU, 0.01);
    for (int cut : new int[] {0, 5, 16, 17, 33, 41, 60}) {
      OverfittingDetector original = new OverfittingDetector(Mode.MIN, params);
      for (int t = 0; t < cut; t++) {
        original.observeTwin(30L * t, t, 2.0 * Math.exp(-t / 30.0) + 0.1);
        original.observe(30L * t, t, val[t]);
      }
      OverfittingDetector restored = new OverfittingDetector(Mode.MIN, params);
      restored.restore(original.snapshot());
      for (int t = cut; t < EPOCHS; t++) {
        original.observeTwin(30L * t, t, 2.0 * Math.exp(-t / 30.0) + 0.1);
        restored.observeTwin(30L * t, t, 2.0 * Math.exp(-t / 30.0) + 0.1);
        assertThat(restored.observe(30L * t, t, val[t]))
            .as("cut %d, epoch %d", cut, t)
            .isEqualTo(original.observe(30L * t, t, val[t]));
      }
      assertThat(((OverfittingDetector.State) restored.snapshot()).steps())
          .containsExactly(((OverfittingDetector.State) original.snapshot()).steps());
    }
  }
}
