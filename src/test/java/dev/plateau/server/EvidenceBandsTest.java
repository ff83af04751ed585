package dev.plateau.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.daemon.SeriesView;
import dev.plateau.detect.Mode;
import dev.plateau.detect.Status;
import dev.plateau.detect.Verdict;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class EvidenceBandsTest {
  /** {@code n} points at steps 0, stride, 2 stride ... */
  private static SeriesView curve(int n, long stride) {
    long[] steps = new long[n];
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      steps[i] = i * stride;
      values[i] = 1 + 3 * Math.exp(-i / 20.0);
    }
    return new SeriesView(steps, values);
  }

  private static Verdict verdict(
      String detector, Status status, long decided, long points, Map<String, Object> evidence) {
    return new Verdict(
        "exp", "loss", Mode.MIN, status, detector, decided, 10L, 1.0, decided, points, evidence,
        "why");
  }

  @Test
  void thePlateauTestsWindowEndsAtTheDecidedStepAndSpansItsPoints() {
    SeriesView every = curve(200, 10);
    Verdict v =
        verdict("plateau", Status.CONVERGED, 1500, 200, Map.of("points", 151, "window_points", 48));
    MetricChart.Band band = EvidenceBands.of(v, every);
    assertThat(band).isNotNull();
    assertThat(band.to()).isEqualTo(1500);
    assertThat(band.from()).as("47 points before step 1500, 10 steps apart").isEqualTo(1030);
    assertThat(band.label()).isEqualTo("trend window");
    assertThat(band.title()).contains("48 points", "1500");
  }

  @Test
  void onAThinnedCurveTheWindowIsPlacedByTheShareOfPointsEachDrawnPointStandsFor() {
    // 1,000 points at steps 0..999 drawn as 100 (every tenth point-ish): 200 points are 20 drawn.
    long[] steps = new long[100];
    double[] values = new double[100];
    for (int i = 0; i < 100; i++) {
      steps[i] = Math.round(i * 999.0 / 99);
      values[i] = 1;
    }
    Verdict v = verdict("overfitting", Status.OVERFITTING, 999, 1000, Map.of("window", 200));
    MetricChart.Band band = EvidenceBands.of(v, new SeriesView(steps, values));
    assertThat(band.to()).isEqualTo(999);
    assertThat(band.from()).isBetween(790L, 810L);
    assertThat(band.label()).isEqualTo("worsening window");
  }

  @Test
  void patienceShadesTheWaitSinceTheLastImprovement() {
    Verdict v =
        verdict(
            "patience",
            Status.CONVERGED,
            900,
            100,
            Map.of("since_step", 600L, "waited_points", 30L, "patience", "30 points"));
    MetricChart.Band band = EvidenceBands.of(v, curve(100, 10));
    assertThat(band.from()).isEqualTo(600);
    assertThat(band.to()).isEqualTo(900);
    assertThat(band.title()).contains("from step 600 to step 900", "30 points");
  }

  @Test
  void detectorsWithoutAWindowHaveNoBand() {
    assertThat(
            EvidenceBands.of(
                verdict("divergence", Status.DIVERGED, 500, 60, Map.of("value", "NaN")),
                curve(60, 10)))
        .isNull();
    assertThat(
            EvidenceBands.of(
                verdict("plateau", Status.CONVERGED, 500, 60, Map.of("forecast", Map.of())),
                curve(60, 10)))
        .as("evidence without a window")
        .isNull();
  }

  @Test
  void theBandIsShadedBehindTheCurvesWithItsLabelInsideThePlot() {
    SeriesView line = curve(200, 10);
    String svg =
        MetricChart.svg(
            "loss",
            List.of(new MetricChart.Line("train", line)),
            List.of(new MetricChart.Marker(MetricChart.Marker.Kind.DECIDED, 1500, Double.NaN, 0)),
            List.of(),
            List.of(new MetricChart.Band(1030, 1500, "trend window", "the <test> window")));
    assertThat(svg.indexOf("<rect class=\"evidence\""))
        .as("behind the curves")
        .isPositive()
        .isLessThan(svg.indexOf("<polyline"));
    Matcher rect =
        Pattern.compile(
                "<rect class=\"evidence\" x=\"([-0-9.]+)\" y=\"[-0-9.]+\" width=\"([-0-9.]+)\"")
            .matcher(svg);
    assertThat(rect.find()).isTrue();
    double left = Double.parseDouble(rect.group(1));
    double right = left + Double.parseDouble(rect.group(2));
    assertThat(left).isGreaterThanOrEqualTo(MetricChart.LEFT);
    assertThat(right).isLessThanOrEqualTo(MetricChart.WIDTH - MetricChart.RIGHT);
    assertThat(right)
        .as("ends on the decided line")
        .isCloseTo(decidedX(svg), org.assertj.core.data.Offset.offset(0.11));
    assertThat(svg)
        .contains(">trend window</text>")
        .contains("<title>the &lt;test&gt; window</title>");
  }

  private static double decidedX(String svg) {
    Matcher m = Pattern.compile("<line class=\"decided\" x1=\"([-0-9.]+)\"").matcher(svg);
    assertThat(m.find()).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
