package dev.plateau.server;

import dev.plateau.daemon.SeriesView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The chart of one metric of an experiment, as inline SVG drawn here (so it shows with scripts
 * off): the series of the metric overlaid (a training run's and its validation twin's), each as its
 * raw points (light) and a smoothed level (bold: TensorBoard's debiased exponential moving average,
 * weight {@value #SMOOTHING}); axes with ticks and values, logarithmic when the values span more
 * than two decades ({@link ChartScale}); the best step and the decided step marked and labelled
 * inside the plot area; the window the detector's decision rests on shaded behind the curves.
 *
 * <p>A few spikes do not flatten the rest: as TensorBoard's "ignore outliers", the value axis spans
 * the 2nd to 98th percentiles of the points (with a margin) when the full range is more than
 * {@value #OUTLIER_SPAN} times wider, and points beyond it are drawn on its edge. Markers always
 * fall inside.
 */
final class MetricChart {
  static final int WIDTH = 640;
  static final int HEIGHT = 240;
  static final int LEFT = 58;
  static final int RIGHT = 12;
  static final int TOP = 12;
  static final int BOTTOM = 30;

  /** The weight of the smoothed level (TensorBoard's default smoothing). */
  static final double SMOOTHING = 0.6;

  /** When the full value range is this many times the 2nd..98th percentile range: clip. */
  static final double OUTLIER_SPAN = 5;

  /** A series on the chart: its label (the run, relative to the experiment) and its points. */
  record Line(String label, SeriesView view) {}

  /** A marked step: the best (a dot on its value) or the decided one (a vertical line). */
  record Marker(Kind kind, long step, double value, int line) {
    enum Kind {
      BEST,
      DECIDED
    }
  }

  /**
   * A stretch of steps the detector's decision rests on ({@link EvidenceBands}), shaded behind the
   * curves with a short label; {@code title} says it in full on hover.
   */
  record Band(long from, long to, String label, String title) {}

  /**
   * How far past the last point a forecast may widen the step axis, as a share of the points' span:
   * a forecast further out would squeeze the curve it continues into a corner.
   */
  static final double FORECAST_REACH = 0.5;

  /** The forecasts drawn: those within {@link #FORECAST_REACH} of the points' steps. */
  static List<Forecast> shown(List<Forecast> forecasts, long first, long last) {
    List<Forecast> out = new ArrayList<>();
    for (Forecast f : forecasts) {
      if (f.step() <= last + FORECAST_REACH * Math.max(1, last - first)) {
        out.add(f);
      }
    }
    return out;
  }

  /**
   * A series' forecast (the plateau detector's): the level predicted at {@code step}, with its 90%
   * interval, drawn as a dot on a bar and joined to the series' last point by a dotted line.
   */
  record Forecast(long step, double value, double lower, double upper, int line) {}

  /** Where things go: the axes, and a point's position in the SVG's coordinates. */
  record Plot(ChartScale x, ChartScale y) {
    double xOf(long step) {
      return LEFT + x.share(step) * (WIDTH - LEFT - RIGHT);
    }

    double yOf(double value) {
      return TOP + (1 - y.share(value)) * (HEIGHT - TOP - BOTTOM);
    }
  }

  private MetricChart() {}

  /** The axes for these lines and markers: every point's step and every marker inside. */
  static Plot plot(List<Line> lines, List<Marker> markers) {
    return plot(lines, markers, List.of());
  }

  /** As {@link #plot(List, List)}, with forecasts (their steps and intervals inside too). */
  static Plot plot(List<Line> lines, List<Marker> markers, List<Forecast> forecasts) {
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    int count = 0;
    for (Line l : lines) {
      long[] steps = l.view().steps();
      if (steps.length > 0) {
        first = Math.min(first, steps[0]);
        last = Math.max(last, steps[steps.length - 1]);
      }
      for (double v : l.view().values()) {
        if (Double.isFinite(v)) {
          count++;
        }
      }
    }
    List<Forecast> drawn = first > last ? List.of() : shown(forecasts, first, last);
    double[] values = new double[count];
    int i = 0;
    for (Line l : lines) {
      for (double v : l.view().values()) {
        if (Double.isFinite(v)) {
          values[i++] = v;
        }
      }
    }
    Arrays.sort(values);
    double low = count == 0 ? 0 : values[0];
    double high = count == 0 ? 1 : values[count - 1];
    if (count >= 20) {
      double p2 = values[(int) (0.02 * (count - 1))];
      double p98 = values[(int) Math.ceil(0.98 * (count - 1))];
      if (p98 > p2 && high - low > OUTLIER_SPAN * (p98 - p2)) {
        double pad = 0.25 * (p98 - p2);
        low = Math.max(low, p2 - pad);
        high = Math.min(high, p98 + pad);
      }
    }
    for (Marker m : markers) {
      first = Math.min(first, m.step());
      last = Math.max(last, m.step());
      if (m.kind() == Marker.Kind.BEST && Double.isFinite(m.value())) {
        low = Math.min(low, m.value());
        high = Math.max(high, m.value());
      }
    }
    for (Forecast f : drawn) {
      last = Math.max(last, f.step());
      low = Math.min(low, f.value());
      high = Math.max(high, f.value());
    }
    if (first == Long.MAX_VALUE) {
      first = 0;
      last = 1;
    }
    return new Plot(ChartScale.steps(first, last), ChartScale.values(low, high));
  }

  /** TensorBoard's debiased exponential moving average; non-finite values pass and are skipped. */
  static double[] smoothed(double[] values) {
    double[] out = new double[values.length];
    double last = 0;
    int n = 0;
    for (int i = 0; i < values.length; i++) {
      double v = values[i];
      if (!Double.isFinite(v)) {
        out[i] = v;
        continue;
      }
      last = last * SMOOTHING + (1 - SMOOTHING) * v;
      n++;
      out[i] = last / (1 - Math.pow(SMOOTHING, n));
    }
    return out;
  }

  /** The chart's SVG; {@code metric} names it (escaped here). */
  static String svg(String metric, List<Line> lines, List<Marker> markers) {
    return svg(metric, lines, markers, List.of());
  }

  /** The chart's SVG with the series' forecasts. */
  static String svg(
      String metric, List<Line> lines, List<Marker> markers, List<Forecast> forecasts) {
    return svg(metric, lines, markers, forecasts, List.of());
  }

  /** The chart's SVG with the series' forecasts and the detector's evidence shaded. */
  static String svg(
      String metric,
      List<Line> lines,
      List<Marker> markers,
      List<Forecast> forecasts,
      List<Band> bands) {
    Plot p = plot(lines, markers, forecasts);
    StringBuilder svg = new StringBuilder(8192);
    svg.append("<svg class=\"chart\" viewBox=\"0 0 ")
        .append(WIDTH)
        .append(' ')
        .append(HEIGHT)
        .append("\" preserveAspectRatio=\"xMidYMid meet\" role=\"img\" aria-label=\"")
        .append(Html.attribute(metric))
        .append("\" data-x0=\"")
        .append(fmt(p.x().low()))
        .append("\" data-x1=\"")
        .append(fmt(p.x().high()))
        .append("\" data-l=\"")
        .append(LEFT)
        .append("\" data-r=\"")
        .append(WIDTH - RIGHT)
        .append("\">");
    axes(svg, p);
    List<double[]> labels = new ArrayList<>();
    segments(p, lines, labels);
    for (Band b : bands) {
      band(svg, p, b, labels);
    }
    for (int i = 0; i < lines.size(); i++) {
      line(svg, p, lines.get(i), i);
    }
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (Line l : lines) {
      long[] steps = l.view().steps();
      if (steps.length > 0) {
        first = Math.min(first, steps[0]);
        last = Math.max(last, steps[steps.length - 1]);
      }
    }
    for (Forecast f : first > last ? List.<Forecast>of() : shown(forecasts, first, last)) {
      forecast(svg, p, f, lines.get(f.line()).view(), labels);
    }
    for (Marker m : markers) {
      marker(svg, p, m, labels);
    }
    return svg.append("</svg>").toString();
  }

  private static void axes(StringBuilder svg, Plot p) {
    int bottom = HEIGHT - BOTTOM;
    svg.append("<g class=\"axes\"><rect class=\"frame\" x=\"")
        .append(LEFT)
        .append("\" y=\"")
        .append(TOP)
        .append("\" width=\"")
        .append(WIDTH - LEFT - RIGHT)
        .append("\" height=\"")
        .append(bottom - TOP)
        .append("\"/>");
    for (double t : p.y().ticks()) {
      String y = fmt(p.yOf(t));
      svg.append("<line class=\"grid\" x1=\"")
          .append(LEFT)
          .append("\" x2=\"")
          .append(WIDTH - RIGHT)
          .append("\" y1=\"")
          .append(y)
          .append("\" y2=\"")
          .append(y)
          .append("\"/><text class=\"tick y\" x=\"")
          .append(LEFT - 4)
          .append("\" y=\"")
          .append(fmt(p.yOf(t) + 4))
          .append("\" text-anchor=\"end\">")
          .append(Html.text(HumanNumber.of(t)))
          .append("</text>");
    }
    for (double t : p.x().ticks()) {
      double at = p.xOf((long) t);
      String x = fmt(at);
      // the last tick's label would cross the chart's right edge if centred on it
      String anchor = at > WIDTH - RIGHT - 24 ? "end" : "middle";
      svg.append("<line class=\"grid\" x1=\"")
          .append(x)
          .append("\" x2=\"")
          .append(x)
          .append("\" y1=\"")
          .append(TOP)
          .append("\" y2=\"")
          .append(bottom)
          .append("\"/><text class=\"tick x\" x=\"")
          .append(x)
          .append("\" y=\"")
          .append(bottom + 14)
          .append("\" text-anchor=\"")
          .append(anchor)
          .append("\">")
          .append(Html.text(HumanNumber.of(t)))
          .append("</text>");
    }
    svg.append("<text class=\"axis-name\" x=\"")
        .append((LEFT + WIDTH - RIGHT) / 2)
        .append("\" y=\"")
        .append(HEIGHT - 2)
        .append("\" text-anchor=\"middle\">step</text>");
    if (p.y().log()) {
      svg.append("<text class=\"axis-name\" x=\"2\" y=\"").append(TOP - 2).append("\">log</text>");
    }
    svg.append("</g>");
  }

  private static void line(StringBuilder svg, Plot p, Line line, int index) {
    long[] steps = line.view().steps();
    double[] values = line.view().values();
    String css = "s" + (index % 6);
    svg.append("<polyline class=\"raw ")
        .append(css)
        .append("\" data-label=\"")
        .append(Html.attribute(line.label()))
        .append("\" data-s=\"");
    for (int i = 0; i < steps.length; i++) {
      svg.append(i == 0 ? "" : " ").append(steps[i]);
    }
    svg.append("\" data-v=\"");
    for (int i = 0; i < values.length; i++) {
      // event files hold 32-bit floats: their shortest form is exact and short
      svg.append(i == 0 ? "" : " ").append(Float.toString((float) values[i]));
    }
    svg.append("\" points=\"");
    points(svg, p, steps, values);
    svg.append("\"/>");
    svg.append("<polyline class=\"smooth ").append(css).append("\" points=\"");
    points(svg, p, steps, smoothed(values));
    svg.append("\"/>");
    if (steps.length == 1) {
      svg.append("<circle class=\"only ")
          .append(css)
          .append("\" r=\"3\" cx=\"")
          .append(fmt(p.xOf(steps[0])))
          .append("\" cy=\"")
          .append(fmt(p.yOf(values[0])))
          .append("\"/>");
    }
  }

  private static void points(StringBuilder svg, Plot p, long[] steps, double[] values) {
    String sep = "";
    for (int i = 0; i < steps.length; i++) {
      if (Double.isFinite(values[i])) {
        svg.append(sep).append(fmt(p.xOf(steps[i]))).append(',').append(fmt(p.yOf(values[i])));
        sep = " ";
      }
    }
  }

  private static void forecast(
      StringBuilder svg, Plot p, Forecast f, SeriesView view, List<double[]> labels) {
    double x = p.xOf(f.step());
    String css = "s" + (f.line() % 6);
    int last = view.steps().length - 1;
    while (last >= 0 && !Double.isFinite(view.values()[last])) {
      last--;
    }
    svg.append("<g class=\"forecast ").append(css).append("\">");
    if (last >= 0) {
      svg.append("<line class=\"forecast-path\" x1=\"")
          .append(fmt(p.xOf(view.steps()[last])))
          .append("\" y1=\"")
          .append(fmt(p.yOf(smoothed(view.values())[last])))
          .append("\" x2=\"")
          .append(fmt(x))
          .append("\" y2=\"")
          .append(fmt(p.yOf(f.value())))
          .append("\"/>");
    }
    svg.append("<line class=\"interval\" x1=\"")
        .append(fmt(x))
        .append("\" x2=\"")
        .append(fmt(x))
        .append("\" y1=\"")
        .append(fmt(p.yOf(f.lower())))
        .append("\" y2=\"")
        .append(fmt(p.yOf(f.upper())))
        .append("\"/><circle r=\"3\" cx=\"")
        .append(fmt(x))
        .append("\" cy=\"")
        .append(fmt(p.yOf(f.value())))
        .append("\"><title>forecast at step ")
        .append(f.step())
        .append(": ")
        .append(HumanNumber.of(f.value()))
        .append(" (90%: ")
        .append(HumanNumber.of(f.lower()))
        .append(" to ")
        .append(HumanNumber.of(f.upper()))
        .append(")</title></circle></g>");
  }

  /** About how wide a label's character is, in SVG units (11-pixel sans-serif text). */
  private static final double CHAR_WIDTH = 6.5;

  private static final double LABEL_HEIGHT = 13;

  /**
   * A label's baseline: {@code preferred} or the nearest place above or below it, inside the plot,
   * where it overlaps none of the labels {@code placed} (boxes: left, baseline, right) and, if one
   * of the nearest few places allows, crosses none of the curves' segments also in {@code placed}
   * (x1, y1, x2, y2: a label written over the bold line it labels is hard to read).
   */
  static double labelY(double left, double right, double preferred, List<double[]> placed) {
    double top = TOP + LABEL_HEIGHT;
    double bottom = HEIGHT - BOTTOM - 3;
    for (int pass = 0; pass < 2; pass++) {
      for (int k = 0; k < (pass == 0 ? CLEAR_OF_CURVES_TRIES : 16); k++) {
        double shift = (k + 1) / 2 * LABEL_HEIGHT * (k % 2 == 0 ? 1 : -1);
        double y = Math.max(top, Math.min(bottom, preferred + shift));
        if (free(left, right, y, placed, pass == 0)) {
          placed.add(new double[] {left, y, right});
          return y;
        }
      }
    }
    return Math.max(top, Math.min(bottom, preferred));
  }

  /** Places tried (the preferred, then alternately below and above) for a label clear of curves. */
  private static final int CLEAR_OF_CURVES_TRIES = 5;

  private static boolean free(
      double left, double right, double y, List<double[]> placed, boolean ofCurves) {
    for (double[] b : placed) {
      if (b.length == 3) {
        if (left < b[2] && right > b[0] && Math.abs(y - b[1]) < LABEL_HEIGHT) {
          return false;
        }
      } else if (ofCurves && crosses(b, left, right, y - LABEL_HEIGHT + 3, y + 3)) {
        return false;
      }
    }
    return true;
  }

  /** Whether segment {@code s} (x1, y1, x2, y2; x1 <= x2) passes through the box. */
  private static boolean crosses(double[] s, double left, double right, double top, double bottom) {
    if (s[2] < left || s[0] > right) {
      return false;
    }
    double from = Math.max(left, s[0]);
    double to = Math.min(right, s[2]);
    double dx = s[2] - s[0];
    double ya = dx == 0 ? s[1] : s[1] + (s[3] - s[1]) * (from - s[0]) / dx;
    double yb = dx == 0 ? s[3] : s[1] + (s[3] - s[1]) * (to - s[0]) / dx;
    return Math.max(ya, yb) >= top && Math.min(ya, yb) <= bottom;
  }

  /** The smoothed curves' segments, in the plot's coordinates, for labels to keep clear of. */
  private static void segments(Plot p, List<Line> lines, List<double[]> placed) {
    for (Line l : lines) {
      long[] steps = l.view().steps();
      double[] smooth = smoothed(l.view().values());
      double px = Double.NaN;
      double py = Double.NaN;
      for (int i = 0; i < steps.length; i++) {
        if (!Double.isFinite(smooth[i])) {
          continue;
        }
        double x = p.xOf(steps[i]);
        double y = p.yOf(smooth[i]);
        if (!Double.isNaN(px)) {
          placed.add(new double[] {px, py, x, y});
        }
        px = x;
        py = y;
      }
    }
  }

  /** A band behind the curves, from one step to another, its label at its top inside the plot. */
  private static void band(StringBuilder svg, Plot p, Band b, List<double[]> labels) {
    double left = Math.max(LEFT, p.xOf(b.from()));
    double right = Math.min(WIDTH - RIGHT, Math.max(left + 2, p.xOf(b.to())));
    // the label starts at the band's left edge, or ends at its right one near the chart's right
    boolean fromRight = left > LEFT + 0.6 * (WIDTH - LEFT - RIGHT);
    double labelX = fromRight ? right - 4 : left + 4;
    double w = b.label().length() * CHAR_WIDTH;
    double y =
        labelY(fromRight ? labelX - w : labelX, fromRight ? labelX : labelX + w, TOP + 13, labels);
    svg.append("<g class=\"evidence\"><rect class=\"evidence\" x=\"")
        .append(fmt(left))
        .append("\" y=\"")
        .append(TOP)
        .append("\" width=\"")
        .append(fmt(right - left))
        .append("\" height=\"")
        .append(HEIGHT - BOTTOM - TOP)
        .append("\"><title>")
        .append(Html.text(b.title()))
        .append("</title></rect><text class=\"marker-label evidence\" x=\"")
        .append(fmt(labelX))
        .append("\" y=\"")
        .append(fmt(y))
        .append("\" text-anchor=\"")
        .append(fromRight ? "end" : "start")
        .append("\">")
        .append(Html.text(b.label()))
        .append("</text></g>");
  }

  private static void marker(StringBuilder svg, Plot p, Marker m, List<double[]> labels) {
    double x = p.xOf(m.step());
    boolean right = x > LEFT + 0.6 * (WIDTH - LEFT - RIGHT);
    double labelX = right ? x - 5 : x + 5;
    String anchor = right ? "end" : "start";
    if (m.kind() == Marker.Kind.DECIDED) {
      String text = "decided " + m.step();
      double w = text.length() * CHAR_WIDTH;
      double y =
          labelY(
              right ? labelX - w : labelX,
              right ? labelX : labelX + w,
              HEIGHT - BOTTOM - 6,
              labels);
      svg.append("<line class=\"decided\" x1=\"")
          .append(fmt(x))
          .append("\" x2=\"")
          .append(fmt(x))
          .append("\" y1=\"")
          .append(TOP)
          .append("\" y2=\"")
          .append(HEIGHT - BOTTOM)
          .append("\"/><text class=\"marker-label decided\" x=\"")
          .append(fmt(labelX))
          .append("\" y=\"")
          .append(fmt(y))
          .append("\" text-anchor=\"")
          .append(anchor)
          .append("\">")
          .append(text)
          .append("</text>");
      return;
    }
    double y = p.yOf(m.value());
    String text = "best " + m.step() + " (" + HumanNumber.of(m.value()) + ")";
    double w = text.length() * CHAR_WIDTH;
    double labelY =
        labelY(
            right ? labelX - w : labelX,
            right ? labelX : labelX + w,
            y > TOP + 18 ? y - 8 : y + 16,
            labels);
    svg.append("<circle class=\"best s")
        .append(m.line() % 6)
        .append("\" r=\"4.5\" cx=\"")
        .append(fmt(x))
        .append("\" cy=\"")
        .append(fmt(y))
        .append("\"><title>best step ")
        .append(m.step())
        .append(": ")
        .append(HumanNumber.of(m.value()))
        .append("</title></circle><text class=\"marker-label best\" x=\"")
        .append(fmt(labelX))
        .append("\" y=\"")
        .append(fmt(labelY))
        .append("\" text-anchor=\"")
        .append(anchor)
        .append("\">")
        .append(text)
        .append("</text>");
  }

  /** The polyline of a small overview sparkline (no axes), {@code width} by {@code height}. */
  static String sparkline(SeriesView view, int width, int height) {
    StringBuilder svg = new StringBuilder(1024);
    svg.append("<svg class=\"spark\" viewBox=\"0 0 ")
        .append(width)
        .append(' ')
        .append(height)
        .append("\" aria-hidden=\"true\">");
    List<Line> one = new ArrayList<>(List.of(new Line("", view)));
    Plot p = plot(one, List.of());
    svg.append("<polyline class=\"smooth s0\" points=\"");
    String sep = "";
    double[] values = smoothed(view.values());
    long[] steps = view.steps();
    int stride = Math.max(1, steps.length / width);
    double first = steps[0];
    double span = Math.max(1, steps[steps.length - 1] - first);
    for (int i = 0; i < steps.length; i += stride) {
      if (Double.isFinite(values[i])) {
        double x = 1 + (steps[i] - first) / span * (width - 2);
        double y = 1 + (1 - p.y().share(values[i])) * (height - 2);
        svg.append(sep).append(fmt(x)).append(',').append(fmt(y));
        sep = " ";
      }
    }
    return svg.append("\"/></svg>").toString();
  }

  /** A coordinate with one decimal ({@code String.format} was most of a page's time). */
  static String fmt(double v) {
    if (!Double.isFinite(v) || Math.abs(v) > 1e15) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    long tenths = Math.round(v * 10);
    long abs = Math.abs(tenths);
    return (tenths < 0 ? "-" : "") + abs / 10 + "." + abs % 10;
  }
}
