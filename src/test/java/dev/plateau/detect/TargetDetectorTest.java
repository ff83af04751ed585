package dev.plateau.detect;

import static dev.plateau.detect.Feeding.feed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TargetDetectorTest {

  @Test
  void maxModeReachesTargetAtFirstValueAtOrAboveIt() {
    List<Judgement> js =
        feed(new TargetDetector(Mode.MAX, new TargetDetector.Params(0.9)), 0.5, 0.89, 0.9, 0.8);
    assertThat(js.get(1).status()).isEqualTo(Status.TRAINING);
    assertThat(js.get(2).status()).isEqualTo(Status.TARGET_REACHED);
    assertThat(js.get(2).evidence()).containsEntry("reached_at_step", 2L);
  }

  @Test
  void minModeReachesTargetAtFirstValueAtOrBelowIt() {
    List<Judgement> js =
        feed(
            new TargetDetector(Mode.MIN, new TargetDetector.Params(0.1)), 1.0, 0.2, 0.1000001, 0.1);
    assertThat(js.subList(0, 3)).allSatisfy(j -> assertThat(j.status()).isEqualTo(Status.TRAINING));
    assertThat(js.get(3).status()).isEqualTo(Status.TARGET_REACHED);
  }

  @Test
  void targetReachedIsStickyWhenTheMetricWorsensAfterwards() {
    List<Judgement> js =
        feed(
            new TargetDetector(Mode.MIN, new TargetDetector.Params(0.5)),
            1.0,
            0.4,
            0.9,
            Double.NaN,
            2.0);
    assertThat(js.subList(1, 5))
        .allSatisfy(j -> assertThat(j.status()).isEqualTo(Status.TARGET_REACHED));
    assertThat(js.get(4).evidence()).containsEntry("reached_at_step", 1L);
    assertThat(js.get(4).bestStep()).isEqualTo(1);
    assertThat(js.get(4).bestValue()).isEqualTo(0.4);
  }

  @Test
  void bestIsTheBestValueSoFarNotTheReachingPoint() {
    List<Judgement> js =
        feed(new TargetDetector(Mode.MAX, new TargetDetector.Params(0.9)), 0.5, 0.91, 0.95, 0.93);
    assertThat(js.get(3).status()).isEqualTo(Status.TARGET_REACHED);
    assertThat(js.get(3).evidence()).containsEntry("reached_at_step", 1L);
    assertThat(js.get(3).bestStep()).isEqualTo(2);
  }

  @Test
  void nanAndInfinityNeverReachTheTarget() {
    List<Judgement> minJs =
        feed(
            new TargetDetector(Mode.MIN, new TargetDetector.Params(0.5)),
            Double.NaN,
            Double.NEGATIVE_INFINITY);
    assertThat(minJs).allSatisfy(j -> assertThat(j.status()).isEqualTo(Status.TRAINING));
    List<Judgement> maxJs =
        feed(
            new TargetDetector(Mode.MAX, new TargetDetector.Params(0.5)),
            Double.NaN,
            Double.POSITIVE_INFINITY);
    assertThat(maxJs).allSatisfy(j -> assertThat(j.status()).isEqualTo(Status.TRAINING));
  }

  @Test
  void nonFiniteTargetIsRejected() {
    assertThatThrownBy(() -> new TargetDetector.Params(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TargetDetector.Params(Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
