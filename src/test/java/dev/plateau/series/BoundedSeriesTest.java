package dev.plateau.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A bounded series keeps few points spread over the whole curve, and says when it dropped some. */
class BoundedSeriesTest {

  @Test
  void boundedSeriesNeverKeepsMoreThanItsLimitAndSpansTheWholeCurve() {
    Series s = Series.bounded(16);
    for (int step = 0; step < 10_000; step++) {
      s.append(step, step, step * 0.5);
      assertThat(s.size()).isLessThanOrEqualTo(16);
    }
    assertThat(s.size()).isGreaterThanOrEqualTo(8);
    assertThat(s.step(0)).as("the first point is always kept").isZero();
    assertThat(s.step(s.size() - 1)).as("kept points reach the recent end").isGreaterThan(9_000);
    for (int i = 1; i < s.size(); i++) {
      assertThat(s.step(i)).isGreaterThan(s.step(i - 1));
      assertThat(s.value(i)).isEqualTo(s.step(i) * 0.5);
    }
    assertThat(s.lastStep()).as("the last step is known even when not kept").isEqualTo(9_999);
    assertThat(s.isComplete()).isFalse();
  }

  @Test
  void boundedSeriesIsCompleteUntilItsLimitIsReached() {
    Series s = Series.bounded(8);
    for (int step = 0; step < 8; step++) {
      s.append(step, step, step);
    }
    assertThat(s.isComplete()).isTrue();
    assertThat(s.size()).isEqualTo(8);
    s.append(8, 8, 8);
    assertThat(s.isComplete()).isFalse();
    assertThat(s.size()).isLessThanOrEqualTo(8);
  }

  @Test
  void seriesWithLimitZeroKeepsNoPointButItsLastStep() {
    Series s = Series.bounded(0);
    s.append(3, 3, 1.0);
    s.append(4, 4, 1.0);
    assertThat(s.size()).isZero();
    assertThat(s.lastStep()).isEqualTo(4);
    assertThat(s.isComplete()).isFalse();
  }

  @Test
  void rewindIntoPointsABoundedSeriesDidNotKeepIsReportedAsADrop() {
    Series s = Series.bounded(4);
    for (int step = 0; step < 100; step++) {
      s.append(step, step, step);
    }
    long lastKept = s.step(s.size() - 1);
    // A rewind to a step after the last kept point drops nothing that is kept, but points were
    // dropped: the caller must learn that the history it does not have changed.
    assertThat(s.append(lastKept + 1, 0, 0)).isPositive();
    assertThat(s.lastStep()).isEqualTo(lastKept + 1);
  }

  @Test
  void limitToThinsAnUnboundedSeriesDownToTheNewLimit() {
    Series s = new Series();
    for (int step = 0; step < 1000; step++) {
      s.append(step, step, step);
    }
    assertThat(s.isComplete()).isTrue();
    s.limitTo(32);
    assertThat(s.size()).isLessThanOrEqualTo(32);
    assertThat(s.isComplete()).isFalse();
    for (int step = 1000; step < 5000; step++) {
      s.append(step, step, step);
    }
    assertThat(s.size()).isLessThanOrEqualTo(32);
    assertThat(s.step(0)).isZero();
  }

  @Test
  void negativeLimitIsRefused() {
    assertThatThrownBy(() -> Series.bounded(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
