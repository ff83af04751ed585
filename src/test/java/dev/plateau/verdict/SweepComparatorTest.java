package dev.plateau.verdict;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.config.SweepConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class SweepComparatorTest {
  private static final SweepComparator DEFAULT = new SweepComparator(SweepConfig.DEFAULTS);

  private static double[] siblings() {
    return new double[] {1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6};
  }

  private static SweepComparator with(double percentile, int grace, int minSiblings) {
    return new SweepComparator(
        new SweepConfig(
            true, List.of(), SweepConfig.Align.STEP, percentile, 2, grace, minSiblings, 64));
  }

  @Test
  void aRunBehindTheMedianByMoreThanTwoNoiseDeviationsLags() {
    SweepComparator.Comparison c = DEFAULT.compare(1.6, 0.05, 10, siblings(), 7, false);
    assertThat(c).isNotNull();
    assertThat(c.threshold()).isEqualTo(1.3);
    assertThat(c.margin()).isEqualTo(0.1);
    assertThat(c.lagging()).isTrue();
  }

  @Test
  void aRunBehindTheMedianByLessThanItsNoiseDoesNotLag() {
    assertThat(DEFAULT.compare(1.35, 0.05, 10, siblings(), 7, false).lagging()).isFalse();
    assertThat(DEFAULT.compare(1.2, 0.0, 10, siblings(), 7, false).lagging()).isFalse();
  }

  @Test
  void noComparisonDuringTheGracePeriodNorWithFewerSiblingsThanTheMinimum() {
    assertThat(DEFAULT.compare(9, 0, 4, siblings(), 7, false)).isNull();
    assertThat(DEFAULT.compare(9, 0, 5, siblings(), 4, false)).isNull();
    assertThat(DEFAULT.compare(9, 0, 5, siblings(), 5, false)).isNotNull();
    assertThat(DEFAULT.compare(Double.POSITIVE_INFINITY, 0, 5, siblings(), 7, false)).isNull();
  }

  @Test
  void onceLaggingARunStaysLaggingUntilItIsNoLongerBehindTheMedian() {
    // Within the margin: a run not lagging yet is not, one lagging stays lagging.
    assertThat(DEFAULT.compare(1.35, 0.05, 10, siblings(), 7, false).lagging()).isFalse();
    assertThat(DEFAULT.compare(1.35, 0.05, 10, siblings(), 7, true).lagging()).isTrue();
    assertThat(DEFAULT.compare(1.3, 0.05, 10, siblings(), 7, true).lagging()).isFalse();
  }

  @Test
  void aHigherPercentileCutsOnlyRunsFurtherBehind() {
    double run = 1.45;
    assertThat(with(50, 1, 1).compare(run, 0, 10, siblings(), 7, false).lagging()).isTrue();
    assertThat(with(75, 1, 1).compare(run, 0, 10, siblings(), 7, false).lagging()).isFalse();
    assertThat(with(25, 1, 1).compare(1.2, 0, 10, siblings(), 7, false).lagging()).isTrue();
  }

  @Test
  void thePercentileInterpolatesBetweenOrderStatistics() {
    assertThat(SweepComparator.percentile(new double[] {4, 1, 3, 2}, 4, 50)).isEqualTo(2.5);
    assertThat(SweepComparator.percentile(new double[] {4, 1, 3, 2, 99}, 4, 100)).isEqualTo(4);
    assertThat(SweepComparator.percentile(new double[] {7}, 1, 50)).isEqualTo(7);
  }

  @Test
  void selectionGivesTheSamePercentilesAsSorting() {
    java.util.Random random = new java.util.Random(5);
    for (int trial = 0; trial < 300; trial++) {
      int n = 1 + random.nextInt(400);
      double[] values = new double[n];
      for (int i = 0; i < n; i++) {
        // ties too: a sweep's runs can share values
        values[i] = random.nextInt(4) == 0 ? 1.0 : random.nextGaussian();
      }
      double[] sorted = values.clone();
      java.util.Arrays.sort(sorted);
      double p = random.nextInt(101);
      double rank = (n - 1) * p / 100.0;
      int below = (int) Math.floor(rank);
      int above = Math.min(below + 1, n - 1);
      double expected = sorted[below] + (sorted[above] - sorted[below]) * (rank - below);
      assertThat(SweepComparator.percentile(values.clone(), n, p)).isEqualTo(expected);
    }
  }
}
