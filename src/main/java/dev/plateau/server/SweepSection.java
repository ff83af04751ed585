package dev.plateau.server;

import dev.plateau.verdict.SweepRanks;
import java.util.List;

/**
 * The status page's sweeps: each sweep's runs ranked on a tag, best first, the leader marked, runs
 * lagging behind their sweep shown with their badge. Bounded: at most {@value #MAX_SWEEPS} sweeps
 * and {@value #MAX_RUNS} runs of each (the rest counted), so a logdir of thousands of runs keeps a
 * page of a few hundred rows.
 */
final class SweepSection {
  static final int MAX_SWEEPS = 10;
  static final int MAX_RUNS = 15;

  private SweepSection() {}

  /** Appends the section; nothing when there is no sweep of two runs or more. */
  static void render(StringBuilder out, List<SweepRanks> sweeps) {
    if (sweeps.isEmpty()) {
      return;
    }
    out.append("<section class=\"sweeps\"><h2>Sweeps</h2>");
    for (int s = 0; s < Math.min(MAX_SWEEPS, sweeps.size()); s++) {
      SweepRanks sweep = sweeps.get(s);
      out.append("<div class=\"scroll\"><table class=\"sweep\" data-sweep=\"")
          .append(Html.attribute(sweep.sweep()))
          .append("\" data-tag=\"")
          .append(Html.attribute(sweep.tag()))
          .append("\"><caption>")
          .append(Html.text(sweep.sweep()))
          .append(" · ")
          .append(Html.text(sweep.tag()))
          .append(" · ")
          .append(sweep.runs().size())
          .append(" runs</caption><thead><tr><th>#</th><th>experiment</th><th>status</th>")
          .append("<th>best</th><th>at step</th><th>last step</th></tr></thead><tbody>");
      List<SweepRanks.Ranked> runs = sweep.runs();
      for (int i = 0; i < Math.min(MAX_RUNS, runs.size()); i++) {
        SweepRanks.Ranked r = runs.get(i);
        out.append("<tr class=\"ranked")
            .append(i == 0 ? " leader" : "")
            .append("\" data-run=\"")
            .append(Html.attribute(r.experiment()))
            .append("\"><td>")
            .append(i + 1)
            .append("</td><td class=\"name\">")
            .append(Html.text(r.experiment()))
            .append(i == 0 ? " <b class=\"leader-mark\">leader</b>" : "")
            .append("</td><td>");
        PageLayout.badge(out, r.status().jsonName());
        out.append("</td><td>")
            .append(Html.text(HumanNumber.of(r.bestValue())))
            .append("</td><td>")
            .append(r.bestStep())
            .append("</td><td>")
            .append(r.lastStep())
            .append("</td></tr>");
      }
      out.append("</tbody></table>");
      if (runs.size() > MAX_RUNS) {
        out.append("<p class=\"muted\">and ").append(runs.size() - MAX_RUNS).append(" more</p>");
      }
      out.append("</div>");
    }
    if (sweeps.size() > MAX_SWEEPS) {
      out.append("<p class=\"muted\">and ")
          .append(sweeps.size() - MAX_SWEEPS)
          .append(" more sweeps</p>");
    }
    out.append("</section>");
  }
}
