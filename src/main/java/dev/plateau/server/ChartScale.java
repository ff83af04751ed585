package dev.plateau.server;

import java.util.ArrayList;
import java.util.List;

/**
 * One axis of a chart: the range it spans, whether it is logarithmic, and its ticks at round values
 * (1, 2 or 5 times a power of ten; powers of ten on a log scale). The range is widened to the outer
 * ticks so every point and marker falls inside the plot.
 *
 * @param low the value at the axis' start
 * @param high the value at its end (above {@code low})
 * @param log whether positions are proportional to the logarithm of values
 * @param ticks the tick values, ascending, all within [low, high]
 */
record ChartScale(double low, double high, boolean log, List<Double> ticks) {
  /**
   * Values are drawn on a log scale when all are positive and the largest is more than this many
   * times the smallest (two decades): a loss falling from 10 to 0.01 is then more than a cliff.
   */
  static final double LOG_RATIO = 100;

  /** About how many ticks a linear axis gets. */
  static final int TICKS = 5;

  ChartScale {
    ticks = List.copyOf(ticks);
  }

  /** A value axis over the finite values {@code min..max} (log scale when they call for it). */
  static ChartScale values(double min, double max) {
    if (!(min <= max) || !Double.isFinite(min) || !Double.isFinite(max)) {
      return linear(0, 1);
    }
    if (min > 0 && max / min > LOG_RATIO) {
      return logarithmic(min, max);
    }
    return linear(min, max);
  }

  /** A step axis from the first to the last step. */
  static ChartScale steps(long first, long last) {
    ChartScale s = linear(first, Math.max(last, first + 1));
    // steps are whole numbers: ticks between them are not steps
    List<Double> whole = new ArrayList<>();
    for (double t : s.ticks) {
      if (t == Math.rint(t)) {
        whole.add(t);
      }
    }
    return new ChartScale(s.low, s.high, false, whole);
  }

  /** Where a value falls, from 0 (the axis' start) to 1 (its end); clamped. */
  double share(double value) {
    double s;
    if (log) {
      s =
          value <= 0
              ? 0
              : (Math.log10(value) - Math.log10(low)) / (Math.log10(high) - Math.log10(low));
    } else {
      s = (value - low) / (high - low);
    }
    return Double.isNaN(s) ? 0 : Math.max(0, Math.min(1, s));
  }

  static ChartScale linear(double min, double max) {
    double span = max - min;
    if (span <= 0) {
      span = min == 0 ? 1 : Math.abs(min) * 0.1;
      min -= span / 2;
      max += span / 2;
    }
    double step = niceStep(span / (TICKS - 1));
    double low = Math.floor(min / step) * step;
    double high = Math.ceil(max / step) * step;
    List<Double> ticks = new ArrayList<>();
    long n = Math.round((high - low) / step);
    for (long i = 0; i <= n; i++) {
      ticks.add(clean(low + i * step, step));
    }
    return new ChartScale(clean(low, step), clean(high, step), false, ticks);
  }

  static ChartScale logarithmic(double min, double max) {
    int from = (int) Math.floor(Math.log10(min));
    int to = (int) Math.ceil(Math.log10(max));
    if (to == from) {
      to++;
    }
    int every = Math.max(1, (to - from + TICKS) / (TICKS + 1));
    List<Double> ticks = new ArrayList<>();
    for (int e = from; e <= to; e += every) {
      ticks.add(Double.parseDouble("1e" + e));
    }
    return new ChartScale(
        Double.parseDouble("1e" + from), Double.parseDouble("1e" + to), true, ticks);
  }

  /** 1, 2 or 5 times a power of ten, at least {@code rough}. */
  static double niceStep(double rough) {
    double power = Math.pow(10, Math.floor(Math.log10(rough)));
    double f = rough / power;
    double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
    return nice * power;
  }

  /**
   * A multiple of {@code step} without the binary noise of the multiplication
   * (0.30000000000000004).
   */
  private static double clean(double value, double step) {
    int digits = Math.max(0, (int) -Math.floor(Math.log10(step)) + 1);
    return digits > 15 ? value : Math.round(value * Math.pow(10, digits)) / Math.pow(10, digits);
  }
}
