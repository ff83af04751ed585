package dev.plateau.cli;

import dev.plateau.config.ConfigNode;
import dev.plateau.config.DetectionConfig;
import dev.plateau.config.Rule;
import dev.plateau.decode.DecodeLimits;
import dev.plateau.detect.Status;
import dev.plateau.detect.Verdict;
import dev.plateau.series.RunSeries;
import dev.plateau.series.Series;
import dev.plateau.series.SeriesKey;
import dev.plateau.tail.LogdirScanner;
import dev.plateau.tail.RunDirectory;
import dev.plateau.tail.RunReader;
import dev.plateau.verdict.ExperimentVerdict;
import dev.plateau.verdict.Experiments;
import dev.plateau.verdict.SweepOverlay;
import dev.plateau.verdict.SweepReplay;
import dev.plateau.verdict.Sweeps;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * The backtest of {@code check} and {@code replay} in memory that does not grow with history: the
 * logdir is read and judged experiment by experiment (a run with its twins, {@link Experiments}),
 * each experiment's points dropped once its verdicts are taken, on every core at once (experiments
 * share nothing their judges touch). Each experiment is judged exactly as {@link Backtest#run}
 * judges the whole logdir (its runs' points merged by wall time), so the verdicts are the same; the
 * series come out in the order their first points were written, as from one judge of the logdir.
 *
 * <p>Three things tie experiments together. Sweeps compared ({@code detection.sweep.enabled}, the
 * default): a run lags or not against its siblings. The detectors never read that comparison: it is
 * computed apart, first ({@link SweepReplay}: the sweeps' watched points, written to temporary
 * files as experiments are read on every core ({@link SweepSpill}), merged by wall time as one
 * judge of the logdir merges them, through the one comparison that judge makes), and each
 * experiment is then judged alone with its standings ({@link SweepOverlay}); when no temporary file
 * can be written, a sweep's experiments are judged as one group. A configured {@code
 * overfitting.twin_run} (a twin may be named in another experiment): the logdir is judged whole, as
 * one group. And {@code detection.max_series}, the daemon's bound on series in memory, bounds here
 * the watched series of one experiment at a time.
 */
final class StreamedBacktest {
  private StreamedBacktest() {}

  /** The threads the commands read and judge on: one per core the JVM may use. */
  static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }

  /** What one experiment (or group of them) gave, and where its series stand in the output. */
  private record Part(
      List<Placed> series,
      List<ExperimentVerdict> experiments,
      Map<SeriesKey, Verdict> firstSeriesStop,
      Map<SeriesKey, Map<Status, Verdict>> firstSeriesNotice,
      Map<String, ExperimentVerdict> firstRunStop,
      Map<SeriesKey, String> sparklines,
      boolean readProblems,
      String messages) {}

  /**
   * A series verdict with the place of its series in a judge of the whole logdir: the series whose
   * first kept point has the earliest wall time first, ties by run name, then by tag order in the
   * run (the order the wall-time merge of {@link Backtest} breaks ties in).
   */
  private record Placed(Verdict verdict, double firstWallTime, String run, int tagIndex) {
    static final Comparator<Placed> ORDER =
        Comparator.comparingDouble(Placed::firstWallTime)
            .thenComparing(Placed::run)
            .thenComparingInt(Placed::tagIndex);
  }

  /**
   * Reads and judges {@code logdir} experiment by experiment on {@code threads} threads, as of
   * {@code nowSeconds}; problems are said on {@code err} in experiment order.
   *
   * @throws IOException when the logdir itself cannot be read
   */
  static Backtest.Judged run(
      Path logdir,
      DetectionConfig config,
      double nowSeconds,
      int threads,
      PrintWriter err,
      String command)
      throws IOException {
    if (LogdirLocation.of(logdir) instanceof LogdirLocation.InObjectStore) {
      // An object store is listed and read as a whole (no local run directories to stream).
      return Backtest.judgedAt(Backtest.run(logdir, config, err, command), nowSeconds);
    }
    Path root = logdir.toAbsolutePath().normalize();
    boolean[] scanProblems = new boolean[1];
    List<RunDirectory> runs =
        new LogdirScanner(
                root,
                problem -> {
                  err.println("plateau " + command + ": " + problem);
                  scanProblems[0] = true;
                })
            .scan();
    SweepSpill spill = sweepsApart(config) ? spill(err, command) : null;
    List<List<RunDirectory>> groups = groups(runs, config, spill != null);
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(threads, groups.size())),
            task -> {
              Thread t = new Thread(task, "backtest");
              t.setDaemon(true);
              return t;
            });
    try (spill) {
      Map<String, SweepOverlay> sweeps =
          spill == null ? null : compareSweeps(groups, config, pool, spill);
      List<Future<Part>> parts = new ArrayList<>(groups.size());
      for (List<RunDirectory> group : groups) {
        SweepOverlay sweep =
            sweeps == null
                ? null
                : sweeps.getOrDefault(Experiments.of(group.get(0).name()), SweepOverlay.NONE);
        parts.add(pool.submit(() -> judge(group, config, nowSeconds, command, sweep)));
      }
      return merge(parts, scanProblems[0], err);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Whether sweeps are compared apart: compared, and experiments judged one by one. */
  private static boolean sweepsApart(DetectionConfig config) {
    return config.sweep().enabled() && !twinRunConfigured(config);
  }

  /** A spill for the sweeps' points, or null (said on {@code err}) when none can be made. */
  private static @Nullable SweepSpill spill(PrintWriter err, String command) {
    try {
      return SweepSpill.create();
    } catch (IOException e) {
      err.println(
          "plateau "
              + command
              + ": cannot write temporary files ("
              + e.getMessage()
              + "); each sweep is judged as a whole, in memory");
      return null;
    }
  }

  /**
   * Compares the sweeps apart: reads the experiments of sweeps on the pool, writing their watched
   * points to {@code spill}, then merges them through one {@link SweepReplay}. Returns each
   * experiment's standings, by name (none for experiments where nothing lagged).
   */
  private static Map<String, SweepOverlay> compareSweeps(
      List<List<RunDirectory>> experiments,
      DetectionConfig config,
      ExecutorService pool,
      SweepSpill spill)
      throws IOException {
    List<Future<?>> written = new ArrayList<>();
    for (List<RunDirectory> experiment : experiments) {
      if (Sweeps.of(Experiments.of(experiment.get(0).name()), config.sweep().groups()) != null) {
        written.add(
            pool.submit(
                () -> {
                  spill.write(read(experiment), config);
                  return null;
                }));
      }
    }
    for (Future<?> future : written) {
      done(future);
    }
    SweepReplay replay = new SweepReplay(config);
    spill.replay(replay::observe);
    return replay.finish();
  }

  /** The runs of one experiment, restart rule applied (problems are said when it is judged). */
  private static List<RunSeries> read(List<RunDirectory> experiment) {
    Map<String, RunSeries> runs = new TreeMap<>();
    RunReader reader = new RunReader(DecodeLimits.DEFAULTS);
    var listener =
        Backtest.collecting(runs, new boolean[1], new PrintWriter(Writer.nullWriter()), "");
    for (RunDirectory run : experiment) {
      reader.read(run, listener);
    }
    return new ArrayList<>(runs.values());
  }

  /**
   * Runs grouped by experiment (by name), or by sweep when sweeps are compared; one group of all
   * runs when a twin run is configured.
   */
  private static List<List<RunDirectory>> groups(
      List<RunDirectory> runs, DetectionConfig config, boolean sweepsApart) {
    if (twinRunConfigured(config)) {
      return runs.isEmpty() ? List.of() : List.of(runs);
    }
    Map<String, List<RunDirectory>> byGroup = new TreeMap<>();
    for (RunDirectory run : runs) {
      byGroup
          .computeIfAbsent(
              group(Experiments.of(run.name()), config, sweepsApart), e -> new ArrayList<>())
          .add(run);
    }
    return new ArrayList<>(byGroup.values());
  }

  /**
   * The group an experiment is judged in: its sweep when sweeps are compared (a run lags or not
   * against its siblings at equal steps, so they are judged together), else the experiment alone.
   */
  private static String group(String experiment, DetectionConfig config, boolean sweepsApart) {
    if (config.sweep().enabled() && !sweepsApart) {
      String sweep = Sweeps.of(experiment, config.sweep().groups());
      if (sweep != null) {
        return "sweep\u0000" + sweep;
      }
    }
    return "experiment\u0000" + experiment;
  }

  private static boolean twinRunConfigured(DetectionConfig config) {
    for (Rule rule : config.rules()) {
      Map<String, ConfigNode> overfitting = rule.params().get("overfitting");
      if (overfitting != null && overfitting.containsKey("twin_run")) {
        return true;
      }
    }
    return config
        .plan(".", "val_loss")
        .map(plan -> plan.params().getOrDefault("overfitting", Map.of()).containsKey("twin_run"))
        .orElse(false);
  }

  private static Part judge(
      List<RunDirectory> group,
      DetectionConfig config,
      double nowSeconds,
      String command,
      @Nullable SweepOverlay sweep) {
    StringWriter messages = new StringWriter();
    PrintWriter err = new PrintWriter(messages);
    Map<String, RunSeries> runs = new TreeMap<>();
    boolean[] problems = new boolean[1];
    RunReader reader = new RunReader(DecodeLimits.DEFAULTS);
    var listener = Backtest.collecting(runs, problems, err, command);
    for (RunDirectory run : group) {
      reader.read(run, listener);
    }
    Backtest.Result result =
        Backtest.judge(new Backtest.Read(runs, problems[0]), config, err, command, sweep);
    Backtest.Judged judged = Backtest.judgedAt(result, nowSeconds);
    List<Placed> placed = new ArrayList<>(judged.series().size());
    for (Verdict v : judged.series()) {
      RunSeries run = runs.get(v.run());
      int tagIndex = 0;
      double firstWallTime = Double.NaN;
      for (Map.Entry<String, Series> e : run.byTag().entrySet()) {
        if (e.getKey().equals(v.tag())) {
          firstWallTime = e.getValue().wallTime(0);
          break;
        }
        tagIndex++;
      }
      placed.add(new Placed(v, firstWallTime, v.run(), tagIndex));
    }
    err.flush();
    return new Part(
        placed,
        judged.experiments(),
        judged.firstSeriesStop(),
        judged.firstSeriesNotice(),
        judged.firstRunStop(),
        judged.sparklines(),
        judged.readProblems(),
        messages.toString());
  }

  private static Backtest.Judged merge(List<Future<Part>> parts, boolean problems, PrintWriter err)
      throws IOException {
    List<Placed> series = new ArrayList<>();
    List<ExperimentVerdict> experiments = new ArrayList<>();
    Map<SeriesKey, Verdict> firstSeriesStop = new LinkedHashMap<>();
    Map<SeriesKey, Map<Status, Verdict>> firstSeriesNotice = new LinkedHashMap<>();
    Map<String, ExperimentVerdict> firstRunStop = new LinkedHashMap<>();
    Map<SeriesKey, String> sparklines = new LinkedHashMap<>();
    boolean readProblems = problems;
    for (Future<Part> future : parts) {
      Part part = done(future);
      err.print(part.messages());
      series.addAll(part.series());
      experiments.addAll(part.experiments());
      firstSeriesStop.putAll(part.firstSeriesStop());
      firstSeriesNotice.putAll(part.firstSeriesNotice());
      firstRunStop.putAll(part.firstRunStop());
      sparklines.putAll(part.sparklines());
      readProblems |= part.readProblems();
    }
    err.flush();
    series.sort(Placed.ORDER);
    experiments.sort(Comparator.comparing(ExperimentVerdict::experiment));
    List<Verdict> verdicts = new ArrayList<>(series.size());
    for (Placed p : series) {
      verdicts.add(p.verdict());
    }
    return new Backtest.Judged(
        verdicts,
        experiments,
        firstSeriesStop,
        firstSeriesNotice,
        firstRunStop,
        sparklines,
        readProblems);
  }

  private static <T> T done(Future<T> future) throws IOException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while judging the logdir", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IOException(cause);
    }
  }
}
