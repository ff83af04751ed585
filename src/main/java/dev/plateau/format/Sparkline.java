package dev.plateau.format;

/**
 * A curve as a line of Unicode block characters (▁▂▃▄▅▆▇█), for terminals and Slack. Long series
 * are cut into {@code width} buckets, each drawn at its mean; NaN and infinite values draw as '×'
 * (a bucket holding any) and leave the scale alone.
 */
public final class Sparkline {
  private static final char[] BLOCKS = "▁▂▃▄▅▆▇█".toCharArray();

  private Sparkline() {}

  /** The sparkline of {@code values[0..count)} in at most {@code width} characters. */
  public static String of(double[] values, int count, int width) {
    if (count <= 0 || width <= 0) {
      return "";
    }
    int buckets = Math.min(width, count);
    double[] means = new double[buckets];
    boolean[] bad = new boolean[buckets];
    for (int b = 0; b < buckets; b++) {
      int from = (int) ((long) b * count / buckets);
      int to = (int) ((long) (b + 1) * count / buckets);
      double sum = 0;
      int n = 0;
      for (int i = from; i < to; i++) {
        if (Double.isFinite(values[i])) {
          sum += values[i];
          n++;
        } else {
          bad[b] = true;
        }
      }
      means[b] = n == 0 ? Double.NaN : sum / n;
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double m : means) {
      if (!Double.isNaN(m)) {
        min = Math.min(min, m);
        max = Math.max(max, m);
      }
    }
    StringBuilder out = new StringBuilder(buckets);
    for (int b = 0; b < buckets; b++) {
      if (bad[b] || Double.isNaN(means[b])) {
        out.append('×');
      } else if (max == min) {
        out.append(BLOCKS[BLOCKS.length / 2]);
      } else {
        int level = (int) Math.round((means[b] - min) / (max - min) * (BLOCKS.length - 1));
        out.append(BLOCKS[level]);
      }
    }
    return out.toString();
  }
}
