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

  @Test
  void repeatedSelectionsFromTheChainFindWhatSortingPutsAtEachRank() {
    SplittableRandom random = new SplittableRandom(13);
    OrderStatistics.Selection selection = new OrderStatistics.Selection();
    for (int trial = 0; trial < 2_000; trial++) {
      int n = 1 + random.nextInt(trial % 4 == 0 ? 5_000 : 300);
      double[] a = new double[n];
      int distinct = 1 + random.nextInt(trial % 3 == 0 ? 3 : 100_000);
      for (int i = 0; i < n; i++) {
        a[i] = random.nextInt(distinct) - distinct / 2;
      }
      double[] sorted = a.clone();
      Arrays.sort(sorted);
      selection.start(a, 0, n);
      // Ranks near each other (as the median and a bound), far apart, and repeated.
      int k = random.nextInt(n);
      for (int q = 0; q < 6; q++) {
        int rank =
            q % 3 == 2
                ? random.nextInt(n)
                : Math.max(0, Math.min(n - 1, k + random.nextInt(-40, 41)));
        assertThat(selection.select(rank))
            .as("trial %d, query %d: rank %d of %d", trial, q, rank, n)
            .isEqualTo(sorted[rank]);
      }
      double[] after = a.clone();
      Arrays.sort(after);
      assertThat(after).as("selection only reorders").isEqualTo(sorted);
    }
  }

  @Test
  void aSelectionStartedAgainForgetsTheEarlierArray() {
    OrderStatistics.Selection selection = new OrderStatistics.Selection();
    double[] first = new SplittableRandom(14).doubles(500).toArray();
    selection.start(first, 0, first.length);
    selection.select(250);
    double[] second = new SplittableRandom(15).doubles(700).map(v -> -v).toArray();
    double[] sorted = second.clone();
    Arrays.sort(sorted);
    selection.start(second, 100, 700);
    double[] tail = Arrays.copyOfRange(second, 100, 700);
    Arrays.sort(tail);
    assertThat(selection.select(400)).isEqualTo(tail[300]);
    assertThat(selection.select(101)).isEqualTo(tail[1]);
  }
}
