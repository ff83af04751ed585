package dev.plateau.server;

import dev.plateau.daemon.SeriesView;
import dev.plateau.daemon.Watcher;
import dev.plateau.detect.Verdict;
import dev.plateau.format.ForecastText;
import dev.plateau.state.Delivery;
import dev.plateau.verdict.ExperimentVerdict;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One experiment at {@code /experiment?logdir=N&name=NAME}: its status and the reason in words, its
 * flag file, a link to TensorBoard when set, and one {@link MetricChart} per metric with the
 * experiment's series of that metric overlaid (a tag in its training and validation runs, or {@code
 * loss} and {@code val_loss} of one run), each series' best step and decided step marked.
 */
final class ExperimentPage {
  /** Metrics charted per experiment: the page stays small. */
  static final int MAX_METRICS = 24;

  /** Deliveries shown: the newest. */
  static final int MAX_DELIVERIES = 10;

  private ExperimentPage() {}

  /** The page's path and query for an experiment (not escaped for HTML). */
  static String link(int logdir, String experiment) {
    return "/experiment?logdir=" + logdir + "&name=" + PageQuery.encode(experiment);
  }

  /** The page, or null when no such experiment is published. */
  static @Nullable String render(
      List<Watcher> watchers,
      PageQuery query,
      @Nullable TensorBoardLink tb,
      @Nullable List<Delivery> deliveries) {
    if (query.logdir() < 0 || query.logdir() >= watchers.size()) {
      return null;
    }
    Watcher watcher = watchers.get(query.logdir());
    ExperimentVerdict verdict = null;
    for (ExperimentVerdict v : watcher.published()) {
      if (v.experiment().equals(query.name())) {
        verdict = v;
        break;
      }
    }
    if (verdict == null) {
      return null;
    }
    StringBuilder out = new StringBuilder(32768);
    PageLayout.open(out);
    out.append("<main id=\"live\"><section class=\"experiment\" data-run=\"")
        .append(Html.attribute(verdict.experiment()))
        .append("\"><h1>")
        .append(Html.text(verdict.experiment()))
        .append(' ');
    PageLayout.badge(out, verdict.status().jsonName());
    out.append("</h1><p class=\"reason\">")
        .append(Html.text(HumanNumber.inText(verdict.reason())))
        .append("</p><dl class=\"facts\"><dt>logdir</dt><dd>")
        .append(Html.text(watcher.logdirName()))
        .append("</dd>");
    String flag = watcher.flagPath(verdict.experiment(), verdict.status());
    out.append("<dt>flag file</dt><dd class=\"flag\">")
        .append(flag == null ? "none (no flag for this status, or flags are off)" : Html.text(flag))
        .append("</dd>");
    if (tb != null) {
      out.append("<dt>TensorBoard</dt><dd><a class=\"tb\" rel=\"noreferrer\" href=\"")
          .append(Html.attribute(tb.toExperiment(verdict.experiment())))
          .append("\">open the runs</a></dd>");
    }
    out.append("</dl>");
    deliveries(out, deliveries);
    Map<String, List<Verdict>> metrics = byMetric(verdict.series());
    int shown = 0;
    for (Map.Entry<String, List<Verdict>> m : metrics.entrySet()) {
      if (shown++ == MAX_METRICS) {
        out.append("<p class=\"muted\">and ")
            .append(metrics.size() - MAX_METRICS)
            .append(" more metrics, in /api/runs</p>");
        break;
      }
      metric(out, watcher, verdict, m.getKey(), m.getValue());
    }
    out.append("</section></main>");
    PageLayout.close(out);
    return out.toString();
  }

  private static void deliveries(StringBuilder out, @Nullable List<Delivery> deliveries) {
    if (deliveries == null) {
      return;
    }
    if (deliveries.isEmpty()) {
      out.append("<p class=\"muted deliveries\">No alert sent for this experiment yet.</p>");
      return;
    }
    out.append("<div class=\"scroll\"><table class=\"deliveries\"><thead><tr><th>alert</th>")
        .append("<th>sink</th><th>delivery</th><th>attempts</th><th>recorded (UTC)</th>")
        .append("<th>last error</th></tr></thead><tbody>");
    for (Delivery d : deliveries) {
      out.append("<tr class=\"delivery ")
          .append(Html.attribute(d.state()))
          .append("\"><td>")
          .append(Html.text(d.status()))
          .append("</td><td>")
          .append(Html.text(d.sink()))
          .append("</td><td>")
          .append(Html.text(d.state()))
          .append("</td><td>")
          .append(d.attempts())
          .append("</td><td>")
          .append(Instant.ofEpochMilli(d.createdAtMillis()).truncatedTo(ChronoUnit.SECONDS))
          .append("</td><td class=\"reason\">")
          .append(d.lastError() == null ? "" : Html.text(d.lastError()))
          .append("</td></tr>");
    }
    out.append("</tbody></table></div>");
  }

