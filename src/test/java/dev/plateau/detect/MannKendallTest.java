package dev.plateau.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The O(n log n) Mann–Kendall z against {@link TrendStatistics}' O(n²) one, bit for bit. */
class MannKendallTest {

  @Test
  void zIsTheSameDoubleAsCountingEveryPair() {
    SplittableRandom random = new SplittableRandom(3);
    MannKendall mk = new MannKendall();
    for (int trial = 0; trial < 20_000; trial++) {
      int n = random.nextInt(trial % 20 == 0 ? 600 : 40);
      int from = random.nextInt(4);
      double[] v = new double[from + n + 2];
      int distinct = 1 + random.nextInt(trial % 2 == 0 ? 4 : 100_000);
      double trend = random.nextGaussian() * 0.01;
      for (int i = 0; i < v.length; i++) {
        v[i] = random.nextInt(distinct) * 0.001 + trend * i;
        if (v[i] == 0 && random.nextBoolean()) {
          v[i] = -0.0; // a tie with 0.0
        }
        if (random.nextInt(200) == 0) {
          v[i] =
              switch (random.nextInt(3)) {
                case 0 -> Double.POSITIVE_INFINITY;
                case 1 -> Double.NEGATIVE_INFINITY;
                default -> Double.NaN;
              };
        }
      }
      double expected = TrendStatistics.mannKendallZ(v, from, from + n);
      double actual = mk.z(v, from, from + n);
      if (Double.doubleToRawLongBits(actual) != Double.doubleToRawLongBits(expected)) {
        fail(
            "trial %d: z %s, counting pairs gives %s, for %s [%d, %d)",
            trial, actual, expected, Arrays.toString(v), from, from + n);
      }
    }
  }

  @Test
  void aLongSeriesCostsNoMoreThanASortAndGivesTheKnownZ() {
    // 20,000 increasing values: S = n(n-1)/2, no ties; the O(n²) count would take 2*10^8 pairs.
    int n = 20_000;
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = i;
    }
    double s = n * (n - 1.0) / 2;
    double variance = n * (n - 1.0) * (2.0 * n + 5.0) / 18.0;
    assertThat(new MannKendall().z(v, 0, n)).isEqualTo((s - 1) / Math.sqrt(variance));
  }
}
