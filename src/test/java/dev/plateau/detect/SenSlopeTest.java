package dev.plateau.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The Theil–Sen estimate by selection against the estimate by sorting every slope (the plateau
 * detector's method until selection replaced it), on random windows built to be awkward: ties,
 * zeros of both signs, constant runs, huge and tiny magnitudes, infinities and NaN. Every result
 * must be the same double, bit for bit.
 */
class SenSlopeTest {

  /** The reference: all pairwise slopes sorted, the order statistics read off. */
  static double[] sortedReference(double[] x, int from, int w, double z) {
    int pairs = 0;
    long s = 0;
    double[] slopes = new double[w * (w - 1) / 2];
    for (int i = 0; i < w - 1; i++) {
      for (int k = i + 1; k < w; k++) {
        double d = x[from + k] - x[from + i];
        slopes[pairs++] = d / (k - i);
        s += d > 0 ? 1 : d < 0 ? -1 : 0;
      }
    }
    Arrays.sort(slopes, 0, pairs);
    double b =
        pairs % 2 == 1 ? slopes[pairs / 2] : 0.5 * (slopes[pairs / 2 - 1] + slopes[pairs / 2]);
    double[] r = new double[w];
    double mean = 0;
    for (int t = 0; t < w; t++) {
      r[t] = x[from + t] - b * t;
      mean += r[t];
    }
    mean /= w;
    double den = 0;
    double num = 0;
    for (int t = 0; t < w; t++) {
      r[t] -= mean;
      den += r[t] * r[t];
      if (t > 0) {
        num += r[t] * r[t - 1];
      }
    }
    double r1 = den > 0 ? num / den : 0;
    double variance = w * (w - 1.0) * (2.0 * w + 5.0) / 18.0;
    variance *= 1.0 + 2.0 * (w - 3) * Math.max(0, r1) / w;
    double c = z * Math.sqrt(variance);
    int m1 = Math.min(pairs - 1, Math.max(0, (int) Math.floor((pairs - c) / 2)));
    int m2 = Math.min(pairs - 1, Math.max(0, (int) Math.ceil((pairs + c) / 2)));
    double mkZ = s == 0 ? 0 : (s - Long.signum(s)) / Math.sqrt(variance);
    return new double[] {b, slopes[m1], slopes[m2], mkZ, r1};
  }

  static double[] window(SplittableRandom random, int w) {
    double[] x = new double[w];
    int shape = random.nextInt(8);
    double scale = Math.pow(10, random.nextInt(-300, 300));
    for (int t = 0; t < w; t++) {
      x[t] =
          switch (shape) {
            case 0 -> Math.exp(-t / 10.0) + 0.01 * random.nextGaussian(); // a decay
            case 1 -> random.nextInt(4); // few distinct values: many tied slopes
            case 2 -> random.nextBoolean() ? 0.0 : -0.0; // zero slopes of both signs
            case 3 -> 5.0; // constant
            case 4 -> scale * random.nextGaussian(); // huge or tiny magnitudes
            case 5 -> random.nextInt(3) - 1 + (random.nextBoolean() ? 0.0 : -0.0);
            case 6 -> t < w / 2 ? -t : Double.MIN_VALUE * random.nextInt(3); // underflowing slopes
            default -> random.nextGaussian();
          };
    }
    if (random.nextInt(10) == 0) {
      x[random.nextInt(w)] =
          switch (random.nextInt(3)) {
            case 0 -> Double.NaN;
            case 1 -> Double.POSITIVE_INFINITY;
            default -> Double.NEGATIVE_INFINITY;
          };
    }
    return x;
  }

  @Test
  void selectedOrderStatisticsEqualThoseOfSortingEverySlopeBitForBit() {
    SplittableRandom random = new SplittableRandom(6);
    SenSlope sen = new SenSlope(128, 1.645);
    for (int trial = 0; trial < 20_000; trial++) {
      int w = 2 + random.nextInt(trial % 10 == 0 ? 126 : 40);
      int from = random.nextInt(3);
      double[] x = new double[from + w];
      System.arraycopy(window(random, w), 0, x, from, w);
      double[] expected = sortedReference(x, from, w, 1.645);
      sen.estimate(x, from, w);
      double[] actual = {sen.slope, sen.lower, sen.upper, sen.mkZ, sen.lag1};
      for (int i = 0; i < expected.length; i++) {
        if (Double.doubleToRawLongBits(actual[i]) != Double.doubleToRawLongBits(expected[i])) {
          assertThat(actual[i])
              .as("trial %d statistic %d of %s", trial, i, Arrays.toString(x))
              .isEqualTo(expected[i]);
          fail(
              "statistic %d is %s, sorting gives %s, for %s",
              i, actual[i], expected[i], Arrays.toString(x));
        }
      }
    }
  }

  @Test
  void aNegativeZeroBoundIsKeptAsTheSortWouldRankIt() {
    // Slopes: -0.0 (0 - -0.0 is 0.0, -0.0 - 0.0 is -0.0) mixed with 0.0: sorted, -0.0 comes first.
    double[] x = {0.0, -0.0, 0.0, -0.0, 0.0, -0.0, 0.0};
    SenSlope sen = new SenSlope(16, 1.645);
    sen.estimate(x, 0, x.length);
    double[] expected = sortedReference(x, 0, x.length, 1.645);
    assertThat(Double.doubleToRawLongBits(sen.lower))
        .isEqualTo(Double.doubleToRawLongBits(expected[1]));
    assertThat(Double.doubleToRawLongBits(sen.slope))
        .isEqualTo(Double.doubleToRawLongBits(expected[0]));
  }

  @Test
  void valuesTooLargeToSquareGiveBothBoundsTheSmallestSlopeAsSortingDid() {
    // Residuals near 1e169 overflow when squared: the autocorrelation and variance are NaN, and
    // the bounds' ranks come out as 0, below the median.
    double[] x = {
      -1.2008439369345558E169, 8.689989051443694E168, 1.2947890882681585E169,
      -2.0355761838816115E169, 2.532573227678469E169, 1.2412712450443685E169,
      1.0203944555464575E169, -9.223641343472556E168, 2.2718977709329534E168,
      -3.6239539938706824E168, 1.0895638073953182E169
    };
    SenSlope sen = new SenSlope(16, 1.645);
    sen.estimate(x, 0, x.length);
    double[] expected = sortedReference(x, 0, x.length, 1.645);
    assertThat(sen.lag1).isNaN();
    assertThat(sen.lower).isEqualTo(expected[1]).isEqualTo(sen.upper);
  }

  @Test
  void askingForPartOfTheStatisticsGivesThoseBitForBitAndNaNForTheRest() {
    SplittableRandom random = new SplittableRandom(7);
    SenSlope all = new SenSlope(128, 1.645);
    SenSlope part = new SenSlope(128, 1.645);
    int[] asks = {SenSlope.LOWER, SenSlope.UPPER, SenSlope.LOWER | SenSlope.MANN_KENDALL, 0};
    for (int trial = 0; trial < 5_000; trial++) {
      int w = 2 + random.nextInt(trial % 10 == 0 ? 126 : 60);
      double[] x = window(random, w);
      int wanted = asks[trial % asks.length];
      all.estimate(x, 0, w);
      part.estimate(x, 0, w, wanted, null);
      assertThat(Double.doubleToRawLongBits(part.slope))
          .isEqualTo(Double.doubleToRawLongBits(all.slope));
      assertThat(Double.doubleToRawLongBits(part.lag1))
          .isEqualTo(Double.doubleToRawLongBits(all.lag1));
      assertSameOrNaN(part.lower, all.lower, (wanted & SenSlope.LOWER) != 0, trial);
      assertSameOrNaN(part.upper, all.upper, (wanted & SenSlope.UPPER) != 0, trial);
      assertSameOrNaN(part.mkZ, all.mkZ, (wanted & SenSlope.MANN_KENDALL) != 0, trial);
    }
  }

  private static void assertSameOrNaN(double actual, double expected, boolean asked, int trial) {
    if (asked) {
      assertThat(Double.doubleToRawLongBits(actual))
          .as("trial %d", trial)
          .isEqualTo(Double.doubleToRawLongBits(expected));
    } else {
      assertThat(actual).as("trial %d: not asked for", trial).isNaN();
    }
  }

  @Test
  void anyHintGivesTheSameStatisticsAsSortingBitForBit() {
    SplittableRandom random = new SplittableRandom(8);
    SenSlope sen = new SenSlope(128, 1.645);
    SenSlope.Hint hint = new SenSlope.Hint();
    for (int trial = 0; trial < 20_000; trial++) {
      int w = 2 + random.nextInt(trial % 5 == 0 ? 126 : 60);
      double[] x = window(random, w);
      double[] expected = sortedReference(x, 0, w, 1.645);
      // Hints that bracket, miss low, miss high, are empty, infinite, or left by the last trial.
      switch (trial % 6) {
        case 0 -> {
          hint.lo = expected[1] - Math.abs(expected[1]) * random.nextDouble();
          hint.hi = expected[2] + Math.abs(expected[2]) * random.nextDouble();
        }
        case 1 -> {
          hint.lo = expected[0];
          hint.hi = expected[0];
        }
        case 2 -> {
          hint.lo = random.nextGaussian();
          hint.hi = hint.lo + Math.abs(random.nextGaussian());
        }
        case 3 -> {
          hint.lo = Double.NEGATIVE_INFINITY;
          hint.hi = Double.POSITIVE_INFINITY;
        }
        case 4 -> {
          hint.lo = random.nextBoolean() ? 0.0 : -0.0;
          hint.hi = random.nextBoolean() ? 0.0 : -0.0;
        }
        default -> {} // what the previous estimate left
      }
      // As the plateau detector asks: one bound each, and everything.
      int wanted =
          new int[] {
                SenSlope.LOWER | SenSlope.MANN_KENDALL, SenSlope.UPPER, SenSlope.LOWER, SenSlope.ALL
              }
              [(trial / 6) % 4];
      sen.estimate(x, 0, w, wanted, hint);
      double[] actual = {sen.slope, sen.lower, sen.upper, sen.mkZ, sen.lag1};
      int[] needs = {0, SenSlope.LOWER, SenSlope.UPPER, SenSlope.MANN_KENDALL, 0};
      for (int i = 0; i < expected.length; i++) {
        if (needs[i] != 0 && (wanted & needs[i]) == 0) {
          assertThat(actual[i]).isNaN();
          continue;
        }
        assertThat(Double.doubleToRawLongBits(actual[i]))
            .as(
                "trial %d statistic %d (%s, sorting %s) of %s",
                trial, i, actual[i], expected[i], Arrays.toString(x))
            .isEqualTo(Double.doubleToRawLongBits(expected[i]));
      }
    }
  }

  @Test
  void aWindowMovingABinAtATimeIsEstimatedExactlyWithTheHintItLeaves() {
    SplittableRandom random = new SplittableRandom(9);
    double[] curve = new double[400];
    for (int t = 0; t < curve.length; t++) {
      curve[t] = 0.2 + 2 / Math.sqrt(1 + t / 5.0) + 0.02 * random.nextGaussian();
    }
    for (int wanted :
        new int[] {SenSlope.LOWER | SenSlope.MANN_KENDALL, SenSlope.UPPER, SenSlope.LOWER}) {
      SenSlope hinted = new SenSlope(128, 1.645);
      SenSlope plain = new SenSlope(128, 1.645);
      SenSlope.Hint hint = new SenSlope.Hint();
      for (int end = 20; end <= curve.length; end++) {
        int w = Math.min(100, (int) Math.ceil(0.6 * end));
        hinted.estimate(curve, end - w, w, wanted, hint);
        plain.estimate(curve, end - w, w, wanted, null);
        assertThat(hint.usable()).isTrue();
        double[] a = {hinted.slope, hinted.lower, hinted.upper, hinted.mkZ, hinted.lag1};
        double[] b = {plain.slope, plain.lower, plain.upper, plain.mkZ, plain.lag1};
        for (int i = 0; i < a.length; i++) {
          assertThat(Double.doubleToRawLongBits(a[i]))
              .as("wanted %d end %d statistic %d", wanted, end, i)
              .isEqualTo(Double.doubleToRawLongBits(b[i]));
        }
      }
    }
  }
}
