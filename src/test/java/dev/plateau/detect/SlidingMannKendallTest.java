package dev.plateau.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The sliding Mann–Kendall z against {@link TrendStatistics}' count of every pair, bit for bit, on
 * windows that slide as the overfitting detector's do, and on windows that jump, shrink, or hold
 * ties, signed zeros, constants and values that are not finite.
 */
class SlidingMannKendallTest {

  /** A series of {@code n} values: a trend plus values drawn from {@code distinct} levels. */
  private static double[] series(SplittableRandom random, int n, int distinct, boolean oddities) {
    double trend = random.nextGaussian() * 0.01;
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = distinct == 1 ? 2.5 : random.nextInt(distinct) * 0.001 + trend * i;
      if (v[i] == 0 && random.nextBoolean()) {
        v[i] = -0.0; // a tie with 0.0
      }
      if (oddities && random.nextInt(150) == 0) {
        v[i] =
            switch (random.nextInt(3)) {
              case 0 -> Double.POSITIVE_INFINITY;
              case 1 -> Double.NEGATIVE_INFINITY;
              default -> Double.NaN;
            };
      }
    }
    return v;
  }

  private static void assertSame(SlidingMannKendall sliding, double[] v, int from, int to) {
    double expected = TrendStatistics.mannKendallZ(v, from, to);
    double actual = sliding.z(v, from, to);
    if (Double.doubleToRawLongBits(actual) != Double.doubleToRawLongBits(expected)) {
      fail(
          "z %s, counting pairs gives %s, for %s",
          actual, expected, Arrays.toString(Arrays.copyOfRange(v, from, to)));
    }
  }

  @Test
  void aWindowSlidingAlongASeriesGivesTheSameDoubleAsCountingEveryPair() {
    SplittableRandom random = new SplittableRandom(24);
    for (int trial = 0; trial < 300; trial++) {
      int distinct = trial % 10 == 0 ? 1 : 1 + random.nextInt(trial % 2 == 0 ? 4 : 100_000);
      double[] v = series(random, 400, distinct, trial % 3 == 0);
      SlidingMannKendall sliding = new SlidingMannKendall(new MannKendall());
      int width = 3 + random.nextInt(40);
      int from = 0;
      int to = Math.min(v.length, 1 + random.nextInt(width));
      while (to < v.length) {
        // Values leave the start and enter the end, a few at a time (sometimes more than are
        // followed), now and then a window unrelated to the last.
        to = Math.min(v.length, to + random.nextInt(random.nextInt(10) == 0 ? 8 : 2) + 1);
        from = Math.max(from, to - width);
        if (random.nextInt(40) == 0) {
          from = random.nextInt(to);
        }
        assertSame(sliding, v, from, to);
      }
    }
  }

  @Test
  void aWindowCopiedToTheStartOfABufferAsItSlidesGivesTheSameDouble() {
    // The overfitting detector shifts its window to index 0 as a point comes: the same values at
    // a new place.
    SplittableRandom random = new SplittableRandom(25);
    for (int trial = 0; trial < 200; trial++) {
      double[] v = series(random, 300, 1 + random.nextInt(6), false);
      int width = 6 + random.nextInt(30);
      double[] buffer = new double[width];
      SlidingMannKendall sliding = new SlidingMannKendall(new MannKendall());
      int size = 0;
      for (double x : v) {
        if (size == width) {
          System.arraycopy(buffer, 1, buffer, 0, size - 1);
          size--;
        }
        buffer[size++] = x;
        assertSame(sliding, buffer, 0, size);
      }
    }
  }

  @Test
  void aShrinkingOrUnchangedWindowGivesTheSameDouble() {
    SplittableRandom random = new SplittableRandom(26);
    double[] v = series(random, 60, 3, false);
    SlidingMannKendall sliding = new SlidingMannKendall(new MannKendall());
    assertSame(sliding, v, 0, 50);
    assertSame(sliding, v, 0, 50);
    assertSame(sliding, v, 2, 50);
    assertSame(sliding, v, 2, 48);
    assertSame(sliding, v, 10, 12);
    assertSame(sliding, v, 10, 14);
    assertThat(sliding.z(new double[] {1, 1, 1, 1}, 0, 4)).isZero();
  }
}
