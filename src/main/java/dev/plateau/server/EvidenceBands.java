package dev.plateau.server;

import dev.plateau.daemon.SeriesView;
import dev.plateau.detect.Verdict;
import java.util.Arrays;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The stretch of a series a detector's decision rests on, read from the verdict's evidence, as a
 * band to shade on the chart: the plateau detector's trend window (the last {@code window_points}
 * points it tested for a slope), the overfitting detector's window (the last {@code window} points
 * where validation worsened while training improved), and the patience detector's wait (from the
 * step of the last improvement, {@code since_step}). Divergence, stalled and target verdicts have
 * no window: their decided step says it all.
 *
 * <p>Windows counted in points end at the decided step and are placed on the drawn curve, whose
 * points are spread evenly over the series: exact while every point is drawn, within one drawn
 * point otherwise.
 */
final class EvidenceBands {
  private EvidenceBands() {}

  /** The band of a verdict that decided its experiment, or null when its detector has none. */
  static MetricChart.@Nullable Band of(Verdict v, SeriesView view) {
    Long decided = v.decidedAtStep();
    long[] steps = view.steps();
    if (decided == null || steps.length < 2) {
      return null;
    }
    Map<String, Object> evidence = v.evidence();
    return switch (v.detector()) {
      case "plateau" -> {
        long window = count(evidence.get("window_points"));
        yield window < 2
            ? null
            : new MetricChart.Band(
                startOf(v, steps, decided, window),
                decided,
                "trend window",
                "the plateau test's window: the last "
                    + window
                    + " points before step "
                    + decided
                    + ", whose trend could no longer gain enough to matter");
      }
      case "overfitting" -> {
        long window = count(evidence.get("window"));
        yield window < 2
            ? null
            : new MetricChart.Band(
                startOf(v, steps, decided, window),
                decided,
                "worsening window",
                "the overfitting test's window: over the last "
                    + window
                    + " points before step "
                    + decided
                    + ", validation worsened while training improved");
      }
      case "patience" -> {
        long since = count(evidence.get("since_step"));
        long waited = count(evidence.get("waited_points"));
        yield since < 0 || since >= decided
            ? null
            : new MetricChart.Band(
                since,
                decided,
                "no improvement",
                "patience: no improvement from step "
                    + since
                    + " to step "
                    + decided
                    + (waited > 0 ? " (" + waited + " points)" : ""));
      }
      default -> null;
    };
  }

  /**
   * The step {@code window} points before {@code decided}, on a curve drawn with {@code steps}
   * spread over the verdict's {@link Verdict#points()} points.
   */
  static long startOf(Verdict v, long[] steps, long decided, long window) {
    int end = Arrays.binarySearch(steps, decided);
    if (end < 0) {
      end = Math.min(steps.length - 1, -end - 1);
    }
    double pointsPerDrawn = Math.max(1.0, (v.points() - 1.0) / (steps.length - 1));
    int start = (int) Math.max(0, end - Math.round((window - 1) / pointsPerDrawn));
    return steps[start];
  }

  private static long count(@Nullable Object value) {
    return value instanceof Number n ? n.longValue() : -1;
  }
}
