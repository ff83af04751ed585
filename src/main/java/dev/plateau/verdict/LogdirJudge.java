package dev.plateau.verdict;

import dev.plateau.config.ConfigException;
import dev.plateau.config.DetectionConfig;
import dev.plateau.config.SeriesPlan;
import dev.plateau.config.SweepConfig;
import dev.plateau.detect.SeriesJudge;
import dev.plateau.detect.StopPolicy;
import dev.plateau.detect.Verdict;
import dev.plateau.series.RunSeries;
import dev.plateau.series.ScalarPoint;
import dev.plateau.series.Series;
import dev.plateau.series.SeriesKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Judges every series of a logdir as points arrive: keeps the series (restart rule applied),
 * decides which are watched and with which detectors (from the configuration), feeds them, and
 * gives experiment verdicts. Transitions go to a {@link VerdictListener}. The parts: {@link
 * KeptSeries} keeps the points, {@link TwinPairing} pairs validation series with their training
 * twins for the overfitting detector, {@link ExperimentQueues} queues the detectors' work per
 * experiment and judges it on the {@link JudgeThreads}, {@link ExperimentVerdicts} combines series
 * verdicts into experiment verdicts, and {@link WatchLimits} bounds how many series are watched;
 * this class decides which series are watched and feeds the parts, none of which calls back into
 * it.
 *
 * <p><b>Learning rates.</b> A series whose tag the configuration names a learning rate ({@code
 * detection.schedule}) is fed, point by point, to the judge of every watched series of its
 * experiment (the run itself, or a Keras layout's {@code train} and {@code validation} runs), and a
 * series watched later is fed the learning-rate points kept so far (every point in the one-shot
 * commands; none in a bounded daemon, which keeps no points of unwatched series, so a series that
 * first appears after its experiment's learning rate was read sees only the later drops): each
 * judge follows the schedule itself ({@link SeriesJudge#learningRate}), so what it learnt is saved
 * and restored with it, and its drops apply at their step whatever order the files are read in.
 *
 * <p>Pure apart from the listener: no I/O, no clock ({@link #atTime} takes the time). Not
 * thread-safe: one thread feeds it.
 *
 * <p><b>Judging on several cores.</b> Bookkeeping (series, restart rule, which series are watched,
 * twins) happens as each point is observed; the detectors' work, nearly all of the cost, is queued
 * and done when something needs its result (any method that reads a verdict or a judge), or when
 * the queues are full ({@link ExperimentQueues}). The outcome is the same whatever the number of
 * threads given to {@link #judgeOn}.
 */
public final class LogdirJudge {
  private final DetectionConfig config;
  private final VerdictListener listener;
  private final KeptSeries kept;
  private final Map<SeriesKey, WatchedSeries> watched = new LinkedHashMap<>();

  /** Every series seen, and whether it is a learning rate (matched once, not per point). */
  private final Map<SeriesKey, Boolean> known = new HashMap<>();

  private final Set<SeriesKey> dirty = new LinkedHashSet<>();
  private final TwinPairing twins = new TwinPairing();
  private final ExperimentVerdicts experiments;
  private final ExperimentQueues queues;
  private final WatchLimits limits;
  private final @Nullable SweepBoard sweeps;

  /** The sweep comparison computed apart (an experiment judged alone), or null. */
  private final @Nullable OverlayCursor overlay;

  private final PlannedEnds plannedEnds = new PlannedEnds();

  /** The learning-rate series of each experiment, in order of appearance. */
  private final Map<String, List<SeriesKey>> learningRates = new HashMap<>();

  private DoubleSupplier arrivalClock;

  public LogdirJudge(DetectionConfig config, VerdictListener listener) {
    this(config, listener, (OverlayCursor) null);
  }

  /**
   * A judge of one experiment's runs whose sweep was compared apart ({@link SweepReplay}): instead
   * of comparing the runs with siblings it does not see, it takes their standings from {@code
   * sweep}, where and as the judge of the whole logdir would have had them, so its verdicts and
   * transitions are that judge's. Only the experiment's points are to be fed to it. Its queue is
   * then judged only where that judge would judge it (when a series' lagging changes, and at the
   * end), never when full, if a lagging changes before the end: a transition is combined with the
   * standings of that moment.
   */
  public LogdirJudge(DetectionConfig config, VerdictListener listener, SweepOverlay sweep) {
    this(config, listener, new OverlayCursor(sweep));
  }

  private LogdirJudge(
      DetectionConfig config, VerdictListener listener, @Nullable OverlayCursor overlay) {
    this.config = config;
    this.listener = listener;
    this.kept = new KeptSeries(config);
    this.overlay = overlay;
    this.sweeps =
        overlay == null && config.sweep().enabled() ? new SweepBoard(config.sweep()) : null;
    this.experiments =
        new ExperimentVerdicts(
            config,
            listener,
            sweeps != null
                ? sweeps::laggingVerdict
                : overlay != null ? overlay::laggingVerdict : RunCombiner.Lagging.NONE);
    this.queues = new ExperimentQueues(experiments::seriesChanged);
    if (overlay != null && overlay.changesWhileFed()) {
      queues.limitTo(Integer.MAX_VALUE);
    }
    this.limits = new WatchLimits(config, listener);
  }

  /**
   * Makes this a live judge: each point's arrival time, read from {@code clock} (seconds), is told
   * to the detectors (stalled is then judged from when points stopped arriving).
   */
  public void live(DoubleSupplier clock) {
    this.arrivalClock = clock;
  }

  /** Which statuses stop a job, as configured (safe on any thread: the configuration's). */
  public StopPolicy stops() {
    return config.stops();
  }

  /** Judges queued experiments on {@code threads} (by default, on the feeding thread alone). */
  public void judgeOn(JudgeThreads threads) {
    queues.judgeOn(threads);
  }

  /** Judges the queues once {@code points} are queued, lower than by default in tests. */
  void limitQueuesTo(int points) {
    queues.limitTo(points);
  }

  /**
   * Judges every queued point now (on the judge threads), and tells the listener the transitions
   * found. Every method that reads a verdict or a judge does this first.
   */
  public void judgeQueued() {
    queues.judgeAll();
  }

  /**
   * Bounds the points kept per series, for a daemon: a watched series keeps at most {@code
   * pointsPerWatchedSeries} points spread over its curve (for charts and alerts), an unwatched one
   * none. The detectors do not need them: they keep their own bounded state. When a restart rewinds
   * a series whose points were not all kept, or a validation series finds a training twin whose
   * points were not all kept, the judge asks for the runs to be read again ({@link
   * VerdictListener#rereadNeeded}), and keeps every point of a run read again until the next {@link
   * #compact}. By default (one-shot commands) every point is kept.
   */
  public void boundHistory(int pointsPerWatchedSeries) {
    kept.bound(pointsPerWatchedSeries);
  }

  /**
   * Ends a read: runs read again since the last call go back to their bounded history. Call it
   * after the read that follows {@link #forgetRun} (a daemon: after each poll).
   */
  public void compact() {
    kept.compact();
  }

  /** The points kept of a series, or null for a series not known (for charts and alerts). */
  public @Nullable Series kept(SeriesKey key) {
    return kept.series(key);
  }

  /** The series kept per run. */
  public Map<String, RunSeries> runs() {
    return kept.runs();
  }

  /** The current verdict of every watched series, in order of first appearance. */
  public List<Verdict> seriesVerdicts() {
    judgeQueued();
    List<Verdict> out = new ArrayList<>(watched.size());
    for (WatchedSeries w : watched.values()) {
      out.add(w.judge.verdict());
    }
    return out;
  }

  /**
   * The current verdict of every experiment with watched series, by name. An experiment whose
   * series' verdicts are the same objects as at the last call is not combined again (a series judge
   * keeps its verdict object until it changes): the status page asks every round.
   */
  public List<ExperimentVerdict> experimentVerdicts() {
    judgeQueued();
    return experiments.all();
  }

  /**
   * Feeds one point.
   *
   * @throws IllegalStateException when a rule's detector cannot be built (the configuration was
   *     checked at load time, so this signals a bug)
   */
  public void observe(ScalarPoint point) {
    SeriesKey key = new SeriesKey(point.run(), point.tag());
    if (PlannedEnds.declares(point.tag())) {
      plannedEnd(Experiments.of(point.run()), point.value());
    }
    Boolean isLearningRate = known.get(key);
    boolean isNew = isLearningRate == null;
    int dropped = kept.add(point, isNew);
    if (isNew) {
      isLearningRate = config.schedule().isLearningRate(key.tag());
      known.put(key, isLearningRate);
      newSeries(key);
    }
    WatchedSeries w = watched.get(key);
    if (w != null) {
      dirty.add(key);
      if (!plannedEnds.isEmpty() && plannedEnds.of(w.experiment) != w.plannedEndTold) {
        queues.judge(w.experiment); // restored or parked since the run said it: tell it now
        tellPlannedEnd(w);
      }
      // Restored judges have no points kept from before the restart, and a bounded series not all
      // of its points: a rewind into that history can only be judged from the files.
      Series series = kept.series(key);
      boolean allKept = w.complete && series.isComplete();
      if (!w.complete) {
        queues.judge(w.experiment); // its judge's last step is needed now
      }
      if ((dropped > 0 && !allKept)
          || (!w.complete && point.step() <= w.judge.verdict().lastStep())) {
        listener.rereadNeeded(point.run());
        return;
      }
      if (dropped > 0) {
        queues.judge(w.experiment);
        rebuild(w, series);
      } else {
        double arrival = arrivalClock == null ? Double.NaN : arrivalClock.getAsDouble();
        queues.point(w, point.step(), point.wallTime(), point.value(), arrival);
      }
      if (sweeps != null
          && sweeps.observe(key, w.plan.mode(), point.step(), point.wallTime(), point.value())) {
        queues.judge(w.experiment); // its series' verdicts up to this point first
        List<Runnable> found = new ArrayList<>(1);
        experiments.standingChanged(w.experiment, found);
        found.forEach(Runnable::run);
      }
      if (overlay != null && overlay.observed()) {
        queues.judge(w.experiment); // as the whole logdir's judge does when a lagging changes
        List<Runnable> found = new ArrayList<>(1);
        experiments.standingChanged(w.experiment, found);
        found.forEach(Runnable::run);
      }
    }
    if (isLearningRate) {
      learningRate(key, point);
    }
    List<WatchedSeries> validations = twins.validationsOf(key);
    if (validations != null) {
      for (WatchedSeries v : validations) {
        if (v.twinFedUpTo != point.step() || dropped > 0) {
          queues.twinPoint(v, point.step(), point.wallTime(), point.value());
          dirty.add(v.key); // the validation series' detector changed too
        }
        v.twinFedUpTo = Long.MIN_VALUE;
      }
    }
  }

  /** A learning-rate point: to the judge of every watched series of its experiment but itself. */
  private void learningRate(SeriesKey key, ScalarPoint point) {
    String experiment = Experiments.of(key.run());
    List<SeriesKey> sources = learningRates.computeIfAbsent(experiment, e -> new ArrayList<>(1));
    if (!sources.contains(key)) {
      sources.add(key);
    }
    String source = sourceName(key);
    for (WatchedSeries w : experiments.members(experiment)) {
      if (!w.key.equals(key) && w.schedule != null) {
        queues.learningRatePoint(w, source, point.step(), point.value());
        dirty.add(w.key); // what its judge knows of the schedule is state to save
      }
    }
  }

  /** How a judge names the learning-rate series it follows. */
  private static String sourceName(SeriesKey key) {
    return key.run() + "\n" + key.tag();
  }

  /**
   * Feeds {@code w}'s judge the learning-rate points of its experiment kept so far: queued (a new
   * series, in order with its own points) or at once (a judge rebuilt on this thread).
   */
  private void feedScheduleSoFar(WatchedSeries w, boolean queued) {
    List<SeriesKey> sources = learningRates.get(w.experiment);
    if (sources == null || w.schedule == null) {
      return;
    }
    for (SeriesKey source : sources) {
      Series series = kept.series(source);
      if (source.equals(w.key) || series == null) {
        continue;
      }
      String name = sourceName(source);
      for (int i = 0; i < series.size(); i++) {
        if (queued) {
          queues.learningRatePoint(w, name, series.step(i), series.value(i));
        } else {
          w.judge.learningRate(name, series.step(i), series.value(i));
        }
      }
    }
  }

  /**
   * The last step observed in a watched series, or {@link Long#MIN_VALUE} when it has none or is
   * not watched. Read from the kept series, so queued points need not be judged first; only for a
   * series restored from saved state (no points kept) is its experiment judged, for the last step
   * its judge saw.
   */
  public long lastStepOf(String runName, String tag) {
    SeriesKey key = new SeriesKey(runName, tag);
    WatchedSeries w = watched.get(key);
    if (w == null) {
      return Long.MIN_VALUE;
    }
    if (!w.complete) {
      queues.judge(w.experiment);
      Verdict v = w.judge.verdict();
      return v.points() == 0 ? Long.MIN_VALUE : v.lastStep();
    }
    Series series = kept.series(key);
    return series == null || !series.hadPoints() ? Long.MIN_VALUE : series.lastStep();
  }

  /** A SessionLog START in a run: drops its points at or after {@code step} and re-judges. */
  public void sessionStart(String runName, long step) {
    queues.judge(Experiments.of(runName));
    RunSeries run = kept.run(runName);
    for (WatchedSeries w : watched.values()) {
      if (w.key.run().equals(runName) && w.judge.verdict().lastStep() >= step) {
        Series series = run == null ? null : run.byTag().get(w.key.tag());
        if (!w.complete || (series != null && !series.isComplete())) {
          listener.rereadNeeded(runName);
          return;
        }
      }
    }
    if (run == null || run.sessionStart(step) == 0) {
      return;
    }
    for (Map.Entry<String, Series> entry : run.byTag().entrySet()) {
      WatchedSeries w = watched.get(new SeriesKey(runName, entry.getKey()));
      if (w != null && w.judge.verdict().points() != entry.getValue().size()) {
        rebuild(w, entry.getValue());
      }
    }
  }

  /**
   * Re-judges every series at time {@code nowSeconds} (stalled, wall-clock patience), and compares
   * again with their sweeps the runs that were read before enough of their siblings (here, once a
   * round, rather than whenever queued points are judged, so that the outcome does not depend on
   * when the queues were judged).
   */
  public void atTime(double nowSeconds) {
    if (overlay != null) {
      overlay.beforeStale();
    }
    judgeQueued();
    if (overlay != null && overlay.atEnd()) {
      List<Runnable> found = new ArrayList<>();
      Set<String> done = new java.util.HashSet<>();
      for (WatchedSeries w : watched.values()) {
        if (done.add(w.experiment)) {
          experiments.standingChanged(w.experiment, found);
        }
      }
      found.forEach(Runnable::run);
    }
    if (sweeps != null) {
      // Runs read before their siblings (a finished sweep read file by file) are compared now.
      List<SeriesKey> changed = sweeps.compareStale();
      if (!changed.isEmpty()) {
        List<Runnable> found = new ArrayList<>();
        Set<String> done = new java.util.HashSet<>();
        for (SeriesKey key : changed) {
          String experiment = Experiments.of(key.run());
          if (done.add(experiment)) {
            experiments.standingChanged(experiment, found);
          }
        }
        found.forEach(Runnable::run);
      }
    }
    for (WatchedSeries w : watched.values()) {
      double due = w.judge.nextChangeAt();
      Verdict changed = w.judge.atTime(nowSeconds);
      if (changed != null) {
        dirty.add(w.key); // a time-based change is state to save like any other
        transition(w.judge.beforeLastChange(), changed);
      } else if (due <= nowSeconds && w.judge.nextChangeAt() != due) {
        // A detector's judgement moved behind a status that outranks it (stalled behind
        // converged): no transition, but state to save, or the saved series would stay due and
        // bring its experiment back from the store at every restart and park check.
        dirty.add(w.key);
      }
    }
  }

  /**
   * Makes a series known before any of its points arrive, to restore its judge from saved state.
   * Returns the judge, or null when the configuration does not watch the series (any more). The
   * series counts as incomplete: a rewind into its history asks for the run to be read again
   * ({@link VerdictListener#rereadNeeded}).
   */
  public @Nullable SeriesJudge register(String run, String tag) {
    queues.judge(Experiments.of(run));
    SeriesKey key = new SeriesKey(run, tag);
    kept.register(run);
    if (known.putIfAbsent(key, config.schedule().isLearningRate(tag)) == null) {
      newSeries(key);
    }
    WatchedSeries w = watched.get(key);
    if (w == null) {
      return null;
    }
    w.complete = false;
    w.plannedEndTold = 0; // the caller restores the judge: what it was told is the saved state's
    return w.judge;
  }

  /** The judge of a watched series, or null. */
  public @Nullable SeriesJudge judgeOf(String run, String tag) {
    queues.judge(Experiments.of(run));
    WatchedSeries w = watched.get(new SeriesKey(run, tag));
    return w == null ? null : w.judge;
  }

  /** Series fed since the last call, whose state should be saved. */
  public List<SeriesKey> takeDirty() {
    judgeQueued(); // the caller saves their judges next
    List<SeriesKey> out = new ArrayList<>(dirty);
    dirty.clear();
    return out;
  }

  /**
   * Forgets a run's series and judges, so that it can be read again from its files' start.
   * Experiment statuses are kept, so reading again causes no transition that was not there.
   */
  public void forgetRun(String run) {
    evict(run);
    kept.readingAgain(run);
  }

  /**
   * Drops a run's series and judges from memory (their state lives on in the caller's store) and
   * keeps experiment statuses; {@link #register} brings the judges back. Unlike {@link #forgetRun},
   * the run is not about to be read again.
   */
  public void evict(String run) {
    evictAll(Set.of(run));
  }

  /**
   * {@link #evict} for many runs at once, in one pass over the series (evicting a thousand runs one
   * by one is quadratic).
   */
  public void evictAll(Set<String> gone) {
    if (gone.isEmpty()) {
      return;
    }
    // Their experiments' queued points, and twin points a validation series elsewhere may have
    // queued from these runs, are judged first.
    judgeQueued();
    kept.evict(gone);
    experiments.evict(gone);
    watched.keySet().removeIf(k -> gone.contains(k.run()));
    known.keySet().removeIf(k -> gone.contains(k.run()));
    learningRates.values().forEach(keys -> keys.removeIf(k -> gone.contains(k.run())));
    learningRates.values().removeIf(List::isEmpty);
    dirty.removeIf(k -> gone.contains(k.run()));
    twins.evict(gone);
  }

  /**
   * The runs of validation series whose training twin is in {@code run}: reading {@code run} again
   * means reading them again too, so their overfitting detectors see the twin afresh.
   */
  public Set<String> runsPairedWith(String run) {
    return twins.runsPairedWith(run);
  }

  /**
   * The runs this judge holds in memory, by experiment, in one pass (asking experiment by
   * experiment, each a pass over every run, was quadratic on a large logdir).
   */
  public Map<String, Set<String>> runsByExperiment() {
    return kept.runsByExperiment();
  }

  /**
   * The experiments that cannot leave memory alone: one of their series is paired with a twin in
   * another experiment, or is the twin of one, or is a validation series still waiting for a twin
   * that may appear anywhere. Every other experiment can leave memory and come back without another
   * noticing. One pass over the validation series (asking experiment by experiment was quadratic:
   * with 10,000 experiments, minutes).
   */
  public Set<String> notSelfContained() {
    return twins.notSelfContained();
  }

  /** How runs are compared with their sweep (immutable: safe on any thread). */
  public SweepConfig sweepConfig() {
    return config.sweep();
  }

  /**
   * Where a watched series stands in its sweep (its last comparison with its siblings), or null
   * when it was not compared yet or sweeps are off.
   */
  public @Nullable SweepStanding standing(String run, String tag) {
    return sweeps == null ? null : sweeps.standing(new SeriesKey(run, tag));
  }

  /** The current verdict of one experiment, or null when none of its series is watched. */
  public @Nullable ExperimentVerdict experimentVerdict(String experiment) {
    queues.judge(experiment);
    return experiments.of(experiment);
  }

  /**
   * The verdict of an experiment out of memory, from its series' saved verdicts (combined as {@link
   * #experimentVerdict} combines its judges' verdicts), or null without any. Reads only the
   * configuration: safe on any thread.
   */
  public @Nullable ExperimentVerdict combine(String experiment, List<Verdict> members) {
    return experiments.combine(experiment, members);
  }

  /**
   * The earliest time, in seconds, at which time alone could change a verdict of the experiment's
   * series ({@link SeriesJudge#nextChangeAt}); positive infinity when it cannot.
   */
  public double nextChangeAt(String experiment) {
    queues.judge(experiment);
    return experiments.nextChangeAt(experiment);
  }

  /** Sets an experiment's last known status (from saved state), so transitions continue from it. */
  public void restoreExperiment(ExperimentVerdict verdict) {
    experiments.restore(verdict);
  }

  /**
   * A run of the experiment declared its planned end ({@link PlannedEnds}): its watched series'
   * judges are told (after their queued points), and so are those of series that appear later.
   */
  private void plannedEnd(String experiment, double value) {
    long step = plannedEnds.record(experiment, value);
    if (step < 0) {
      return;
    }
    boolean judged = false;
    for (WatchedSeries w : watched.values()) {
      if (w.experiment.equals(experiment)) {
        if (!judged) {
          queues.judge(experiment);
          judged = true;
        }
        tellPlannedEnd(w);
        dirty.add(w.key);
      }
    }
  }

  /**
   * Tells a judge its experiment's planned end when the experiment declared one it has not been
   * told. A judge restored from saved state keeps the end saved with it until the run says another.
   */
  private void tellPlannedEnd(WatchedSeries w) {
    long step = plannedEnds.of(w.experiment);
    if (step > 0 && step != w.plannedEndTold) {
      w.judge.plannedEnd(step);
      w.plannedEndTold = step;
    }
  }

  private void newSeries(SeriesKey key) {
    Optional<SeriesPlan> plan = config.plan(key.run(), key.tag());
    if (plan.isPresent()
        && !limits.over(key, experiments.watchedOfRun(key.run()), watched.size())) {
      WatchedSeries w = new WatchedSeries(key, plan.get(), config.schedule().judgeParams());
      try {
        w.buildJudge();
      } catch (ConfigException e) {
        listener.problem(
            "run '" + key.run() + "' tag '" + key.tag() + "' is not watched: " + e.getMessage());
        return;
      }
      tellPlannedEnd(w);
      watched.put(key, w);
      experiments.add(w);
      twins.watching(w);
      feedScheduleSoFar(w, true);
    }
    // A new series may be the twin someone waits for.
    for (WatchedSeries v : twins.appeared(key, known::containsKey)) {
      feedTwinSoFar(v);
    }
  }

  private void feedTwinSoFar(WatchedSeries v) {
    Series twin = kept.series(v.twin);
    if (twin == null) {
      return;
    }
    if (!twin.isComplete()) {
      // Not every training point was kept: the overfitting detector needs them all.
      listener.rereadNeeded(v.twin.run());
      listener.rereadNeeded(v.key.run());
      return;
    }
    // In order with the validation series' own queued points.
    for (int i = 0; i < twin.size(); i++) {
      queues.twinPoint(v, twin.step(i), twin.wallTime(i), twin.value(i));
    }
    if (!twin.isEmpty()) {
      dirty.add(v.key);
    }
    v.twinFedUpTo = twin.isEmpty() ? Long.MIN_VALUE : twin.lastStep();
  }

  /** After a restart dropped points: new detectors, replayed over the kept points. */
  private void rebuild(WatchedSeries w, Series series) {
    Verdict before = w.judge.verdict();
    boolean hadOverfitting = w.overfitting != null;
    try {
      w.buildJudge();
    } catch (ConfigException e) {
      throw new IllegalStateException("detectors built once could not be built again", e);
    }
    w.plannedEndTold = 0; // a new judge
    tellPlannedEnd(w);
    if (hadOverfitting && w.overfitting != null && w.twin != null) {
      feedTwinSoFar(w);
    }
    feedScheduleSoFar(w, false);
    for (int i = 0; i < series.size(); i++) {
      w.judge.observe(series.step(i), series.wallTime(i), series.value(i));
    }
    Verdict after = w.judge.verdict();
    if (after.status() != before.status()) {
      transition(before, after);
    }
  }

  private void transition(Verdict before, Verdict after) {
    List<Runnable> found = new ArrayList<>(2);
    experiments.seriesChanged(before, after, found);
    found.forEach(Runnable::run);
  }
}
