package dev.plateau.server;

import dev.plateau.daemon.SeriesView;
import dev.plateau.daemon.Watcher;
import dev.plateau.detect.Verdict;
import dev.plateau.format.ForecastText;
import dev.plateau.verdict.ExperimentVerdict;
import java.util.List;
import java.util.Locale;

/**
 * The status page: every experiment with its status, and for each watched series a chart of its
 * curve (SVG drawn here, no scripts, no external resources) marking the best step (the checkpoint
 * to keep) and the step at which the verdict was decided. It reloads itself every few seconds.
 * Every run and tag name is escaped, characters that cannot be seen shown by their code ({@link
 * Html}).
 */
final class StatusPage {
  static final int WIDTH = 360;
  static final int HEIGHT = 90;

  /** Experiments shown per logdir, and series per experiment: the page stays small. */
  static final int MAX_EXPERIMENTS = 200;

  static final int MAX_SERIES = 50;

  private StatusPage() {}

  static String render(List<Watcher> watchers, int refreshSeconds) {
    StringBuilder out = new StringBuilder(8192);
    out.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta http-equiv=\"refresh\" content=\"")
        .append(refreshSeconds)
        .append("\">")
        .append("<title>Plateau</title><style>")
        .append("body{font:14px system-ui,sans-serif;margin:24px;color:#222}")
        .append("h1{font-size:20px}h2{font-size:16px;margin:20px 0 6px}")
        .append(
            ".status{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-size:12px}")
        .append(
            ".training{background:#607d8b}.converged{background:#2e7d32}.target_reached{background:#1565c0}")
        .append(
            ".diverged{background:#c62828}.overfitting{background:#ef6c00}.stalled{background:#6d4c41}")
        .append(".not_learning{background:#9e9d24}")
        .append(
            "table{border-collapse:collapse}td,th{padding:4px 10px;text-align:left;vertical-align:middle}")
        .append(
            "th{font-weight:600;border-bottom:1px solid #ccc}.reason{color:#555;font-size:12px}")
        .append(Html.HIDDEN_STYLE)
        .append("</style></head><body><h1>Plateau</h1>");
    boolean any = false;
    for (Watcher watcher : watchers) {
      out.append("<p class=\"reason\">logdir ")
          .append(Html.text(watcher.logdir().toString()))
          .append("</p>");
      List<ExperimentVerdict> published = watcher.published();
      for (ExperimentVerdict run :
          published.subList(0, Math.min(published.size(), MAX_EXPERIMENTS))) {
        any = true;
        out.append("<section class=\"run\" data-run=\"")
            .append(Html.attribute(run.experiment()))
            .append("\">")
            .append("<h2>")
            .append(Html.text(run.experiment()))
            .append(' ')
            .append(badge(run.status().jsonName()))
            .append("</h2>")
            .append("<div class=\"reason\">")
            .append(Html.text(run.reason()))
            .append("</div>")
            .append("<table><tr><th>run</th><th>tag</th><th>status</th><th>best step</th>")
            .append(
                "<th>best value</th><th>last step</th><th>forecast (90%)</th><th>curve</th></tr>");
        List<Verdict> series = run.series();
        for (Verdict v : series.subList(0, Math.min(series.size(), MAX_SERIES))) {
          out.append("<tr class=\"series\"><td>")
              .append(Html.text(v.run()))
              .append("</td><td>")
              .append(Html.text(v.tag()))
              .append("</td><td>")
              .append(badge(v.status().jsonName()))
              .append("</td><td class=\"best-step\">")
              .append(v.bestStep() == null ? "" : v.bestStep())
              .append("</td><td>")
              .append(v.bestStep() == null ? "" : number(v.bestValue()))
              .append("</td><td>")
              .append(v.lastStep())
              .append("</td><td class=\"forecast\">")
              .append(Html.text(ForecastText.of(v.evidence())))
              .append("</td><td>")
              .append(chart(watcher.view(v.run(), v.tag()), v))
              .append("</td></tr>");
        }
        out.append("</table>");
        if (series.size() > MAX_SERIES) {
          out.append("<p class=\"reason more\">and ")
              .append(series.size() - MAX_SERIES)
              .append(" more series, in /api/runs</p>");
        }
        out.append("</section>");
      }
      if (published.size() > MAX_EXPERIMENTS) {
        int[] byStatus = new int[dev.plateau.detect.Status.values().length];
        for (ExperimentVerdict run : published.subList(MAX_EXPERIMENTS, published.size())) {
          byStatus[run.status().ordinal()]++;
        }
        out.append("<p class=\"reason more\">and ")
            .append(published.size() - MAX_EXPERIMENTS)
            .append(" more experiments (");
        String sep = "";
        for (dev.plateau.detect.Status status : dev.plateau.detect.Status.values()) {
          if (byStatus[status.ordinal()] > 0) {
            out.append(sep)
                .append(byStatus[status.ordinal()])
                .append(' ')
                .append(status.jsonName());
            sep = ", ";
          }
        }
        out.append("): all are in <a href=\"/api/runs?offset=")
            .append(MAX_EXPERIMENTS)
            .append("\">/api/runs</a></p>");
      }
    }
    if (!any) {
      out.append(
          "<p>No watched series yet. Runs appear here as soon as their event files hold a"
              + " quality metric (loss, accuracy ...).</p>");
    }
    return out.append("</body></html>").toString();
  }

  private static String badge(String status) {
    return "<span class=\"status " + status + "\">" + status + "</span>";
  }

  static String chart(SeriesView view, Verdict v) {
    if (view == null || view.steps().length == 0) {
      return "";
    }
    long first = view.steps()[0];
    long last = view.steps()[view.steps().length - 1];
    double low = Double.POSITIVE_INFINITY;
    double high = Double.NEGATIVE_INFINITY;
    for (double value : view.values()) {
      if (Double.isFinite(value)) {
        low = Math.min(low, value);
        high = Math.max(high, value);
      }
    }
    StringBuilder svg = new StringBuilder(4096);
    svg.append("<svg class=\"chart\" width=\"")
        .append(WIDTH)
        .append("\" height=\"")
        .append(HEIGHT)
        .append("\" viewBox=\"0 0 ")
        .append(WIDTH)
        .append(' ')
        .append(HEIGHT)
        .append("\" role=\"img\" aria-label=\"")
        .append(Html.attribute(v.tag()))
        .append("\">");
    if (!Double.isFinite(low)) {
      return svg.append("</svg>").toString();
    }
    double span = Math.max(high - low, 1e-12);
    svg.append("<polyline fill=\"none\" stroke=\"#37474f\" stroke-width=\"1.2\" points=\"");
    for (int i = 0; i < view.steps().length; i++) {
      double value = view.values()[i];
      if (Double.isFinite(value)) {
        svg.append(x(view.steps()[i], first, last))
            .append(',')
            .append(y(value, low, span))
            .append(' ');
      }
    }
    svg.append("\"/>");
    if (v.decidedAtStep() != null && v.status().isStop()) {
      String xd = x(v.decidedAtStep(), first, last);
      svg.append("<line class=\"decided\" x1=\"")
          .append(xd)
          .append("\" x2=\"")
          .append(xd)
          .append("\" y1=\"0\" y2=\"")
          .append(HEIGHT)
          .append("\" stroke=\"#c62828\" stroke-dasharray=\"3,3\"><title>decided at step ")
          .append(v.decidedAtStep())
          .append("</title></line>");
    }
    if (v.bestStep() != null && Double.isFinite(v.bestValue())) {
      svg.append("<circle class=\"best\" cx=\"")
          .append(x(v.bestStep(), first, last))
          .append("\" cy=\"")
          .append(y(v.bestValue(), low, span))
          .append("\" r=\"3.5\" fill=\"#2e7d32\"><title>best step ")
          .append(v.bestStep())
          .append("</title></circle>");
    }
    return svg.append("</svg>").toString();
  }

  private static String x(long step, long first, long last) {
    double share = last == first ? 1 : (double) (step - first) / (last - first);
    return String.format(Locale.ROOT, "%.1f", 4 + share * (WIDTH - 8));
  }

  private static String y(double value, double low, double span) {
    return String.format(Locale.ROOT, "%.1f", 4 + (1 - (value - low) / span) * (HEIGHT - 8));
  }

  private static String number(double value) {
    return String.format(Locale.ROOT, "%.6g", value);
  }
}
