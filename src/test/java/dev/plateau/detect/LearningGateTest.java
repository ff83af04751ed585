package dev.plateau.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Random;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The plateau detector's "has it learned?" gate and its not-learning status: no convergence while
 * the level has not come out of its own noise, an informational NOT_LEARNING for a series that
 * never moves, and both give way as soon as learning shows.
 */
class LearningGateTest {
  private static final PlateauDetector.Params DEFAULTS = PlateauDetector.Params.DEFAULTS;

  private static PlateauDetector.Params withGate(double sigmas) {
    return DEFAULTS.withLearnedSigmas(sigmas);
  }

  private static IntToDoubleFunction gaussian(double sigma, long seed) {
    Random random = new Random(seed);
    double[] noise = new double[10_000];
    for (int i = 0; i < noise.length; i++) {
      noise[i] = random.nextGaussian() * sigma;
    }
    return t -> noise[t];
  }

  /** A constant level of 2 with Gaussian noise of 0.1. */
  private static IntToDoubleFunction flat(long seed) {
    IntToDoubleFunction noise = gaussian(0.1, seed);
    return t -> 2 + noise.applyAsDouble(t);
  }

  /** The statuses of a detector fed {@code curve} for {@code points} points. */
  private static Status[] statuses(
      PlateauDetector detector, int points, IntToDoubleFunction curve) {
    Status[] out = new Status[points];
    for (int t = 0; t < points; t++) {
      out[t] = detector.observe(t, 1.7e9 + t, curve.applyAsDouble(t)).status();
    }
    return out;
  }

  private static int first(Status[] statuses, Status status) {
    for (int t = 0; t < statuses.length; t++) {
      if (statuses[t] == status) {
        return t;
      }
    }
    return -1;
  }

  @Test
  void flatNoiseNeverConvergesAndIsReportedNotLearningAfterTheWarmUp() {
    int reported = 0;
    for (long seed = 1; seed <= 10; seed++) {
      Status[] s = statuses(new PlateauDetector(Mode.MIN, DEFAULTS), 400, flat(seed));
      assertThat(first(s, Status.CONVERGED)).as("seed " + seed).isEqualTo(-1);
      int notLearning = first(s, Status.NOT_LEARNING);
      assertThat(notLearning < 0 || notLearning >= DEFAULTS.notLearningAfter() - 1)
          .as("seed " + seed)
          .isTrue();
      reported += notLearning >= 0 && notLearning <= 120 ? 1 : 0;
    }
    assertThat(reported).as("seeds reported not learning by point 120").isGreaterThanOrEqualTo(8);
  }

  @Test
  void withoutTheGateTheSameFlatNoiseConverges() {
    // What the gate prevents: the patience valve takes a noise minimum for the best.
    int converged = 0;
    for (long seed = 1; seed <= 10; seed++) {
      Status[] s = statuses(new PlateauDetector(Mode.MIN, withGate(0)), 400, flat(seed));
      converged += first(s, Status.CONVERGED) >= 0 ? 1 : 0;
    }
    assertThat(converged).isGreaterThanOrEqualTo(8);
  }

  @Test
  void accuracyAtChanceLevelThatClimbsLaterIsNotConvergedBeforeTheClimb() {
    // Validation accuracy at chance (0.1, noise 0.02) for 24 epochs, then it climbs to 0.99.
    for (long seed = 1; seed <= 5; seed++) {
      IntToDoubleFunction noise = gaussian(0.02, seed);
      IntToDoubleFunction curve =
          t ->
              noise.applyAsDouble(t)
                  + (t < 24 ? 0.1 : 0.1 + 0.89 * (1 - Math.exp(-(t - 24) / 6.0)));
      Status[] s = statuses(new PlateauDetector(Mode.MAX, DEFAULTS), 400, curve);
      int converged = first(s, Status.CONVERGED);
      assertThat(converged).as("converged after the climb").isBetween(40, 399);
    }
  }

  @Test
  void notLearningGivesWayToTrainingOnceTheLevelMoves() {
    IntToDoubleFunction noise = gaussian(0.1, 3);
    IntToDoubleFunction curve = t -> 2 + noise.applyAsDouble(t) - (t < 100 ? 0 : 0.02 * (t - 100));
    Status[] s = statuses(new PlateauDetector(Mode.MIN, DEFAULTS), 200, curve);
    assertThat(s[99]).isEqualTo(Status.NOT_LEARNING);
    assertThat(s[199]).isEqualTo(Status.TRAINING);
  }

  @Test
  void theVerdictSaysHowFarTheLevelCameInNoiseDeviations() {
    PlateauDetector detector = new PlateauDetector(Mode.MIN, DEFAULTS);
    IntToDoubleFunction noise = gaussian(0.1, 9);
    Judgement j = null;
    for (int t = 0; t < 60; t++) {
      j = detector.observe(t, 0, 2 + noise.applyAsDouble(t));
    }
    Map<String, Object> e = j.evidence();
    assertThat((Boolean) e.get("learned")).isFalse();
    assertThat((Double) e.get("point_noise")).isBetween(0.07, 0.13);
    assertThat((Double) e.get("progress_sigmas")).isLessThan(DEFAULTS.learnedSigmas());
    assertThat(j.reason()).containsAnyOf("not learning:", "not yet learned:");
    assertThat(j.reason()).contains("noise deviations of a point");
  }

  @Test
  void aCleanExponentialPassesTheGateAndConvergesAsBefore() {
    Random random = new Random(1);
    Status[] s =
        statuses(
            new PlateauDetector(Mode.MIN, DEFAULTS),
            200,
            t -> 1 + 9 * Math.exp(-t / 15.0) + 0.01 * random.nextGaussian());
    int converged = first(s, Status.CONVERGED);
    assertThat(converged).isBetween(40, 199);
    assertThat(first(s, Status.NOT_LEARNING)).isEqualTo(-1);
  }
}
