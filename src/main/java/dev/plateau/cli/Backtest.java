package dev.plateau.cli;

import dev.plateau.config.DetectionConfig;
import dev.plateau.decode.DecodeLimits;
import dev.plateau.detect.Status;
import dev.plateau.detect.Verdict;
import dev.plateau.format.Sparkline;
import dev.plateau.series.RunSeries;
import dev.plateau.series.ScalarPoint;
import dev.plateau.series.Series;
import dev.plateau.series.SeriesKey;
import dev.plateau.tail.TailListener;
import dev.plateau.tail.TailProblem;
import dev.plateau.verdict.ExperimentVerdict;
import dev.plateau.verdict.LogdirJudge;
import dev.plateau.verdict.SweepOverlay;
import dev.plateau.verdict.SweepReplay;
import dev.plateau.verdict.VerdictListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

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

  /**
   * What check and replay print of a logdir, judged as of one time: the current verdict of every
   * watched series (in the order their first points were written) and of every experiment (by
   * name), each series' and experiment's first verdict that stops the job, and a sparkline per
   * watched series. Holds no points.
   */
  record Judged(
      List<Verdict> series,
      List<ExperimentVerdict> experiments,
      Map<SeriesKey, Verdict> firstSeriesStop,
      Map<SeriesKey, Map<Status, Verdict>> firstSeriesNotice,
      Map<String, ExperimentVerdict> firstRunStop,
      Map<SeriesKey, String> sparklines,
      boolean readProblems) {}

  /** Width of the sparkline of a series in check's table. */
  static final int SPARKLINE_WIDTH = 24;

  /**
   * The verdicts of this backtest at {@code nowSeconds} (time rules such as stalled judged then;
   * their transitions are recorded as any other).
   */
  static Judged judgedAt(Result result, double nowSeconds) {
    result.judge().atTime(nowSeconds);
    return new Judged(
        result.judge().seriesVerdicts(),
        result.judge().experimentVerdicts(),
        result.firstSeriesStop(),
        result.firstSeriesNotice(),
        result.firstRunStop(),
        sparklines(result),
        result.readProblems());
  }

  private static Map<SeriesKey, String> sparklines(Result result) {
    Map<SeriesKey, String> out = new HashMap<>();
    for (Verdict v : result.judge().seriesVerdicts()) {
      RunSeries run = result.runs().get(v.run());
      Series s = run == null ? null : run.byTag().get(v.tag());
      if (s == null) {
        continue;
      }
      double[] values = new double[s.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = s.value(i);
      }
      out.put(
          new SeriesKey(v.run(), v.tag()), Sparkline.of(values, values.length, SPARKLINE_WIDTH));
    }
    return out;
  }

  /**
   * Reads every point of the logdir into memory, then judges them all: the whole-history path, for
   * {@code tune} (one read, many judges) and as the reference the streamed path is held to.
   */
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
        .poll(collecting(runs, problems, err, command));
    return new Read(runs, problems[0]);
  }

  /**
   * A listener that keeps what is read in {@code runs} (restart rule applied), says problems on
   * {@code err} and notes them in {@code problems[0]}.
   */
  static TailListener collecting(
      Map<String, RunSeries> runs, boolean[] problems, PrintWriter err, String command) {
    return new TailListener() {
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
    };
  }

  /**
   * Replays what was {@code read} into a new judge with {@code config}; the points read are not
   * changed, so one read serves several judges, on several threads at once.
   */
  static Result judge(Read read, DetectionConfig config, PrintWriter err, String command) {
    return judge(read, config, err, command, null);
  }

  /**
   * {@link #judge(Read, DetectionConfig, PrintWriter, String)}; with {@code sweep}, {@code read}
   * holds one experiment's runs, judged alone with the standings of its sweep compared apart
   * ({@link SweepReplay}), as a judge of the whole logdir judges them.
   */
  static Result judge(
      Read read,
      DetectionConfig config,
      PrintWriter err,
      String command,
      @Nullable SweepOverlay sweep) {
    Map<String, RunSeries> runs = read.runs();
    Map<SeriesKey, Verdict> firstSeries = new LinkedHashMap<>();
    Map<SeriesKey, Map<Status, Verdict>> firstNotice = new LinkedHashMap<>();
    Map<String, ExperimentVerdict> firstRun = new LinkedHashMap<>();
    VerdictListener listener =
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
          public void experimentTransition(ExperimentVerdict previous, ExperimentVerdict current) {
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
        };
    LogdirJudge judge =
        sweep == null
            ? new LogdirJudge(config, listener)
            : new LogdirJudge(config, listener, sweep);
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
