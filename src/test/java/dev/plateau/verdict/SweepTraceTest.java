package dev.plateau.verdict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SweepTraceTest {
  @Test
  void aLongRunKeepsBoundedPositionsAndItsBestAtAStepIsNeverBetterThanTheTruth() {
    SweepTrace trace = new SweepTrace(16);
    int n = 10_000;
    for (int step = 0; step < n; step++) {
      trace.add(step, 1000 + step, false, 10.0 / (1 + step));
    }
    assertThat(trace.keptPositions()).isBetween(8, 16);
    for (int step = 0; step < n; step += 37) {
      double truth = 10.0 / (1 + step);
      assertThat(trace.bestAt(step)).as("step %d", step).isGreaterThanOrEqualTo(truth * (1 - 1e-6));
    }
    // Spread evenly: never further behind than n / 16 * 2 points.
    assertThat(trace.bestAt(n / 2.0)).isLessThanOrEqualTo(10.0 / (1 + n / 2.0 - 2 * n / 16.0));
    assertThat(trace.bestAt(n - 1)).isEqualTo(10.0 / n);
  }

  @Test
  void aPositionTheRunHasNotReachedHasNoValue() {
    SweepTrace trace = new SweepTrace(64);
    assertThat(trace.bestAt(0)).isNaN();
    trace.add(5, 0, false, 1);
    trace.add(10, 0, false, 2);
    assertThat(trace.bestAt(4)).isNaN();
    assertThat(trace.bestAt(7)).isEqualTo(1);
    assertThat(trace.bestAt(11)).isNaN();
  }

  @Test
  void wallTimeAlignmentCountsSecondsFromTheRunsFirstPoint() {
    SweepTrace trace = new SweepTrace(64);
    trace.add(1, 5000, true, 3);
    trace.add(2, 5060, true, 2);
    assertThat(trace.lastX()).isEqualTo(60);
    assertThat(trace.bestAt(30)).isEqualTo(3);
    assertThat(trace.bestAt(60)).isEqualTo(2);
  }

  @Test
  void aStepAtOrBeforeTheLastStartsTheTraceAgain() {
    SweepTrace trace = new SweepTrace(64);
    trace.add(1, 0, false, 1);
    trace.add(2, 0, false, 0.5);
    trace.add(1, 0, false, 3);
    assertThat(trace.points()).isEqualTo(1);
    assertThat(trace.best()).isEqualTo(3);
  }

  @Test
  void nonFiniteValuesAreSkipped() {
    SweepTrace trace = new SweepTrace(64);
    trace.add(1, 0, false, 2);
    assertThat(trace.add(2, 0, false, Double.NaN)).isFalse();
    assertThat(trace.points()).isEqualTo(1);
    assertThat(trace.best()).isEqualTo(2);
  }

  @Test
  void theNoiseIsTheSpreadAroundTheTrendNotTheTrend() {
    SweepTrace straight = new SweepTrace(64);
    SweepTrace noisy = new SweepTrace(64);
    Random random = new Random(7);
    double sigma = 0.05;
    for (int step = 0; step < 200; step++) {
      straight.add(step, 0, false, 5 - 0.01 * step);
      noisy.add(step, 0, false, 5 - 0.01 * step + sigma * random.nextGaussian());
    }
    assertThat(straight.noise()).isCloseTo(0, within(1e-5));
    assertThat(noisy.noise()).isCloseTo(sigma, within(sigma * 0.4));
  }
}
