package dev.plateau.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SeriesTest {

  static List<Long> steps(Series s) {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < s.size(); i++) {
      out.add(s.step(i));
    }
    return out;
  }

  static List<Double> values(Series s) {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < s.size(); i++) {
      out.add(s.value(i));
    }
    return out;
  }

  @Test
  void pointsInIncreasingStepOrderAreAllKept() {
    Series s = new Series();
    for (int step = 0; step < 100; step += 3) {
      assertThat(s.append(step, 1000 + step, step * 0.5)).isZero();
    }
    assertThat(s.size()).isEqualTo(34);
    assertThat(s.lastStep()).isEqualTo(99);
    assertThat(s.wallTime(10)).isEqualTo(1030.0);
    assertThat(s.value(10)).isEqualTo(15.0);
    assertThat(s.droppedPoints()).isZero();
  }

  @Test
  void pointBelowTheLastStepDropsEveryPointAtOrAboveItsStep() {
    Series s = new Series();
    for (int step = 1; step <= 10; step++) {
      s.append(step, step, step);
    }
    assertThat(s.append(5, 99, -5)).isEqualTo(6); // 5..10 dropped
    assertThat(steps(s)).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(s.value(4)).isEqualTo(-5.0);
    assertThat(s.wallTime(4)).isEqualTo(99.0);
    assertThat(s.droppedPoints()).isEqualTo(6);
  }

  @Test
  void pointBetweenKeptStepsDropsOnlyTheLaterOnes() {
    Series s = new Series();
    for (long step : new long[] {10, 20, 30, 40}) {
      s.append(step, 0, step);
    }
    assertThat(s.append(25, 0, -1)).isEqualTo(2);
    assertThat(steps(s)).containsExactly(10L, 20L, 25L);
  }

  @Test
  void pointBelowEveryKeptStepLeavesOnlyItself() {
    Series s = new Series();
    for (long step = 5; step < 50; step++) {
      s.append(step, 0, step);
    }
    assertThat(s.append(-3, 0, 1)).isEqualTo(45);
    assertThat(steps(s)).containsExactly(-3L);
  }

  @Test
  void repeatedStepKeepsTheLatestValue() {
    Series s = new Series();
    s.append(1, 1, 1.0);
    s.append(2, 2, 2.0);
    assertThat(s.append(2, 3, 2.5)).isEqualTo(1);
    assertThat(s.append(2, 4, 2.75)).isEqualTo(1);
    assertThat(steps(s)).containsExactly(1L, 2L);
    assertThat(values(s)).containsExactly(1.0, 2.75);
    assertThat(s.wallTime(1)).isEqualTo(4.0);
    assertThat(s.droppedPoints()).isEqualTo(2);
  }

  @Test
  void nanAndInfiniteValuesAreKept() {
    Series s = new Series();
    s.append(1, 0, Double.NaN);
    s.append(2, 0, Double.POSITIVE_INFINITY);
    s.append(3, 0, -0.0);
    assertThat(s.value(0)).isNaN();
    assertThat(s.value(1)).isInfinite();
    assertThat(Double.doubleToRawLongBits(s.value(2))).isEqualTo(Double.doubleToRawLongBits(-0.0));
  }

  @Test
  void extremeStepsKeepOrder() {
    Series s = new Series();
    s.append(Long.MIN_VALUE, 0, 1);
    s.append(0, 0, 2);
    s.append(Long.MAX_VALUE, 0, 3);
    assertThat(steps(s)).containsExactly(Long.MIN_VALUE, 0L, Long.MAX_VALUE);
    assertThat(s.append(Long.MAX_VALUE, 0, 4)).isEqualTo(1);
    assertThat(s.firstIndexAtOrAfter(Long.MAX_VALUE)).isEqualTo(2);
    assertThat(s.firstIndexAtOrAfter(Long.MIN_VALUE)).isZero();
  }

  @Test
  void dropFromAndFirstIndexAtOrAfter() {
    Series s = new Series();
    for (long step : new long[] {2, 4, 6, 8}) {
      s.append(step, 0, step);
    }
    assertThat(s.firstIndexAtOrAfter(1)).isZero();
    assertThat(s.firstIndexAtOrAfter(4)).isEqualTo(1);
    assertThat(s.firstIndexAtOrAfter(5)).isEqualTo(2);
    assertThat(s.firstIndexAtOrAfter(9)).isEqualTo(4);
    assertThat(s.dropFrom(9)).isZero();
    assertThat(s.dropFrom(5)).isEqualTo(2);
    assertThat(steps(s)).containsExactly(2L, 4L);
    assertThat(s.dropFrom(Long.MIN_VALUE)).isEqualTo(2);
    assertThat(s.isEmpty()).isTrue();
  }

  @Test
  void sourcesTravelWithTheirPoints() {
    Series s = new Series();
    s.append(1, 0, 0, 7);
    s.append(2, 0, 0, 8);
    s.append(2, 0, 0, 9);
    assertThat(s.source(0)).isEqualTo(7);
    assertThat(s.source(1)).isEqualTo(9);
    assertThat(new Series().append(1, 0, 0)).isZero();
  }

  @Test
  void indexesOutsideTheKeptPointsAreRejected() {
    Series s = new Series();
    assertThatThrownBy(s::lastStep).isInstanceOf(IndexOutOfBoundsException.class);
    s.append(1, 0, 0);
    s.append(2, 0, 0);
    s.append(1, 0, 0); // drops step 2: index 1 is no longer a point even though it was written
    assertThatThrownBy(() -> s.step(1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> s.value(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> s.wallTime(1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> s.source(1)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  /** Random appends and drops against a simple list model: same points, always sorted. */
  @Test
  void seriesMatchesASimpleModelAndStaysStrictlySortedUnderRandomRestarts() {
    Random random = new Random(2024);
    for (int round = 0; round < 50; round++) {
      Series s = new Series();
      List<long[]> model = new ArrayList<>(); // {step, valueBits}
      long dropped = 0;
      long step = 0;
      for (int op = 0; op < 500; op++) {
        int kind = random.nextInt(10);
        if (kind < 7) {
          step += random.nextInt(3); // sometimes repeated
        } else if (kind < 9) {
          step -= random.nextInt(40); // restart from an earlier checkpoint
        } else {
          long at = step - random.nextInt(20);
          int removed = 0;
          while (!model.isEmpty() && model.get(model.size() - 1)[0] >= at) {
            model.remove(model.size() - 1);
            removed++;
          }
          dropped += removed;
          assertThat(s.dropFrom(at)).isEqualTo(removed);
          continue;
        }
        double value = random.nextGaussian();
        int removed = 0;
        while (!model.isEmpty() && model.get(model.size() - 1)[0] >= step) {
          model.remove(model.size() - 1);
          removed++;
        }
        model.add(new long[] {step, Double.doubleToRawLongBits(value)});
        dropped += removed;
        assertThat(s.append(step, op, value)).isEqualTo(removed);
      }
      assertThat(s.size()).isEqualTo(model.size());
      for (int i = 0; i < model.size(); i++) {
        assertThat(s.step(i)).isEqualTo(model.get(i)[0]);
        assertThat(Double.doubleToRawLongBits(s.value(i))).isEqualTo(model.get(i)[1]);
        if (i > 0) {
          assertThat(s.step(i)).isGreaterThan(s.step(i - 1));
        }
      }
      assertThat(s.droppedPoints()).isEqualTo(dropped);
    }
  }
}
