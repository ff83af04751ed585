package dev.plateau.verdict;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The sorted multiset against a list sorted again after every change. */
class SortedValuesTest {
  /** Few distinct values, so that equal values (and -0.0 beside 0.0) are common. */
  private static double draw(SplittableRandom random) {
    return switch (random.nextInt(8)) {
      case 0 -> 0.0;
      case 1 -> -0.0;
      case 2 -> Double.POSITIVE_INFINITY;
      case 3 -> Double.NEGATIVE_INFINITY;
      default -> random.nextInt(20) / 4.0 - 2;
    };
  }

  @Test
  void randomAddsRemovesAndReplacesKeepTheOrderSortingGives() {
    SplittableRandom random = new SplittableRandom(7);
    for (int round = 0; round < 200; round++) {
      SortedValues values = new SortedValues();
      List<Double> expected = new ArrayList<>();
      for (int op = 0; op < 300; op++) {
        int what = expected.isEmpty() ? 0 : random.nextInt(3);
        if (what == 0) {
          double v = draw(random);
          values.add(v);
          expected.add(v);
        } else if (what == 1) {
          double v = expected.remove(random.nextInt(expected.size()));
          values.remove(v);
        } else {
          int at = random.nextInt(expected.size());
          double v = draw(random);
          values.replace(expected.get(at), v);
          expected.set(at, v);
        }
        Collections.sort(expected); // Double.compareTo: the order Arrays.sort(double[]) gives
        assertThat(values.size()).isEqualTo(expected.size());
        for (int k = 0; k < expected.size(); k++) {
          assertThat(Double.doubleToRawLongBits(values.get(k)))
              .as("rank %d of %s", k, expected)
              .isEqualTo(Double.doubleToRawLongBits(expected.get(k)));
        }
        double probe = draw(random);
        long atLeast = expected.stream().filter(e -> Double.compare(e, probe) >= 0).count();
        assertThat(values.countAtLeast(probe)).isEqualTo((int) atLeast);
        int rank = values.rankOf(probe);
        if (expected.contains(probe)) {
          assertThat(Double.compare(values.get(rank), probe)).isZero();
        } else {
          assertThat(rank).isNegative();
        }
      }
    }
  }

  @Test
  void sortsTheValuesItIsBuiltFrom() {
    double[] given = {3, -1, 0.0, -0.0, 3, 2};
    SortedValues values = SortedValues.of(given, 5);
    assertThat(values.size()).isEqualTo(5);
    assertThat(List.of(values.get(0), values.get(1), values.get(2), values.get(3), values.get(4)))
        .containsExactly(-1.0, -0.0, 0.0, 3.0, 3.0);
    assertThat(given[0]).isEqualTo(3); // the caller's array is left as it was
  }
}
