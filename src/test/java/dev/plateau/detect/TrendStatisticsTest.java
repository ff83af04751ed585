package dev.plateau.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TrendStatisticsTest {

  @Test
  void mannKendallSCountsLaterGreaterMinusLaterSmallerPairs() {
    assertThat(TrendStatistics.mannKendallS(new double[] {1, 2, 3, 4}, 0, 4)).isEqualTo(6);
    assertThat(TrendStatistics.mannKendallS(new double[] {4, 3, 2, 1}, 0, 4)).isEqualTo(-6);
    // pairs of 3,1,2,2,1: (3,1)- (3,2)- (3,2)- (3,1)- (1,2)+ (1,2)+ (1,1)0 (2,2)0 (2,1)- (2,1)- =>
    // -4
    assertThat(TrendStatistics.mannKendallS(new double[] {3, 1, 2, 2, 1}, 0, 5)).isEqualTo(-4);
  }

  @Test
  void mannKendallSRespectsTheFromToRange() {
    double[] v = {100, 1, 2, 3, -100};
    assertThat(TrendStatistics.mannKendallS(v, 1, 4)).isEqualTo(3);
  }

  @Test
  void varianceWithoutTiesIsNTimesNMinusOneTimesTwoNPlusFiveOverEighteen() {
    assertThat(TrendStatistics.mannKendallVariance(new double[] {1, 2, 3}, 0, 3))
        .isCloseTo(3 * 2 * 11 / 18.0, within(1e-12));
    assertThat(TrendStatistics.mannKendallVariance(new double[] {5, 1, 4, 2, 3}, 0, 5))
        .isCloseTo(5 * 4 * 15 / 18.0, within(1e-12));
  }

  @Test
  void varianceSubtractsEachTieGroup() {
    // 3,1,2,2,1: n = 5 -> 300; tie groups {1,1} and {2,2} each 2*1*9 = 18 -> (300 - 36) / 18
    assertThat(TrendStatistics.mannKendallVariance(new double[] {3, 1, 2, 2, 1}, 0, 5))
        .isCloseTo(264 / 18.0, within(1e-12));
    // a group of three: 1,1,1,2: n = 4 -> 156; 3*2*11 = 66 -> 90 / 18 = 5
    assertThat(TrendStatistics.mannKendallVariance(new double[] {1, 1, 2, 1}, 0, 4))
        .isCloseTo(5.0, within(1e-12));
  }

  @Test
  void zUsesContinuityCorrection() {
    // 1,2,3,4: S = 6, var = 4*3*13/18 = 8.666..., z = 5 / sqrt(8.666...)
    assertThat(TrendStatistics.mannKendallZ(new double[] {1, 2, 3, 4}, 0, 4))
        .isCloseTo(5 / Math.sqrt(156 / 18.0), within(1e-12));
    assertThat(TrendStatistics.mannKendallZ(new double[] {4, 3, 2, 1}, 0, 4))
        .isCloseTo(-5 / Math.sqrt(156 / 18.0), within(1e-12));
    // with ties: S = -4, var = 264/18 -> z = -3 / sqrt(14.666...)
    assertThat(TrendStatistics.mannKendallZ(new double[] {3, 1, 2, 2, 1}, 0, 5))
        .isCloseTo(-3 / Math.sqrt(264 / 18.0), within(1e-12));
  }

  @Test
  void zIsZeroForFewerThanThreeValuesConstantValuesOrNoTrend() {
    assertThat(TrendStatistics.mannKendallZ(new double[] {1, 2}, 0, 2)).isZero();
    assertThat(TrendStatistics.mannKendallZ(new double[] {2, 2, 2, 2}, 0, 4)).isZero();
    // S = 1 -> (1 - 1) / sd = 0
    assertThat(TrendStatistics.mannKendallZ(new double[] {1, 3, 2}, 0, 3)).isZero();
  }

  @Test
  void twentyStrictlyIncreasingValuesAreSignificant() {
    double[] v = new double[20];
    for (int i = 0; i < v.length; i++) {
      v[i] = i * i;
    }
    // S = 190, var = 20*19*45/18 = 950 -> z = 189 / sqrt(950) = 6.13
    assertThat(TrendStatistics.mannKendallZ(v, 0, 20))
        .isCloseTo(189 / Math.sqrt(950), within(1e-12));
  }

  @Test
  void theilSenIsExactOnALineWithOneOutlier() {
    double[] x = {0, 1, 2, 3, 4, 5, 6};
    double[] y = {1, 3, 5, 100, 9, 11, 13}; // y = 2x + 1, outlier at x = 3
    assertThat(TrendStatistics.theilSenSlope(x, y, 0, 7)).isEqualTo(2.0);
  }

  @Test
  void theilSenUsesRealXSpacingAndRange() {
    double[] x = {0, 10, 30, 60, 100};
    double[] y = {7, 1.5, -0.5, -3.5, -7.5}; // y = -0.1 x + 2.5 from index 1, junk at 0
    assertThat(TrendStatistics.theilSenSlope(x, y, 1, 5)).isCloseTo(-0.1, within(1e-12));
  }

  @Test
  void theilSenSkipsPairsWithEqualXAndIsNaNWithoutPairs() {
    double[] x = {1, 1, 2};
    double[] y = {0, 10, 4};
    // pairs with distinct x: (1,0)-(2,4) slope 4, (1,10)-(2,4) slope -6 -> median of 2 = -1
    assertThat(TrendStatistics.theilSenSlope(x, y, 0, 3)).isEqualTo(-1.0);
    assertThat(TrendStatistics.theilSenSlope(new double[] {1, 1}, new double[] {0, 1}, 0, 2))
        .isNaN();
    assertThat(TrendStatistics.theilSenSlope(new double[] {1}, new double[] {0}, 0, 1)).isNaN();
  }

  @Test
  void medianOfOddAndEvenCounts() {
    assertThat(TrendStatistics.median(new double[] {5, 1, 3}, 3)).isEqualTo(3.0);
    assertThat(TrendStatistics.median(new double[] {4, 1, 3, 2, 99}, 4)).isEqualTo(2.5);
  }
}
