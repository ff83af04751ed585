package dev.plateau.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plateau.config.PlateauConfig;
import dev.plateau.detect.Status;
import dev.plateau.detect.StopPolicy;
import dev.plateau.detect.StoppingSavings;
import dev.plateau.detect.Verdict;
import dev.plateau.format.TextTable;
import dev.plateau.format.VerdictJson;
import dev.plateau.series.SeriesKey;
import dev.plateau.verdict.ExperimentVerdict;
import dev.plateau.verdict.Experiments;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code plateau replay}: backtests the detectors on finished (or running) logdirs. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Replays every watched series point by point, as if live, and prints for each the first "
          + "verdict that stops the job (converged, target_reached, diverged, overfitting; "
          + "not_learning with detection.not_learning: stop; lagging with detection.lagging: "
          + "stop): when it would have stopped, and "
          + "which step to keep. The table also shows how many steps each series and run would "
          + "have saved.",
      "",
      "JSON: an array with one object per watched series: run, tag, mode, status, detector, "
          + "decided_at_step, best_step, best_value, last_step, points, reason, evidence, "
          + "final_status, first_not_learning_step, first_stalled_step, first_lagging_step "
          + "(informational statuses, listed apart; lagging: the run behind its sweep).",
      "Exit codes: 0 done; 2 error (missing logdir, invalid config)."
    })
