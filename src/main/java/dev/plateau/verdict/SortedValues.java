package dev.plateau.verdict;

import java.util.Arrays;

/**
 * A multiset of doubles kept in the order {@link Arrays#sort(double[])} gives them ({@link
 * Double#compare}: -0.0 before 0.0), so that its k-th smallest is read at once. Adding, removing or
 * moving a value is a binary search and a shift of the values between its old and new place (a
 * value that moves to a neighbouring rank shifts nothing). Never holds NaN. Not thread-safe.
 */
final class SortedValues {
  private double[] values = new double[8];
  private int size;

  /** The first {@code n} of {@code values} (none NaN), sorted; {@code values} is not kept. */
  static SortedValues of(double[] values, int n) {
    SortedValues sorted = new SortedValues();
    sorted.values = Arrays.copyOf(values, Math.max(8, n));
    Arrays.sort(sorted.values, 0, n);
    sorted.size = n;
    return sorted;
  }

  /** How many values it holds. */
  int size() {
    return size;
  }

  /** The {@code k}-th smallest value, from 0. */
  double get(int k) {
    if (k < 0 || k >= size) {
      throw new IndexOutOfBoundsException(k);
    }
    return values[k];
  }

  /**
   * The rank of one occurrence of {@code value} (the last one when it occurs more than once), or a
   * negative number when it does not occur.
   */
  int rankOf(double value) {
    int at = firstAbove(value) - 1;
    return at >= 0 && Double.compare(values[at], value) == 0 ? at : -1;
  }

  /** How many values are at least {@code value}. */
  int countAtLeast(double value) {
    return size - firstAtLeast(value);
  }

  /** Adds {@code value} (not NaN). */
  void add(double value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    int at = firstAbove(value);
    System.arraycopy(values, at, values, at + 1, size - at);
    values[at] = value;
    size++;
  }

  /** Removes one occurrence of {@code value}, which it must hold. */
  void remove(double value) {
    int at = rankOf(value);
    if (at < 0) {
      throw new IllegalStateException("not held: " + value);
    }
    System.arraycopy(values, at + 1, values, at, size - at - 1);
    size--;
  }

  /**
   * Replaces one occurrence of {@code old}, which it must hold, by {@code value}: the values
   * between the two places move by one, the rest stay.
   */
  void replace(double old, double value) {
    int from = rankOf(old);
    if (from < 0) {
      throw new IllegalStateException("not held: " + old);
    }
    int compared = Double.compare(value, old);
    if (compared > 0) {
      // The new place: after every value at most the new one, less the one leaving.
      int to = firstAbove(value) - 1;
      System.arraycopy(values, from + 1, values, from, to - from);
      values[to] = value;
    } else if (compared < 0) {
      // Before every value at least the new one; the old one, the last of its equals, stays after.
      int to = firstAtLeast(value);
      System.arraycopy(values, to, values, to + 1, from - to);
      values[to] = value;
    }
  }

  /** The first index whose value is above {@code value} (size when none is). */
  private int firstAbove(double value) {
    int low = 0;
    int high = size;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (Double.compare(values[mid], value) <= 0) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  /** The first index whose value is at least {@code value} (size when none is). */
  private int firstAtLeast(double value) {
    int low = 0;
    int high = size;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (Double.compare(values[mid], value) < 0) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }
}
