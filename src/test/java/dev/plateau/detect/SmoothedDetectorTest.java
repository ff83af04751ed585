package dev.plateau.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmoothedDetectorTest {

  /** Records what it is fed. */
  static final class Recorder implements Detector {
    final List<Double> values = new ArrayList<>();
    final List<Long> steps = new ArrayList<>();

    @Override
    public String name() {
      return "recorder";
    }

    @Override
    public Judgement observe(long step, double wallTime, double value) {
      steps.add(step);
      values.add(value);
      return current();
    }

    @Override
    public Judgement current() {
      return Judgement.waiting("rec");
    }

    @Override
    public DetectorState snapshot() {
      throw new UnsupportedOperationException("a test double keeps no state");
    }

    @Override
    public void restore(DetectorState state) {
      throw new UnsupportedOperationException("a test double keeps no state");
    }
  }

  @Test
  void feedsTensorBoardDebiasedEmaMatchingAHandComputation() {
    Recorder r = new Recorder();
    SmoothedDetector d = new SmoothedDetector(r, 0.6);
    double[] raw = {1, 2, 3, Double.NaN, 4, Double.POSITIVE_INFINITY, 0};
    for (int i = 0; i < raw.length; i++) {
      d.observe(10L * i, i, raw[i]);
    }
    // last_1 = 0.4 -> 0.4 / 0.4 = 1
    // last_2 = 0.24 + 0.8 = 1.04 -> 1.04 / 0.64 = 1.625
    // last_3 = 0.624 + 1.2 = 1.824 -> 1.824 / 0.784 = 2.326530612244898
    // NaN passed through, average untouched
    // last_4 = 1.0944 + 1.6 = 2.6944 -> 2.6944 / 0.8704 = 3.095588235294118
    // +Inf passed through
    // last_5 = 1.61664 + 0 -> 1.61664 / (1 - 0.6^5 = 0.92224) = 1.752927...
    assertThat(r.values.get(0)).isCloseTo(1.0, within(1e-12));
    assertThat(r.values.get(1)).isCloseTo(1.625, within(1e-12));
    assertThat(r.values.get(2)).isCloseTo(1.824 / 0.784, within(1e-12));
    assertThat(r.values.get(3)).isNaN();
    assertThat(r.values.get(4)).isCloseTo(2.6944 / 0.8704, within(1e-12));
    assertThat(r.values.get(5)).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(r.values.get(6)).isCloseTo(1.61664 / 0.92224, within(1e-12));
    assertThat(r.steps).containsExactly(0L, 10L, 20L, 30L, 40L, 50L, 60L);
  }

  @Test
  void firstSmoothedValueEqualsTheFirstRawValueThanksToDebiasing() {
    Recorder r = new Recorder();
    new SmoothedDetector(r, 0.99).observe(0, 0, 5.0);
    assertThat(r.values.get(0)).isCloseTo(5.0, within(1e-12));
  }

  @Test
  void constantSeriesStaysConstant() {
    Recorder r = new Recorder();
    SmoothedDetector d = new SmoothedDetector(r, 0.9);
    for (int i = 0; i < 50; i++) {
      d.observe(i, i, 0.3);
    }
    assertThat(r.values).allSatisfy(v -> assertThat(v).isCloseTo(0.3, within(1e-12)));
  }

  @Test
  void weightZeroPassesValuesThrough() {
    Recorder r = new Recorder();
    SmoothedDetector d = new SmoothedDetector(r, 0);
    d.observe(0, 0, 3);
    d.observe(1, 0, -7);
    assertThat(r.values).containsExactly(3.0, -7.0);
  }

  @Test
  void delegatesNameAtTimeAndCurrentToTheInnerDetector() {
    StalledDetector inner = new StalledDetector(new StalledDetector.Params(10));
    SmoothedDetector d = new SmoothedDetector(inner, 0.5);
    assertThat(d.name()).isEqualTo("stalled");
    d.observe(1, 100, 1);
    assertThat(d.atTime(200).status()).isEqualTo(Status.STALLED);
    assertThat(d.current().status()).isEqualTo(Status.STALLED);
  }

  @Test
  void weightOutsideZeroToOneIsRejected() {
    Recorder r = new Recorder();
    assertThatThrownBy(() -> new SmoothedDetector(r, 1.0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SmoothedDetector(r, -0.1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SmoothedDetector(r, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