final class ReplayCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin JudgingOptions options;

  @Option(
      names = "--now",
      paramLabel = "UNIX_TIME",
      description =
          "Judge the final status as of this Unix time (default: now), for stalled series,"
              + " as check does.")
  @Nullable Double now;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    PlateauConfig loaded = options.prepare(err, "replay");
    if (loaded == null) {
      return 2;
    }
    // the final status as check judges it now: a run quiet for longer than stalled.after is stalled
    double time = now != null ? now : Clock.systemUTC().millis() / 1000.0;
    Backtest.Judged result =
        StreamedBacktest.run(
            options.logdir, loaded.detection(), time, StreamedBacktest.cores(), err, "replay");
    if (options.json()) {
      out.println(json(result));
    } else {
      out.print(table(result, loaded.detection().stops()));
    }
    out.flush();
    return 0;
  }

  /** Replay's JSON: one object per watched series ({@link #replayed}). */
  static String json(Backtest.Judged result) throws IOException {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ArrayNode array = mapper.createArrayNode();
    for (Verdict last : result.series()) {
      SeriesKey key = new SeriesKey(last.run(), last.tag());
      array.add(
          replayed(
              last,
              result.firstSeriesStop().get(key),
              result.firstSeriesNotice().getOrDefault(key, Map.of())));
    }
    return mapper.writeValueAsString(array);
  }

  /**
   * The replay object of a series: its first verdict that stops the job (a status that writes a
   * flag file), or its last one; informational statuses (not learning, stalled, lagging) that came
   * first are listed apart, as {@code first_not_learning_step}, {@code first_stalled_step} and
   * {@code first_lagging_step}.
   */
  static ObjectNode replayed(Verdict last, Verdict first, Map<Status, Verdict> notices) {
    Verdict shown = first != null ? first : last;
    ObjectNode o = VerdictJson.of(shown);
    if (first == null) {
      o.put("status", Status.TRAINING.jsonName());
      o.putNull("decided_at_step");
    }
    o.put("last_step", last.lastStep());
    o.put("points", last.points());
    o.put("final_status", last.status().jsonName());
    for (Status informational : List.of(Status.NOT_LEARNING, Status.STALLED, Status.LAGGING)) {
      Verdict notice = notices.get(informational);
      String field = "first_" + informational.jsonName() + "_step";
      if (notice == null || notice.decidedAtStep() == null) {
        o.putNull(field);
      } else {
        o.put(field, notice.decidedAtStep());
      }
    }
    return o;
  }

  private static String table(Backtest.Judged result, StopPolicy stops) {
    TextTable series =
        new TextTable(
            new String[] {"RUN", "TAG", "STATUS", "DETECTOR", "DECIDED", "BEST", "LAST", "SAVED"},
            4,
            5,
            6,
            7);
    long savedTotal = 0;
    long stepsTotal = 0;
    for (Verdict last : result.series()) {
      Verdict first = result.firstSeriesStop().get(new SeriesKey(last.run(), last.tag()));
      boolean stopped = first != null; // only stops are recorded as the first
      long saved = stopped ? last.lastStep() - first.decidedAtStep() : 0;
      savedTotal += saved;
      stepsTotal += Math.max(0, last.lastStep());
      series.add(
          last.run(),
          last.tag(),
          first == null ? "training" : first.status().jsonName(),
          first == null ? "" : first.detector(),
          first == null ? "" : String.valueOf(first.decidedAtStep()),
          first == null
              ? (last.bestStep() == null ? "" : String.valueOf(last.bestStep()))
              : String.valueOf(first.bestStep()),
          String.valueOf(last.lastStep()),
          stopped ? saved + share(saved, last.lastStep()) : "");
    }
    TextTable runs =
        new TextTable(new String[] {"RUN", "STOPPED AS", "AT STEP", "LAST", "SAVED"}, 2, 3, 4);
    Map<String, Long> lastStepOfRun = new TreeMap<>();
    for (Verdict v : result.series()) {
      lastStepOfRun.merge(Experiments.of(v.run()), v.lastStep(), Math::max);
    }
    for (Map.Entry<String, Long> e : lastStepOfRun.entrySet()) {
      ExperimentVerdict stop = result.firstRunStop().get(e.getKey());
      Long at = stop == null ? null : firstDecided(stop, stops);
      long saved = at == null ? 0 : e.getValue() - at;
      runs.add(
          e.getKey(),
          stop == null ? "(still training)" : stop.status().jsonName(),
          at == null ? "" : String.valueOf(at),
          String.valueOf(e.getValue()),
          at == null ? "" : saved + share(saved, e.getValue()));
    }
    return series.render()
        + "\n"
        + runs.render()
        + String.format(
            Locale.ROOT,
            "\n%d watched series; %d of %d steps would have been saved (%.1f%%)%n",
            series.rows(),
            savedTotal,
            stepsTotal,
            stepsTotal == 0 ? 0.0 : 100.0 * savedTotal / stepsTotal)
        + "\n"
        + savings(result, stops);
  }

  /**
   * What stopping saved, per experiment and in total ({@link StoppingSavings}): steps and hours
   * trained after the best step, and for experiments that would have stopped, the steps and hours
   * the stop spared up to the run's max_steps or forecast end.
   */
  static String savings(Backtest.Judged result, StopPolicy stops) {
    TextTable table =
        new TextTable(
            new String[] {
              "RUN", "BEST", "LAST", "AFTER BEST", "HOURS", "STOPPED AT", "SPARED", "HOURS SPARED"
            },
            1,
            2,
            3,
            4,
            5,
            6,
            7);
    StoppingSavings total = StoppingSavings.NONE;
    for (ExperimentVerdict e : result.experiments()) {
      ExperimentVerdict stop = result.firstRunStop().get(e.experiment());
      Long at = stop == null ? null : StoppingSavings.stoppedAt(stop.deciding(), stops);
      List<Verdict> deciding = e.deciding().isEmpty() ? e.series() : e.deciding();
      StoppingSavings s = StoppingSavings.of(deciding, at);
      total = total.plus(s);
      Verdict best = null;
      for (Verdict v : deciding) {
        if (v.bestStep() != null && (best == null || v.bestStep() > best.bestStep())) {
          best = v;
        }
      }
      table.add(
          e.experiment(),
          best == null ? "" : String.valueOf(best.bestStep()),
          best == null ? "" : String.valueOf(best.lastStep()),
          String.valueOf(s.stepsAfterBest()),
          hours(s.hoursAfterBest()),
          at == null ? "" : String.valueOf(at),
          at == null ? "" : String.valueOf(s.stepsSpared()),
          at == null ? "" : hours(s.hoursSpared()));
    }
    return "What stopping saved:\n"
        + table.render()
        + String.format(
            Locale.ROOT,
            "%nin total: %d steps (%s h) trained after the best step; %d of %d experiments"
                + " stopped, sparing %d steps (%s h)%n",
            total.stepsAfterBest(),
            hours(total.hoursAfterBest()),
            total.stopped(),
            total.experiments(),
            total.stepsSpared(),
            hours(total.hoursSpared()));
  }

  private static String hours(double hours) {
    return Double.isFinite(hours) ? String.format(Locale.ROOT, "%.2f", hours) : "?";
  }

  private static Long firstDecided(ExperimentVerdict stop, StopPolicy stops) {
    Long latest = null;
    for (Verdict v : stop.deciding()) {
      if (stops.stops(v.status()) && v.decidedAtStep() != null) {
        latest = latest == null ? v.decidedAtStep() : Math.max(latest, v.decidedAtStep());
      }
    }
    return latest;
  }

  private static String share(long saved, long of) {
    return of <= 0 ? "" : String.format(Locale.ROOT, " (%.0f%%)", 100.0 * saved / of);
  }
}
