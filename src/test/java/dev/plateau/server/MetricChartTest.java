package dev.plateau.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.daemon.SeriesView;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MetricChartTest {
  private static SeriesView curve(int n, long stride, double scale, double floor) {
    long[] steps = new long[n];
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      steps[i] = i * stride;
      values[i] = floor + scale * Math.exp(-i / 10.0);
    }
    return new SeriesView(steps, values);
  }

  /** Every number of an attribute in the SVG, as x or y coordinates. */
  private static List<Double> attribute(String svg, String element, String name) {
    Matcher m = Pattern.compile("<" + element + "[^>]*? " + name + "=\"([-0-9.]+)\"").matcher(svg);
    List<Double> out = new ArrayList<>();
    while (m.find()) {
      out.add(Double.parseDouble(m.group(1)));
    }
    return out;
  }

  @Test
  void bestAndDecidedMarkersAndTheirLabelsLieInsideThePlotArea() {
    // The best step is the last kept point's and the decided step beyond the last kept point:
    // both must widen the axis rather than fall off the chart.
    SeriesView train = curve(50, 10, 5, 0.5);
    SeriesView validation = curve(40, 10, 5, 0.8);
    List<MetricChart.Marker> markers =
        List.of(
            new MetricChart.Marker(MetricChart.Marker.Kind.BEST, 390, 0.79, 1),
            new MetricChart.Marker(MetricChart.Marker.Kind.DECIDED, 620, Double.NaN, 1));
    String svg =
        MetricChart.svg(
            "loss",
            List.of(
                new MetricChart.Line("train", train),
                new MetricChart.Line("validation", validation)),
            markers);
    double right = MetricChart.WIDTH - MetricChart.RIGHT;
    double bottom = MetricChart.HEIGHT - MetricChart.BOTTOM;
    assertThat(attribute(svg, "circle", "cx"))
        .isNotEmpty()
        .allMatch(x -> x >= MetricChart.LEFT && x <= right);
    assertThat(attribute(svg, "circle", "cy")).allMatch(y -> y >= MetricChart.TOP && y <= bottom);
    assertThat(attribute(svg, "line class=\"decided\"", "x1"))
        .singleElement()
        .satisfies(x -> assertThat(x).isBetween((double) MetricChart.LEFT, right));
    assertThat(attribute(svg, "text class=\"marker-label[^\"]*\"", "x"))
        .hasSize(2)
        .allMatch(x -> x >= MetricChart.LEFT && x <= right);
    assertThat(attribute(svg, "text class=\"marker-label[^\"]*\"", "y"))
        .allMatch(y -> y >= MetricChart.TOP && y <= bottom);
    assertThat(svg).contains(">best 390 (0.79)</text>", ">decided 620</text>");
  }

  @Test
  void aForecastBeyondTheLastPointWidensTheAxesAndLiesInside() {
    SeriesView run = curve(100, 1, 5, 0.5);
    MetricChart.Forecast f = new MetricChart.Forecast(140, 0.4, 0.3, 0.45, 0);
    String svg =
        MetricChart.svg("loss", List.of(new MetricChart.Line("run", run)), List.of(), List.of(f));
    MetricChart.Plot p =
        MetricChart.plot(List.of(new MetricChart.Line("run", run)), List.of(), List.of(f));
    assertThat(p.x().high()).isGreaterThanOrEqualTo(140);
    assertThat(p.y().low()).isLessThanOrEqualTo(0.4);
    double right = MetricChart.WIDTH - MetricChart.RIGHT;
    assertThat(attribute(svg, "line class=\"interval\"", "x1"))
        .singleElement()
        .satisfies(x -> assertThat(x).isBetween((double) MetricChart.LEFT, right));
    assertThat(svg).contains("<title>forecast at step 140: 0.4 (90%: 0.3 to 0.45)</title>");
  }

  @Test
  void aForecastFarBeyondThePointsIsLeftOutRatherThanSqueezeTheCurve() {
    SeriesView run = curve(100, 1, 5, 0.5);
    MetricChart.Forecast far = new MetricChart.Forecast(1_000, 0.4, -5, 9, 0);
    MetricChart.Plot p =
        MetricChart.plot(List.of(new MetricChart.Line("run", run)), List.of(), List.of(far));
    assertThat(p.x().high()).isLessThan(200);
    assertThat(p.y().low()).isGreaterThan(-1);
    assertThat(
            MetricChart.svg(
                "loss", List.of(new MetricChart.Line("run", run)), List.of(), List.of(far)))
        .doesNotContain("forecast at step");
  }

  @Test
  void labelsOfNearbyMarkersDoNotOverlap() {
    List<double[]> placed = new ArrayList<>();
    double a = MetricChart.labelY(500, 600, 200, placed);
    double b = MetricChart.labelY(520, 620, 202, placed);
    double c = MetricChart.labelY(100, 160, 200, placed);
    assertThat(Math.abs(a - b)).isGreaterThanOrEqualTo(13);
    assertThat(c).as("a label elsewhere keeps its place").isEqualTo(200);
    assertThat(b)
        .isBetween((double) MetricChart.TOP, (double) MetricChart.HEIGHT - MetricChart.BOTTOM);
  }

  @Test
  void axesCarryTickValuesAndBothSeriesAreDrawnRawAndSmoothed() {
    String svg =
        MetricChart.svg(
            "loss",
            List.of(
                new MetricChart.Line("train", curve(30, 1, 2, 1)),
                new MetricChart.Line("validation", curve(30, 1, 2, 1.5))),
            List.of());
    assertThat(svg).contains("class=\"tick y\"", "class=\"tick x\"", ">step</text>");
    assertThat(svg.split("<polyline class=\"raw", -1)).hasSize(3);
    assertThat(svg.split("<polyline class=\"smooth", -1)).hasSize(3);
    assertThat(svg).contains("data-label=\"validation\"");
  }

  @Test
  void aSeriesOfThreePointsHasAChart() {
    String svg =
        MetricChart.svg("loss", List.of(new MetricChart.Line("run", curve(3, 1, 1, 0))), List.of());
    Matcher points = Pattern.compile("class=\"raw s0\"[^>]*points=\"([^\"]*)\"").matcher(svg);
    assertThat(points.find()).isTrue();
    assertThat(points.group(1).split(" ")).hasSize(3);
  }

  @Test
  void aLossFallingThreeDecadesIsDrawnOnALogScale() {
    SeriesView falling = curve(60, 1, 1000, 0.01);
    String svg = MetricChart.svg("loss", List.of(new MetricChart.Line("run", falling)), List.of());
    assertThat(MetricChart.plot(List.of(new MetricChart.Line("run", falling)), List.of()).y().log())
        .isTrue();
    assertThat(svg).contains(">log</text>");
  }

  @Test
  void aFewSpikesDoNotFlattenTheRestOfTheCurve() {
    int n = 200;
    long[] steps = new long[n];
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      steps[i] = i;
      values[i] = 1 + 0.1 * Math.sin(i / 5.0) + (i % 97 == 50 ? 400 : 0);
    }
    MetricChart.Plot p =
        MetricChart.plot(
            List.of(new MetricChart.Line("lstm", new SeriesView(steps, values))), List.of());
    assertThat(p.y().high()).as("the axis ends near the bulk, not at the spikes").isLessThan(5);
    assertThat(p.yOf(0.9) - p.yOf(1.1)).as("the wiggle spans a visible height").isGreaterThan(40);
  }

  @Test
  void namesInLabelsAreEscaped() {
    String name = "val_loss\"><script>alert(1)</script>";
    String svg =
        MetricChart.svg(
            name, List.of(new MetricChart.Line("<img src=x>", curve(5, 1, 1, 0))), List.of());
    assertThat(svg)
        .doesNotContain("<script", "<img")
        .contains("&lt;img src=x&gt;", "&quot;&gt;&lt;script&gt;");
  }

  @Test
  void coordinatesHaveOneDecimal() {
    assertThat(MetricChart.fmt(12.345)).isEqualTo("12.3");
    assertThat(MetricChart.fmt(-0.04)).isEqualTo("0.0");
    assertThat(MetricChart.fmt(-3.26)).isEqualTo("-3.3");
    assertThat(MetricChart.fmt(640)).isEqualTo("640.0");
  }

  @Test
  void theSmoothedLevelIsTensorBoardsDebiasedAverage() {
    double[] s = MetricChart.smoothed(new double[] {1, 1, Double.NaN, 1});
    assertThat(s[0]).isEqualTo(1.0);
    assertThat(s[1]).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(s[2]).isNaN();
    assertThat(s[3]).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void aBestLabelIsNotWrittenOverTheOtherSeriesCurveWhenThereIsRoomNearby() {
    // Train and validation flatten close together: a best label above train's last point would
    // sit on the validation curve, as the page once drew it.
    int n = 150;
    long[] steps = new long[n];
    double[] train = new double[n];
    double[] validation = new double[n];
    for (int i = 0; i < n; i++) {
      steps[i] = i;
      train[i] = 0.5 + 6 * Math.exp(-i / 12.0);
      validation[i] = 0.8 + 6 * Math.exp(-i / 12.0);
    }
    String svg =
        MetricChart.svg(
            "loss",
            List.of(
                new MetricChart.Line("train", new SeriesView(steps, train)),
                new MetricChart.Line("validation", new SeriesView(steps, validation))),
            List.of(
                new MetricChart.Marker(MetricChart.Marker.Kind.BEST, 149, train[149], 0),
                new MetricChart.Marker(MetricChart.Marker.Kind.BEST, 143, validation[143], 1)));
    Matcher label =
        Pattern.compile(
                "<text class=\"marker-label best\" x=\"([-0-9.]+)\" y=\"([-0-9.]+)\""
                    + " text-anchor=\"end\">([^<]*)</text>")
            .matcher(svg);
    Matcher smooth =
        Pattern.compile("<polyline class=\"smooth [^\"]*\" points=\"([^\"]*)\"").matcher(svg);
    List<double[]> points = new ArrayList<>();
    while (smooth.find()) {
      for (String xy : smooth.group(1).split(" ")) {
        String[] c = xy.split(",");
        points.add(new double[] {Double.parseDouble(c[0]), Double.parseDouble(c[1])});
      }
    }
    int labels = 0;
    while (label.find()) {
      labels++;
      double right = Double.parseDouble(label.group(1));
      double baseline = Double.parseDouble(label.group(2));
      double left = right - label.group(3).length() * 6.5;
      assertThat(points)
          .as("no curve point under the label '" + label.group(3) + "'")
          .noneMatch(
              c -> c[0] >= left && c[0] <= right && c[1] >= baseline - 10 && c[1] <= baseline + 3);
    }
    assertThat(labels).isEqualTo(2);
  }
}
