package dev.plateau.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * A step schedule's cuts are drops; the smooth decays and warm-ups that real schedulers write are
 * not. The schedules are computed the way PyTorch's and Keras' schedulers compute them.
 */
class LearningRateDropsTest {

  /** The steps at which a tracker with default settings finds drops, for steps 0 .. n-1. */
  static List<Long> drops(int n, LongToDoubleFunction lr) {
    LearningRateDrops tracker = new LearningRateDrops(LearningRateDrops.Params.DEFAULTS);
    List<Long> out = new ArrayList<>();
    for (long s = 0; s < n; s++) {
      LearningRateDrops.Drop d = tracker.observe(s, lr.applyAsDouble(s));
      if (d != null) {
        out.add(d.step());
      }
    }
    return out;
  }

  @Test
  void multiStepCutsAreDropsAtTheStepOfTheFirstLowerRate() {
    // MultiStepLR(milestones=[30, 60, 80], gamma=0.1), logged per epoch
    LongToDoubleFunction lr =
        e -> 0.1 * Math.pow(0.1, (e >= 30 ? 1 : 0) + (e >= 60 ? 1 : 0) + (e >= 80 ? 1 : 0));
    assertThat(drops(90, lr)).containsExactly(30L, 60L, 80L);
  }

  @Test
  void aHalvingIsADropAndACutByLessIsNot() {
    assertThat(drops(40, e -> e < 20 ? 0.01 : 0.005)).containsExactly(20L);
    assertThat(drops(40, e -> e < 20 ? 0.01 : 0.006)).isEmpty();
  }

  @Test
  void warmupThenStepsLoggedEveryStepHasOnlyTheCuts() {
    // linear warm-up over 500 steps, then StepLR(step_size=3000, gamma=0.5), per step
    LongToDoubleFunction lr =
        s -> s < 500 ? 1e-3 * (s + 1) / 500 : 1e-3 * Math.pow(0.5, Math.floorDiv(s - 500, 3000));
    assertThat(drops(10_000, lr)).containsExactly(3_500L, 6_500L, 9_500L);
  }

  @Test
  void smoothDecaysAreNotDropsLoggedPerStepOrPerEpoch() {
    for (int n : new int[] {20, 50, 100, 1_000, 20_000}) {
      double total = n;
      assertThat(drops(n, s -> 0.5 * 0.1 * (1 + Math.cos(Math.PI * s / total))))
          .as("cosine to zero over %d points", n)
          .isEmpty();
      assertThat(drops(n, s -> 0.1 * (1 - s / total))).as("linear to zero, %d", n).isEmpty();
      assertThat(drops(n, s -> 0.1 * Math.pow(0.01, s / total))).as("exponential, %d", n).isEmpty();
      assertThat(drops(n, s -> 0.1 / Math.sqrt(1 + s))).as("inverse sqrt, %d", n).isEmpty();
    }
    // OneCycle: a rise, then a cosine fall to 1/10,000 of the peak
    assertThat(
            drops(
                300,
                s ->
                    s < 90
                        ? 0.004 + 0.096 * s / 90
                        : 1e-5 + 0.5 * (0.1 - 1e-5) * (1 + Math.cos(Math.PI * (s - 90) / 210))))
        .isEmpty();
  }

  @Test
  void cosineWithWarmRestartsRisesAndIsNeverADrop() {
    // SGDR: each cycle restarts at the peak (a rise) and decays smoothly
    assertThat(drops(400, s -> 0.05 * (1 + Math.cos(Math.PI * (s % 100) / 100)) + 1e-4)).isEmpty();
  }

  @Test
  void pointsGoingBackAndNonFiniteValuesAreIgnored() {
    LearningRateDrops tracker = new LearningRateDrops(LearningRateDrops.Params.DEFAULTS);
    for (long s = 0; s < 10; s++) {
      tracker.observe(s, 0.1);
    }
    assertThat(tracker.observe(5, 0.001)).as("a step already seen").isNull();
    assertThat(tracker.observe(10, Double.NaN)).isNull();
    assertThat(tracker.observe(11, 0.01)).isEqualTo(new LearningRateDrops.Drop(11, 0.1, 0.01));
  }

  @Test
  void aRestoredTrackerFindsTheSameDrops() {
    LearningRateDrops original = new LearningRateDrops(LearningRateDrops.Params.DEFAULTS);
    original.observe(0, 0.1);
    original.observe(1, 0.1);
    original.observe(2, 0.1);
    LearningRateDrops restored = new LearningRateDrops(LearningRateDrops.Params.DEFAULTS);
    restored.restore(original.snapshot());
    assertThat(restored.observe(3, 0.01)).isEqualTo(original.observe(3, 0.01)).isNotNull();
  }

  @Test
  void parametersOutOfRangeAreRefused() {
    assertThatThrownBy(() -> new LearningRateDrops.Params(1, 3, 3))
        .hasMessageContaining("drop_factor");
    assertThatThrownBy(() -> new LearningRateDrops.Params(2, 0, 3))
        .hasMessageContaining("drop_span");
    assertThatThrownBy(() -> new LearningRateDrops.Params(2, 3, 1))
        .hasMessageContaining("steady_points");
  }
}
