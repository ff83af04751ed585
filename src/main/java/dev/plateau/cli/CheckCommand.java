package dev.plateau.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plateau.config.PlateauConfig;
import dev.plateau.detect.Status;
import dev.plateau.detect.StopPolicy;
import dev.plateau.detect.Verdict;
import dev.plateau.format.ForecastText;
import dev.plateau.format.SavingsJson;
import dev.plateau.format.TextTable;
import dev.plateau.format.VerdictJson;
import dev.plateau.series.SeriesKey;
import dev.plateau.verdict.ExperimentSavings;
import dev.plateau.verdict.ExperimentVerdict;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code plateau check}: the current verdict of every watched series and run, once. */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Reads a logdir once and prints the current verdict of every watched series and run "
          + "(runs named train, validation, val, eval or test are grouped under their parent).",
      "",
      "Exit codes: 0 every watched run has converged, reached its target or is overfitting "
          + "(training can stop; also not learning with detection.not_learning: stop, lagging "
          + "behind its sweep with detection.lagging: stop); 1 some still train, stalled, are "
          + "not learning or lag behind their sweep, or nothing is watched; "
          + "3 some diverged; 2 error (missing logdir, invalid config)."
    })
final class CheckCommand implements Callable<Integer> {
  static final int EXIT_CONVERGED = 0;
  static final int EXIT_TRAINING = 1;
  static final int EXIT_ERROR = 2;
  static final int EXIT_DIVERGED = 3;

  @Spec CommandSpec spec;

  @Mixin JudgingOptions options;

  @Option(
      names = "--now",
      paramLabel = "SECONDS",
      description = "Judge as of this Unix time (default: now), for stalled series.")
  Double now;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    PlateauConfig loaded = options.prepare(err, "check");
    if (loaded == null) {
      return EXIT_ERROR;
    }
    double time = now != null ? now : Clock.systemUTC().millis() / 1000.0;
    Backtest.Judged result =
        StreamedBacktest.run(
            options.logdir, loaded.detection(), time, StreamedBacktest.cores(), err, "check");
    List<ExperimentVerdict> runs = result.experiments();
    if (options.json()) {
      out.println(json(runs, loaded.detection().stops()));
    } else {
      out.print(table(runs, result));
    }
    out.flush();
    if (runs.isEmpty()) {
      err.println(
          "plateau check: no watched series in "
              + options.logdir
              + " (no tag looks like a quality metric; add rules to watch tags)");
      return EXIT_TRAINING;
    }
    return exitCode(runs, loaded.detection().stops());
  }

  static int exitCode(List<ExperimentVerdict> runs, StopPolicy stops) {
    if (runs.stream().anyMatch(r -> r.status() == Status.DIVERGED)) {
      return EXIT_DIVERGED;
    }
    if (runs.stream().allMatch(r -> stops.stops(r.status()))) {
      return EXIT_CONVERGED;
    }
    return EXIT_TRAINING;
  }

  /** Check's JSON for {@code runs}. */
  static String json(List<ExperimentVerdict> runs, StopPolicy stops) throws IOException {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    ArrayNode array = root.putArray("runs");
    for (ExperimentVerdict run : runs) {
      ObjectNode r = array.addObject();
      r.put("run", run.experiment());
      r.put("status", run.status().jsonName());
      r.put("reason", run.reason());
      ArrayNode series = r.putArray("series");
      for (Verdict v : run.series()) {
        series.add(VerdictJson.of(v));
      }
      r.set(SavingsJson.FIELD, SavingsJson.of(ExperimentSavings.of(run, stops)));
    }
    root.set(SavingsJson.FIELD, SavingsJson.of(ExperimentSavings.total(runs, stops)));
    root.put("exit_code", runs.isEmpty() ? EXIT_TRAINING : exitCode(runs, stops));
    return mapper.writeValueAsString(root);
  }

  private static String table(List<ExperimentVerdict> runs, Backtest.Judged result) {
    TextTable runTable = new TextTable(new String[] {"RUN", "STATUS", "REASON"});
    TextTable seriesTable =
        new TextTable(
            new String[] {
              "RUN", "TAG", "MODE", "STATUS", "BEST STEP", "BEST VALUE", "LAST", "FORECAST", "CURVE"
            },
            4,
            5,
            6);
    for (ExperimentVerdict run : runs) {
      runTable.add(run.experiment(), run.status().jsonName(), run.reason());
      for (Verdict v : run.series()) {
        seriesTable.add(
            v.run(),
            v.tag(),
            v.mode().jsonName(),
            v.status().jsonName(),
            v.bestStep() == null ? "" : String.valueOf(v.bestStep()),
            v.bestStep() == null ? "" : String.format("%.6g", v.bestValue()),
            String.valueOf(v.lastStep()),
            ForecastText.of(v.evidence()),
            sparkline(result, v));
      }
    }
    return runTable.render() + "\n" + seriesTable.render();
  }

  private static String sparkline(Backtest.Judged result, Verdict v) {
    return result.sparklines().getOrDefault(new SeriesKey(v.run(), v.tag()), "");
  }
}
