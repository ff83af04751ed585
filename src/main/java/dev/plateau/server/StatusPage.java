package dev.plateau.server;

import dev.plateau.daemon.SeriesView;
import dev.plateau.daemon.Watcher;
import dev.plateau.detect.Status;
import dev.plateau.detect.Verdict;
import dev.plateau.format.SavingsText;
import dev.plateau.verdict.ExperimentSavings;
import dev.plateau.verdict.ExperimentVerdict;
import dev.plateau.verdict.SweepRanks;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The overview at {@code /}: how many experiments have each status, then the experiments, those
 * that need attention first (diverged, overfitting, not learning, stalled, newly converged, newest
 * first, converged, target reached, then training; by name within each), filtered by {@code
 * ?status=} and {@code ?q=} and {@value #PAGE_SIZE} to a page ({@code ?page=}), so a thousand
 * experiments stay a small page. Each links to its {@link ExperimentPage}, and to TensorBoard when
 * its URL is set. Every name is escaped ({@link Html}).
 */
final class StatusPage {
  static final int PAGE_SIZE = 50;

  /** Statuses in the order they need attention. */
  static final List<Status> ATTENTION =
      List.of(
          Status.DIVERGED,
          Status.OVERFITTING,
          Status.NOT_LEARNING,
          Status.LAGGING,
          Status.STALLED,
          Status.CONVERGED,
          Status.TARGET_REACHED,
          Status.TRAINING);

  /**
   * An experiment listed; {@code convergedAt}: when it converged as news within the last hour (on
   * the daemon's clock), else {@link Long#MIN_VALUE}.
   */
  private record Entry(int logdir, Watcher watcher, ExperimentVerdict verdict, long convergedAt) {
    boolean newlyConverged() {
      return convergedAt != Long.MIN_VALUE;
    }

    /** Its place in the attention order: newly converged between stalled and converged. */
    int rank() {
      int rank = 2 * ATTENTION.indexOf(verdict.status());
      return newlyConverged() ? rank - 1 : rank;
    }
  }

  private static Entry entry(int logdir, Watcher watcher, ExperimentVerdict v) {
    Long at = v.status() == Status.CONVERGED ? watcher.newlyConverged(v.experiment()) : null;
    return new Entry(logdir, watcher, v, at == null ? Long.MIN_VALUE : at);
  }

  private StatusPage() {}

  static String render(List<Watcher> watchers, PageQuery query, @Nullable TensorBoardLink tb) {
    List<Entry> all = new ArrayList<>();
    int[] counts = new int[Status.values().length];
    for (int i = 0; i < watchers.size(); i++) {
      for (ExperimentVerdict v : watchers.get(i).published()) {
        counts[v.status().ordinal()]++;
        if (query.matches(v.experiment(), v.status())) {
          all.add(entry(i, watchers.get(i), v));
        }
      }
    }
    all.sort(
        Comparator.comparingInt(Entry::rank)
            .thenComparing(Comparator.comparingLong(Entry::convergedAt).reversed())
            .thenComparing(e -> e.verdict().experiment())
            .thenComparingInt(Entry::logdir));
    int total = 0;
    for (int c : counts) {
      total += c;
    }
    int pages = Math.max(1, (all.size() + PAGE_SIZE - 1) / PAGE_SIZE);
    int page = Math.min(query.page(), pages);
    List<Entry> shown = all.subList((page - 1) * PAGE_SIZE, Math.min(all.size(), page * PAGE_SIZE));

    StringBuilder out = new StringBuilder(16384 + shown.size() * 1600);
    PageLayout.open(out);
    out.append("<main id=\"live\">");
    for (Watcher w : watchers) {
      out.append("<p class=\"muted\">logdir ")
          .append(Html.text(w.logdirName()))
          .append(" · <span class=\"saved\">")
          .append(
              Html.text(SavingsText.of(ExperimentSavings.total(w.published(), w.judge().stops()))))
          .append("</span></p>");
    }
    counts(out, query, counts, total);
    filterForm(out, query);
    if (total == 0) {
      out.append(
          "<p id=\"empty\">No watched series yet. Runs appear here as soon as their event files hold"
              + " a quality metric (loss, accuracy ...).</p>");
    } else {
      out.append("<p class=\"muted summary\">")
          .append(all.isEmpty() ? 0 : (page - 1) * PAGE_SIZE + 1)
          .append("–")
          .append((page - 1) * PAGE_SIZE + shown.size())
          .append(" of ")
          .append(all.size())
          .append(all.size() == total ? "" : " matching (of " + total + ")")
          .append("</p>");
      if (shown.isEmpty()) {
        out.append("<p id=\"none-match\">No experiment matches. <a href=\"/\">Show all</a></p>");
      } else {
        table(out, shown, tb);
      }
      pager(out, query, page, pages);
      for (Watcher w : watchers) {
        SweepSection.render(out, SweepRanks.of(w.published(), w.judge().sweepConfig()));
      }
    }
    out.append("</main>");
    PageLayout.close(out);
    return out.toString();
  }

  private static void counts(StringBuilder out, PageQuery query, int[] counts, int total) {
    out.append("<nav class=\"counts\"><a class=\"count all")
        .append(query.status() == null ? " current" : "")
        .append("\" href=\"")
        .append(Html.attribute(query.overviewQuery(null, 1)))
        .append("\">all <b>")
        .append(total)
        .append("</b></a>");
    for (Status s : ATTENTION) {
      out.append("<a class=\"count ")
          .append(s.jsonName())
          .append(query.status() == s ? " current" : "")
          .append(counts[s.ordinal()] == 0 ? " zero" : "")
          .append("\" data-status=\"")
          .append(s.jsonName())
          .append("\" href=\"")
          .append(Html.attribute(query.overviewQuery(s, 1)))
          .append("\">")
          .append(s.jsonName().replace('_', ' '))
          .append(" <b>")
          .append(counts[s.ordinal()])
          .append("</b></a>");
    }
    out.append("</nav>");
  }

  private static void filterForm(StringBuilder out, PageQuery query) {
    out.append("<form class=\"filter\" method=\"get\" action=\"/\"><select name=\"status\">")
        .append("<option value=\"\">any status</option>");
    for (Status s : ATTENTION) {
      out.append("<option value=\"")
          .append(s.jsonName())
          .append(query.status() == s ? "\" selected>" : "\">")
          .append(s.jsonName().replace('_', ' '))
          .append("</option>");
    }
    out.append("</select><input type=\"search\" name=\"q\" placeholder=\"name contains\" value=\"")
        .append(Html.attribute(query.q()))
        .append("\"><button type=\"submit\">Filter</button></form>");
  }

  private static void table(StringBuilder out, List<Entry> shown, @Nullable TensorBoardLink tb) {
    out.append("<div class=\"scroll\"><table class=\"runs\"><thead><tr><th>experiment</th>")
        .append("<th>status</th><th>curve</th><th>last step</th><th>best step</th><th>why</th>")
        .append(tb == null ? "" : "<th></th>")
        .append("</tr></thead><tbody>");
    for (Entry e : shown) {
      ExperimentVerdict v = e.verdict();
      Verdict deciding =
          !v.deciding().isEmpty()
              ? v.deciding().get(0)
              : v.series().isEmpty() ? null : v.series().get(0);
      long lastStep = -1;
      for (Verdict s : v.series()) {
        lastStep = Math.max(lastStep, s.lastStep());
      }
      out.append("<tr class=\"run\" data-run=\"")
          .append(Html.attribute(v.experiment()))
          .append("\" data-status=\"")
          .append(v.status().jsonName())
          .append(e.newlyConverged() ? "\" data-new=\"" + e.convergedAt() : "")
          .append("\"><td class=\"name\"><a href=\"")
          .append(Html.attribute(ExperimentPage.link(e.logdir(), v.experiment())))
          .append("\">")
          .append(Html.text(v.experiment()))
          .append("</a>");
      if (deciding != null) {
        out.append("<div class=\"muted series-name\">")
            .append(Html.text(deciding.run()))
            .append(" · ")
            .append(Html.text(deciding.tag()))
            .append("</div>");
      }
      out.append("</td><td>");
      PageLayout.badge(out, v.status().jsonName());
      if (e.newlyConverged()) {
        out.append(" <span class=\"new\" title=\"converged within the last hour\">new</span>");
      }
      out.append("</td><td class=\"spark-cell\">");
      SeriesView view = deciding == null ? null : e.watcher().view(deciding.run(), deciding.tag());
      if (view != null && view.steps().length > 0) {
        out.append(MetricChart.sparkline(view, 120, 28));
      }
      out.append("</td><td class=\"last-step\">")
          .append(lastStep < 0 ? "" : Long.toString(lastStep))
          .append("</td><td class=\"best-step\">")
          .append(deciding == null || deciding.bestStep() == null ? "" : deciding.bestStep())
          .append("</td><td class=\"reason\">")
          .append(Html.text(HumanNumber.inText(v.reason())))
          .append("</td>");
      if (tb != null) {
        out.append("<td><a class=\"tb\" rel=\"noreferrer\" href=\"")
            .append(Html.attribute(tb.toExperiment(v.experiment())))
            .append("\">TensorBoard</a></td>");
      }
      out.append("</tr>");
    }
    out.append("</tbody></table></div>");
  }

  private static void pager(StringBuilder out, PageQuery query, int page, int pages) {
    if (pages <= 1) {
      return;
    }
    out.append("<nav class=\"pager\">");
    if (page > 1) {
      out.append("<a rel=\"prev\" href=\"")
          .append(Html.attribute(query.overviewQuery(query.status(), page - 1)))
          .append("\">← previous</a> ");
    }
    out.append("<span>page ").append(page).append(" of ").append(pages).append("</span>");
    if (page < pages) {
      out.append(" <a rel=\"next\" href=\"")
          .append(Html.attribute(query.overviewQuery(query.status(), page + 1)))
          .append("\">next →</a>");
    }
    out.append("</nav>");
  }
}
