package dev.plateau.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OrderStatisticsTest {

  /** The value of rank k as sorting places it, by selection and the zero-sign rule. */
  static double selected(double[] values, int k) {
    double[] a = values.clone();
    OrderStatistics.select(a, 0, a.length, k);
    return OrderStatistics.signedZero(a, a.length, k, a[k]);
  }

  @Test
  void selectionFindsWhatSortingPutsAtEveryRank() {
    SplittableRandom random = new SplittableRandom(11);
    for (int trial = 0; trial < 3_000; trial++) {
      int n = 1 + random.nextInt(300);
      double[] a = new double[n];
      int distinct = 1 + random.nextInt(trial % 3 == 0 ? 3 : 1000);
      for (int i = 0; i < n; i++) {
        a[i] = random.nextInt(distinct) - distinct / 2;
        if (a[i] == 0 && random.nextBoolean()) {
          a[i] = -0.0; // sorting puts -0.0 before 0.0; selection must too
        }
        if (random.nextInt(50) == 0) {
          a[i] = random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        }
      }
      double[] sorted = a.clone();
      Arrays.sort(sorted);
      int k = random.nextInt(n);
      assertThat(Double.doubleToRawLongBits(selected(a, k)))
          .as("rank %d of %s", k, Arrays.toString(a))
          .isEqualTo(Double.doubleToRawLongBits(sorted[k]));
    }
  }

  @Test
  void selectionLeavesSmallerValuesBeforeTheRankAndLargerAfter() {
    SplittableRandom random = new SplittableRandom(12);
    double[] a = random.doubles(1000).toArray();
    OrderStatistics.select(a, 0, a.length, 400);
    for (int i = 0; i < a.length; i++) {
      if (i < 400) {
        assertThat(a[i]).isLessThanOrEqualTo(a[400]);
      } else {
        assertThat(a[i]).isGreaterThanOrEqualTo(a[400]);
      }
    }
  }

  @Test
  void orderedReversedAndConstantInputsAreSelectedCorrectly() {
    int n = 5000;
    double[] ascending = new double[n];
    double[] descending = new double[n];
    double[] organPipe = new double[n];
    for (int i = 0; i < n; i++) {
      ascending[i] = i;
      descending[i] = n - i;
      organPipe[i] = Math.min(i, n - i);
    }
    for (double[] a : new double[][] {ascending, descending, organPipe, new double[n]}) {
      double[] sorted = a.clone();
      Arrays.sort(sorted);
      for (int k : new int[] {0, 1, n / 3, n / 2, n - 1}) {
        assertThat(selected(a, k)).isEqualTo(sorted[k]);
      }
    }
  }
}
