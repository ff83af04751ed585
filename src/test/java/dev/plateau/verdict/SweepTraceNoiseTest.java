package dev.plateau.verdict;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The noise kept sorted as the window slides is, to the last bit, the median of the last {@link
 * SweepTrace#NOISE_WINDOW} second differences sorted afresh (as it was computed before).
 */
class SweepTraceNoiseTest {
  private static final double SCALE = 0.6745 * Math.sqrt(6);

  /** The straightforward noise: the window's second differences copied, sorted, median taken. */
  private static final class Reference {
    final ArrayDeque<Float> window = new ArrayDeque<>();
    double previous = Double.NaN;
    double beforePrevious = Double.NaN;
    long lastStep = Long.MIN_VALUE;

    void add(long step, double value) {
      if (step <= lastStep) {
        window.clear();
        previous = Double.NaN;
        beforePrevious = Double.NaN;
      }
      lastStep = step;
      if (!Double.isFinite(value)) {
        return;
      }
      if (!Double.isNaN(beforePrevious)) {
        window.addLast((float) Math.abs(value - 2 * previous + beforePrevious));
        if (window.size() > SweepTrace.NOISE_WINDOW) {
          window.removeFirst();
        }
      }
      beforePrevious = previous;
      previous = value;
    }

    double noise() {
      int n = window.size();
      if (n == 0) {
        return 0;
      }
      float[] sorted = new float[n];
      int i = 0;
      for (float f : window) {
        sorted[i++] = f;
      }
      Arrays.sort(sorted);
      double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
      return median / SCALE;
    }
  }

  private static void assertSameNoise(double[] values, long[] steps) {
    SweepTrace trace = new SweepTrace(64);
    Reference reference = new Reference();
    for (int i = 0; i < values.length; i++) {
      trace.add(steps[i], i, false, values[i]);
      reference.add(steps[i], values[i]);
      assertThat(Double.doubleToRawLongBits(trace.noise()))
          .as("point %d", i)
          .isEqualTo(Double.doubleToRawLongBits(reference.noise()));
    }
  }

  private static long[] increasingSteps(int n) {
    long[] steps = new long[n];
    for (int i = 0; i < n; i++) {
      steps[i] = i;
    }
    return steps;
  }

  @Test
  void randomNoisyCurvesGiveTheSortedMedianAtEveryPoint() {
    Random random = new Random(24);
    for (int curve = 0; curve < 50; curve++) {
      int n = 50 + random.nextInt(400);
      double[] values = new double[n];
      for (int i = 0; i < n; i++) {
        values[i] = 1 / Math.sqrt(1 + i) + 0.05 * random.nextGaussian();
      }
      assertSameNoise(values, increasingSteps(n));
    }
  }

  @Test
  void tiesZerosConstantsAndSkippedValuesGiveTheSortedMedianAtEveryPoint() {
    Random random = new Random(25);
    double[] choices = {0.0, -0.0, 1.0, 2.0, 1e300, -1e300, Double.NaN, Double.POSITIVE_INFINITY};
    for (int curve = 0; curve < 50; curve++) {
      int n = 40 + random.nextInt(200);
      double[] values = new double[n];
      for (int i = 0; i < n; i++) {
        values[i] = curve % 5 == 0 ? 3.0 : choices[random.nextInt(choices.length)];
      }
      assertSameNoise(values, increasingSteps(n));
    }
  }

  @Test
  void aRestartEmptiesTheWindowAsTheStraightforwardComputationDoes() {
    Random random = new Random(26);
    int n = 300;
    double[] values = new double[n];
    long[] steps = new long[n];
    for (int i = 0; i < n; i++) {
      values[i] = random.nextInt(4);
      steps[i] = i % 70; // the run restarts every 70 points
    }
    assertSameNoise(values, steps);
  }
}