  /**
   * The series grouped by metric: the tag, with a {@code val_} prefix taken off when the experiment
   * also has the tag without it.
   */
  static Map<String, List<Verdict>> byMetric(List<Verdict> series) {
    Set<String> tags = new HashSet<>();
    for (Verdict v : series) {
      tags.add(v.tag());
    }
    Map<String, List<Verdict>> out = new LinkedHashMap<>();
    for (Verdict v : series) {
      String tag = v.tag();
      String metric =
          tag.startsWith("val_") && tags.contains(tag.substring(4)) ? tag.substring(4) : tag;
      out.computeIfAbsent(metric, k -> new ArrayList<>()).add(v);
    }
    return out;
  }

  private static void metric(
      StringBuilder out,
      Watcher watcher,
      ExperimentVerdict experimentVerdict,
      String metric,
      List<Verdict> series) {
    String experiment = experimentVerdict.experiment();
    List<MetricChart.Line> lines = new ArrayList<>();
    List<MetricChart.Marker> markers = new ArrayList<>();
    List<MetricChart.Forecast> forecasts = new ArrayList<>();
    List<MetricChart.Band> bands = new ArrayList<>();
    Set<Long> decided = new HashSet<>();
    List<Verdict> charted = new ArrayList<>();
    for (Verdict v : series) {
      SeriesView view = watcher.view(v.run(), v.tag());
      if (view == null || view.steps().length == 0) {
        continue;
      }
      int index = lines.size();
      lines.add(new MetricChart.Line(label(experiment, v), view));
      charted.add(v);
      MetricChart.Forecast forecast = forecastOf(v.evidence(), index);
      if (forecast != null) {
        forecasts.add(forecast);
      }
      if (v.bestStep() != null && Double.isFinite(v.bestValue())) {
        markers.add(
            new MetricChart.Marker(
                MetricChart.Marker.Kind.BEST, v.bestStep(), v.bestValue(), index));
      }
      // the step at which the experiment's verdict was decided: its deciding series' own
      if (v.decidedAtStep() != null
          && v.status().isStop()
          && experimentVerdict.deciding().contains(v)
          && decided.add(v.decidedAtStep())) {
        markers.add(
            new MetricChart.Marker(
                MetricChart.Marker.Kind.DECIDED, v.decidedAtStep(), Double.NaN, index));
        MetricChart.Band band = EvidenceBands.of(v, view);
        if (band != null) {
          bands.add(band);
        }
      }
    }
    out.append("<figure class=\"metric\" data-metric=\"")
        .append(Html.attribute(metric))
        .append("\"><figcaption><b>")
        .append(Html.text(metric))
        .append("</b>");
    for (int i = 0; i < charted.size(); i++) {
      out.append(" <span class=\"key s")
          .append(i % 6)
          .append("\">")
          .append(Html.text(lines.get(i).label()))
          .append("</span>");
    }
    out.append("</figcaption>");
    if (!lines.isEmpty()) {
      out.append(MetricChart.svg(metric, lines, markers, forecasts, bands));
    } else {
      out.append(
          "<p class=\"muted\">no curve to draw: none in memory and none saved in the state (an"
              + " experiment parked before this version, or whose curve could not be saved, is"
              + " charted again from its next point)</p>");
    }
    out.append("<div class=\"scroll\"><table class=\"series\"><thead><tr><th>run</th><th>tag</th>")
        .append("<th>status</th><th>best step</th><th>best value</th><th>last step</th>")
        .append("<th>forecast (90%)</th></tr></thead><tbody>");
    for (Verdict v : series) {
      out.append("<tr class=\"series\"><td>")
          .append(Html.text(v.run()))
          .append("</td><td>")
          .append(Html.text(v.tag()))
          .append("</td><td>");
      PageLayout.badge(out, v.status().jsonName());
      out.append("</td><td class=\"best-step\">")
          .append(v.bestStep() == null ? "" : v.bestStep())
          .append("</td><td>")
          .append(v.bestStep() == null ? "" : HumanNumber.of(v.bestValue()))
          .append("</td><td class=\"last-step\">")
          .append(v.lastStep())
          .append("</td><td class=\"forecast\">")
          .append(Html.text(HumanNumber.inText(ForecastText.of(v.evidence()))))
          .append("</td></tr><tr class=\"why\"><td colspan=\"7\" class=\"reason\">")
          .append(Html.text(HumanNumber.inText(v.reason())))
          .append("</td></tr>");
    }
    out.append("</tbody></table></div></figure>");
  }

  /** The forecast in a verdict's evidence, when it has one with finite numbers. */
  static MetricChart.@Nullable Forecast forecastOf(Map<String, Object> evidence, int line) {
    if (!(evidence.get("forecast") instanceof Map<?, ?> f)
        || !(f.get("value") instanceof Number value)
        || !(f.get("lower") instanceof Number lower)
        || !(f.get("upper") instanceof Number upper)
        || !(f.get("step") instanceof Number step)
        || !Double.isFinite(value.doubleValue())
        || !Double.isFinite(lower.doubleValue())
        || !Double.isFinite(upper.doubleValue())) {
      return null;
    }
    return new MetricChart.Forecast(
        step.longValue(), value.doubleValue(), lower.doubleValue(), upper.doubleValue(), line);
  }

  private static String label(String experiment, Verdict v) {
    String run = v.run();
    String rel = run.startsWith(experiment + "/") ? run.substring(experiment.length() + 1) : run;
    return rel.isEmpty() || run.equals(experiment) ? v.tag() : rel + " · " + v.tag();
  }
}
