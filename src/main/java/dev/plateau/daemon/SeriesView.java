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
