package dev.plateau.cli;

import dev.plateau.config.DetectionConfig;
import dev.plateau.decode.DecodeLimits;
import dev.plateau.detect.Status;
import dev.plateau.detect.Verdict;
import dev.plateau.series.RunSeries;
import dev.plateau.series.ScalarPoint;
import dev.plateau.series.Series;
import dev.plateau.series.SeriesKey;
import dev.plateau.tail.TailListener;
import dev.plateau.tail.TailProblem;
import dev.plateau.verdict.ExperimentVerdict;
import dev.plateau.verdict.LogdirJudge;
import dev.plateau.verdict.VerdictListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * Reads a logdir once and replays its series into a {@link LogdirJudge} as if live: the kept series
 * (restart rule applied) of every run are merged into one stream ordered by the writers' wall time,
 * so that a validation series and its training twin arrive interleaved as they were written.
 * Records each series' and each experiment's first verdict other than training.
 */
final class Backtest {
  /** What a backtest found. */
  record Result(
      LogdirJudge judge,
      Map<SeriesKey, Verdict> firstSeriesStop,
      Map<SeriesKey, Map<Status, Verdict>> firstSeriesNotice,
      Map<String, ExperimentVerdict> firstRunStop,
      Map<String, RunSeries> runs,
      boolean readProblems) {}

  private Backtest() {}

  static Result run(Path logdir, DetectionConfig config, PrintWriter err, String command)
      throws IOException {
    Read read = read(logdir, err, command);
    return judge(read, config, err, command);
  }

  /**
   * A logdir's points, read once: every run's kept series (restart rule applied), and whether a
   * file had problems (said on {@code err}).
   */
  record Read(Map<String, RunSeries> runs, boolean problems) {}

  /** Reads every point of {@code logdir}. */
  static Read read(Path logdir, PrintWriter err, String command) throws IOException {
    Map<String, RunSeries> runs = new TreeMap<>();
    boolean[] problems = new boolean[1];
    LogdirLocation.of(logdir)
        .open(DecodeLimits.DEFAULTS)
        .poll(
            new TailListener() {
              @Override
              public void scalar(ScalarPoint point) {
                runs.computeIfAbsent(point.run(), RunSeries::new).add(point);
              }

              @Override
              public void sessionStart(String run, String file, long step) {
                runs.computeIfAbsent(run, RunSeries::new).sessionStart(step);
              }

              @Override
              public void problem(TailProblem problem) {
                err.println("plateau " + command + ": " + problem.message());
                problems[0] = true;
              }
            });
    return new Read(runs, problems[0]);
  }

  /**
   * Replays what was {@code read} into a new judge with {@code config}; the points read are not
   * changed, so one read serves several judges, on several threads at once.
   */
  static Result judge(Read read, DetectionConfig config, PrintWriter err, String command) {
    Map<String, RunSeries> runs = read.runs();
    Map<SeriesKey, Verdict> firstSeries = new LinkedHashMap<>();
    Map<SeriesKey, Map<Status, Verdict>> firstNotice = new LinkedHashMap<>();
    Map<String, ExperimentVerdict> firstRun = new LinkedHashMap<>();
    LogdirJudge judge =
        new LogdirJudge(
            config,
            new VerdictListener() {
              @Override
              public void seriesTransition(Verdict previous, Verdict current) {
                SeriesKey key = new SeriesKey(current.run(), current.tag());
                if (config.stops().stops(current.status())) {
                  firstSeries.putIfAbsent(key, current);
                }
                if (current.status() == Status.NOT_LEARNING || current.status() == Status.STALLED) {
                  firstNotice
                      .computeIfAbsent(key, k -> new EnumMap<>(Status.class))
                      .putIfAbsent(current.status(), current);
                }
              }

              @Override
              public void problem(String message) {
                err.println("plateau " + command + ": " + message);
              }

              @Override
              public void experimentTransition(
                  ExperimentVerdict previous, ExperimentVerdict current) {
                if (config.stops().stops(current.status())) {
                  firstRun.putIfAbsent(current.experiment(), current);
                }
                if (current.status() == Status.LAGGING) {
                  // Decided across the sweep, not by a series' detector: its deciding series are
                  // the lagging verdicts, a stop or a notice as configured.
                  for (Verdict v : current.deciding()) {
                    SeriesKey key = new SeriesKey(v.run(), v.tag());
                    if (config.stops().stops(Status.LAGGING)) {
                      firstSeries.putIfAbsent(key, v);
                    }
                    firstNotice
                        .computeIfAbsent(key, k -> new EnumMap<>(Status.class))
                        .putIfAbsent(Status.LAGGING, v);
                  }
                }
              }
            });
    feedInWallTimeOrder(runs, judge);
    return new Result(judge, firstSeries, firstNotice, firstRun, runs, read.problems());
  }

  /** A position in one series, ordered by the wall time of its next point. */
  private record Cursor(String run, String tag, Series series, int order, int[] index) {
    double wallTime() {
      return series.wallTime(index[0]);
    }
  }

  private static void feedInWallTimeOrder(Map<String, RunSeries> runs, LogdirJudge judge) {
    PriorityQueue<Cursor> queue =
        new PriorityQueue<>(
            (a, b) -> {
              int byTime = Double.compare(a.wallTime(), b.wallTime());
              return byTime != 0 ? byTime : Integer.compare(a.order(), b.order());
            });
    int order = 0;
    for (RunSeries run : runs.values()) {
      for (Map.Entry<String, Series> e : run.byTag().entrySet()) {
        if (!e.getValue().isEmpty()) {
          queue.add(new Cursor(run.run(), e.getKey(), e.getValue(), order++, new int[] {0}));
        }
      }
    }
    while (!queue.isEmpty()) {
      Cursor c = queue.poll();
      int i = c.index()[0];
      Series s = c.series();
      judge.observe(new ScalarPoint(c.run(), "", c.tag(), s.step(i), s.wallTime(i), s.value(i)));
      c.index()[0] = i + 1;
      if (i + 1 < s.size()) {
        queue.add(c);
      }
    }
  }
}
