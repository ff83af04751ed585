package dev.plateau.detect;

import java.util.Arrays;

/**
 * The k-th smallest of an array's values, found by selection (expected O(n)) instead of sorting
 * (O(n log n)), and equal to the last bit to what {@link Arrays#sort(double[])} would place at k:
 * selection compares with {@code <}, which ranks -0.0 and 0.0 alike where the sort puts -0.0
 * first, so a zero found is given the sign the sort would give it ({@link #signedZero}); a range
 * holding a NaN is sorted instead, as the sort ranks NaN last and {@code <} cannot.
 */
final class OrderStatistics {
  /** Below this length a range is sorted rather than partitioned further. */
  private static final int SORT_BELOW = 24;

  /** Above this length a sample narrows the range first. */
  private static final int SAMPLE_ABOVE = 600;

  private OrderStatistics() {}

  /**
   * Reorders {@code a[from..to)} so that {@code a[k]} holds the value of rank {@code k - from}
   * among them (numerically), every value before it is {@code <=} it and every value after it
   * {@code >=} it. The values must not be NaN.
   *
   * <p>Floyd and Rivest's SELECT: a long range first narrows to a sample's neighbourhood of rank
   * k, so the partitions that follow are short; about n + min(k, n - k) comparisons. A range that
   * still partitions badly too often is sorted, so the worst case is O(n log n).
   */
  static void select(double[] a, int from, int to, int k) {
    select(a, from, to - 1, k, 2 * (32 - Integer.numberOfLeadingZeros(to - from)) + 8);
  }

  /** {@link #select} over {@code a[left..right]}, inclusive, with a budget of partitions. */
  private static void select(double[] a, int left, int right, int k, int budget) {
    while (right > left) {
      if (right - left < SORT_BELOW || --budget < 0) {
        Arrays.sort(a, left, right + 1);
        return;
      }
      if (right - left > SAMPLE_ABOVE) {
        // Select within a sample-sized range around k's expected place first, so the pivot
        // taken below (a[k]) is close to the answer.
        int n = right - left + 1;
        int i = k - left + 1;
        double z = Math.log(n);
        double s = 0.5 * Math.exp(2 * z / 3);
        double sd = 0.5 * Math.sqrt(z * s * (n - s) / n) * Math.signum(i - n / 2.0);
        int newLeft = Math.max(left, (int) (k - i * s / n + sd));
        int newRight = Math.min(right, (int) (k + (n - i) * s / n + sd));
        select(a, newLeft, newRight, k, budget);
      }
      double t = a[k];
      int i = left;
      int j = right;
      swap(a, left, k);
      if (a[right] > t) {
        swap(a, right, left);
      }
      while (i < j) {
        swap(a, i, j);
        i++;
        j--;
        while (a[i] < t) {
          i++;
        }
        while (a[j] > t) {
          j--;
        }
      }
      if (a[left] == t) {
        swap(a, left, j);
      } else {
        j++;
        swap(a, j, right);
      }
      // Now a[left..j) <= t == a[j] <= a(j..right].
      if (j <= k) {
        left = j + 1;
      }
      if (k <= j) {
        right = j - 1;
      }
    }
  }

  /** The largest of {@code a[from..to)} (numerically; no NaN), {@code from < to}. */
  static double max(double[] a, int from, int to) {
    double m = a[from];
    for (int i = from + 1; i < to; i++) {
      if (m < a[i]) {
        m = a[i];
      }
    }
    return m;
  }

  /**
   * {@code value}, the value of rank {@code k} of {@code a[0..n)} found with {@code <}, with the
   * sign a sort would give it when it is a zero: -0.0 when rank k falls among the negative zeros,
   * which the sort puts before the positive ones.
   */
  static double signedZero(double[] a, int n, int k, double value) {
    if (value != 0) {
      return value;
    }
    int belowZero = 0;
    for (int i = 0; i < n; i++) {
      double x = a[i];
      if (x < 0 || (x == 0 && Double.doubleToRawLongBits(x) != 0)) {
        belowZero++; // negative, or -0.0
      }
    }
    return k < belowZero ? -0.0 : 0.0;
  }

  /** Whether {@code a[from..to)} holds a NaN. */
  static boolean hasNaN(double[] a, int from, int to) {
    for (int i = from; i < to; i++) {
      if (Double.isNaN(a[i])) {
        return true;
      }
    }
    return false;
  }

  private static void swap(double[] a, int i, int j) {
    double t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
