package dev.plateau.daemon;

import dev.plateau.series.Series;

/**
 * A series' curve for charts: at most {@link #MAX_POINTS} points, evenly spaced over what is kept
 * (the first and last always included), copied so any thread may read it.
 *
 * @param steps the steps
 * @param values the values (NaN and infinities kept)
 */
public record SeriesView(long[] steps, double[] values) {
  public static final int MAX_POINTS = 400;

  /**
   * Whether this view ends where {@code series}' kept points end (so it need not be drawn again: a
   * series only changes at its end, and a rewind ends it elsewhere).
   */
  boolean endsLike(Series series) {
    int n = series.size();
    return n == 0 || steps.length == 0
        ? n == steps.length
        : steps[steps.length - 1] == series.step(n - 1);
  }

  /** This curve with at most {@code points} points, evenly spaced, the first and last kept. */
  SeriesView thinnedTo(int points) {
    int n = steps.length;
    if (n <= points) {
      return this;
    }
    long[] s = new long[points];
    double[] v = new double[points];
    for (int i = 0; i < points; i++) {
      int at = (int) ((long) i * (n - 1) / (points - 1));
      s[i] = steps[at];
      v[i] = values[at];
    }
    return new SeriesView(s, v);
  }

  /**
   * {@code earlier}'s points before {@code later}'s first step, then {@code later}'s (a parked
   * series' curve continued after it woke with none of its old points kept), thinned to {@link
   * #MAX_POINTS}.
   */
  static SeriesView joined(SeriesView earlier, SeriesView later) {
    long start = later.steps.length == 0 ? Long.MAX_VALUE : later.steps[0];
    int before = 0;
    while (before < earlier.steps.length && earlier.steps[before] < start) {
      before++;
    }
    if (before == 0) {
      return later;
    }
    int n = before + later.steps.length;
    long[] s = new long[n];
    double[] v = new double[n];
    System.arraycopy(earlier.steps, 0, s, 0, before);
    System.arraycopy(earlier.values, 0, v, 0, before);
    System.arraycopy(later.steps, 0, s, before, later.steps.length);
    System.arraycopy(later.values, 0, v, before, later.values.length);
    return new SeriesView(s, v).thinnedTo(MAX_POINTS);
  }

  static SeriesView of(Series series) {
    int n = series.size();
    int m = Math.min(n, MAX_POINTS);
    long[] steps = new long[m];
    double[] values = new double[m];
    for (int i = 0; i < m; i++) {
      int at = m == 1 ? n - 1 : (int) ((long) i * (n - 1) / (m - 1));
      steps[i] = series.step(at);
      values[i] = series.value(at);
    }
    return new SeriesView(steps, values);
  }
}
