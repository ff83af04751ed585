package dev.plateau.verdict;

import dev.plateau.config.ConfigException;
import dev.plateau.config.DetectionConfig;
import dev.plateau.config.SeriesPlan;
import dev.plateau.detect.Detector;
import dev.plateau.detect.DivergenceDetector;
import dev.plateau.detect.OverfittingDetector;
import dev.plateau.detect.SeriesJudge;
import dev.plateau.detect.TagClassifier;
import dev.plateau.detect.Verdict;
import dev.plateau.series.RunSeries;
import dev.plateau.series.ScalarPoint;
import dev.plateau.series.Series;
import dev.plateau.series.SeriesKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Judges every series of a logdir as points arrive: keeps the series (restart rule applied),
 * decides which are watched and with which detectors (from the configuration), feeds them, pairs
 * validation series with their training twins for the overfitting detector, and combines series
 * verdicts into experiment verdicts. Transitions go to a {@link VerdictListener}.
 *
 * <p>Pure apart from the listener: no I/O, no clock ({@link #atTime} takes the time). Not
 * thread-safe: one thread feeds it.
 *
 * <p><b>Judging on several cores.</b> Bookkeeping (series, restart rule, which series are watched,
 * twins) happens as each point is observed; the detectors' work, nearly all of the cost, is queued
 * per experiment, in arrival order, and done when something needs its result (any method that
 * reads a verdict or a judge), or when {@value #QUEUE_LIMIT} points are queued. With {@link
 * #judgeOn} given more than one thread, the queues of different experiments are then judged at
 * the same time: experiments share nothing that their detectors touch (a validation series' twin
 * points are queued to the validation series' experiment). Each experiment's transitions reach
 * the listener on the calling thread, in order, experiment after experiment in the order their
 * first queued point arrived; so the outcome is the same whatever the number of threads.
 */
public final class LogdirJudge {
  private final DetectionConfig config;
  private final VerdictListener listener;
  private final Map<String, RunSeries> runs = new LinkedHashMap<>();
  private final Map<SeriesKey, Watched> watched = new LinkedHashMap<>();
  private final Map<SeriesKey, Boolean> known = new HashMap<>();
  private final Map<SeriesKey, List<Watched>> twinOf = new HashMap<>();
  private final List<Watched> awaitingTwin = new ArrayList<>();
  private final Map<String, ExperimentVerdict> experiments = new java.util.concurrent.ConcurrentHashMap<>();
  /** Watched series by experiment, for combining an experiment's verdict. */
  private final Map<String, List<Watched>> membersOf = new HashMap<>();
  /** Experiments with queued work, in the order their first queued point arrived. */
  private final Map<String, Queue> queued = new LinkedHashMap<>();
  private int queuedPoints;
  private JudgeThreads threads = JudgeThreads.SERIAL;

  /** Points queued (over all experiments) before they are judged without waiting to be asked. */
  static final int QUEUE_LIMIT = 1 << 18;

  /** {@link #QUEUE_LIMIT}, lower in tests so that the queue fills often. */
  int queueLimit = QUEUE_LIMIT;
  private final java.util.Set<SeriesKey> dirty = new java.util.LinkedHashSet<>();
  private java.util.function.DoubleSupplier arrivalClock;
  private int historyLimit = Series.UNBOUNDED;
  /** Runs being read again from their files' start: they keep every point until {@link #compact}. */
  private final java.util.Set<String> readingAgain = new java.util.HashSet<>();

  /** A watched series: its plan, its judge, and its overfitting detector if it has one. */
  private static final class Watched {
    final SeriesKey key;
    final String experiment;
    final SeriesPlan plan;
    SeriesJudge judge;
    OverfittingDetector overfitting;
    SeriesKey twin;
    List<SeriesKey> twinCandidates;
    /** The last twin step already fed when the twin was found (so it is not fed twice). */
    long twinFedUpTo = Long.MIN_VALUE;
    /** False when restored from saved state: the kept points do not go back to the start. */
    boolean complete = true;

    Watched(SeriesKey key, SeriesPlan plan) {
      this.key = key;
      this.experiment = Experiments.of(key.run());
      this.plan = plan;
    }
  }

  /**
   * One experiment's queued work, in arrival order: points for a series' judge, or twin points for
   * a validation series' overfitting detector; and the transitions that judging them found, held
   * for the listener.
   */
  private final class Queue {
    int size;
    Watched[] who = new Watched[16];
    boolean[] twin = new boolean[16];
    long[] step = new long[16];
    double[] wallTime = new double[16];
    double[] value = new double[16];
    double[] arrival = new double[16];
    /** The listener calls judging found, in order, made on the feeding thread by {@link #report}. */
    final List<Runnable> found = new ArrayList<>();

    void add(Watched w, boolean isTwin, long s, double t, double v, double arrivedAt) {
      if (size == who.length) {
        int n = size * 2;
        who = Arrays.copyOf(who, n);
        twin = Arrays.copyOf(twin, n);
        step = Arrays.copyOf(step, n);
        wallTime = Arrays.copyOf(wallTime, n);
        value = Arrays.copyOf(value, n);
        arrival = Arrays.copyOf(arrival, n);
      }
      who[size] = w;
      twin[size] = isTwin;
      step[size] = s;
      wallTime[size] = t;
      value[size] = v;
      arrival[size] = arrivedAt;
      size++;
    }

    /** Judges the queued points; touches only this experiment's detectors. */
    void judge() {
      for (int i = 0; i < size; i++) {
        Watched w = who[i];
        who[i] = null;
        if (twin[i]) {
          w.overfitting.observeTwin(step[i], wallTime[i], value[i]);
          continue;
        }
        if (!Double.isNaN(arrival[i])) {
          w.judge.arrivedAt(arrival[i]);
        }
        Verdict changed = w.judge.observe(step[i], wallTime[i], value[i]);
        if (changed != null) {
          combine(w.judge.beforeLastChange(), changed, found);
        }
      }
      size = 0;
    }

    /** Tells the listener what judging found, on the feeding thread. */
    void report() {
      found.forEach(Runnable::run);
      found.clear();
    }
  }

  public LogdirJudge(DetectionConfig config, VerdictListener listener) {
    this.config = config;
    this.listener = listener;
  }

  /**
   * Makes this a live judge: each point's arrival time, read from {@code clock} (seconds), is
   * told to the detectors (stalled is then judged from when points stopped arriving).
   */
  public void live(java.util.function.DoubleSupplier clock) {
    this.arrivalClock = clock;
  }

  /** Judges queued experiments on {@code threads} (by default, on the feeding thread alone). */
  public void judgeOn(JudgeThreads threads) {
    this.threads = java.util.Objects.requireNonNull(threads);
  }

  /**
   * Judges every queued point now (on the judge threads), and tells the listener the transitions
   * found. Every method that reads a verdict or a judge does this first.
   */
  public void judgeQueued() {
    if (queued.isEmpty()) {
      return;
    }
    List<Queue> all = new ArrayList<>(queued.values());
    queued.clear();
    queuedPoints = 0;
    threads.run(all, Queue::judge);
    for (Queue q : all) {
      q.report();
    }
  }

  /** Judges one experiment's queued points now, on this thread. */
  private void judgeQueued(String experiment) {
    Queue q = queued.remove(experiment);
    if (q != null) {
      queuedPoints -= q.size;
      q.judge();
      q.report();
    }
  }

  private Queue queueOf(String experiment) {
    Queue q = queued.get(experiment);
    if (q == null) {
      q = new Queue();
      queued.put(experiment, q);
    }
    return q;
  }

  private void queued() {
    if (++queuedPoints >= queueLimit) {
      judgeQueued();
    }
  }

  /**
   * Bounds the points kept per series, for a daemon: a watched series keeps at most {@code
   * pointsPerWatchedSeries} points spread over its curve (for charts and alerts), an unwatched one
   * none. The detectors do not need them: they keep their own bounded state. When a restart
   * rewinds a series whose points were not all kept, or a validation series finds a training twin
   * whose points were not all kept, the judge asks for the runs to be read again ({@link
   * VerdictListener#rereadNeeded}), and keeps every point of a run read again until the next
   * {@link #compact}. By default (one-shot commands) every point is kept.
   */
  public void boundHistory(int pointsPerWatchedSeries) {
    if (pointsPerWatchedSeries < 2) {
      throw new IllegalArgumentException(
          "a watched series must keep at least 2 points, got " + pointsPerWatchedSeries);
    }
    this.historyLimit = pointsPerWatchedSeries;
  }

  /**
   * Ends a read: runs read again since the last call go back to their bounded history. Call it
   * after the read that follows {@link #forgetRun} (a daemon: after each poll).
   */
  public void compact() {
    if (readingAgain.isEmpty() || historyLimit == Series.UNBOUNDED) {
      readingAgain.clear();
      return;
    }
    List<String> done = new ArrayList<>(readingAgain);
    readingAgain.clear();
    for (String runName : done) {
      RunSeries run = runs.get(runName);
      if (run != null) {
        run.byTag().forEach((tag, series) -> series.limitTo(limitOf(new SeriesKey(runName, tag))));
      }
    }
  }

  private int limitOf(SeriesKey key) {
    if (historyLimit == Series.UNBOUNDED || readingAgain.contains(key.run())) {
      return Series.UNBOUNDED;
    }
    return config.plan(key.run(), key.tag()).isPresent() ? historyLimit : 0;
  }

  /** The series kept per run. */
  public Map<String, RunSeries> runs() {
    return runs;
  }

  /** The current verdict of every watched series, in order of first appearance. */
  public List<Verdict> seriesVerdicts() {
    judgeQueued();
    List<Verdict> out = new ArrayList<>(watched.size());
    for (Watched w : watched.values()) {
      out.add(w.judge.verdict());
    }
    return out;
  }

  /**
   * The current verdict of every experiment with watched series, by name. An experiment whose
   * series' verdicts are the same objects as at the last call is not combined again (a series
   * judge keeps its verdict object until it changes): the status page asks every round.
   */
  public List<ExperimentVerdict> runVerdicts() {
    judgeQueued();
    List<ExperimentVerdict> out = new ArrayList<>(membersOf.size());
    new java.util.TreeMap<>(membersOf)
        .forEach(
            (name, members) -> {
              Verdict[] verdicts = new Verdict[members.size()];
              for (int i = 0; i < verdicts.length; i++) {
                verdicts[i] = members.get(i).judge.verdict();
              }
              Combined before = combined.get(name);
              if (before != null && before.sameInputs(verdicts)) {
                out.add(before.result());
              } else {
                ExperimentVerdict result = RunCombiner.combine(name, List.of(verdicts), config.convergedWhen(), config.stops());
                combined.put(name, new Combined(verdicts, result));
                out.add(result);
              }
            });
    if (combined.size() > membersOf.size()) {
      combined.keySet().retainAll(membersOf.keySet());
    }
    return out;
  }

  /** An experiment's combined verdict and the series verdicts it was combined from. */
  private record Combined(Verdict[] inputs, ExperimentVerdict result) {
    boolean sameInputs(Verdict[] verdicts) {
      if (verdicts.length != inputs.length) {
        return false;
      }
      for (int i = 0; i < verdicts.length; i++) {
        if (verdicts[i] != inputs[i]) {
          return false;
        }
      }
      return true;
    }
  }

  private final Map<String, Combined> combined = new HashMap<>();

  /**
   * Feeds one point.
   *
   * @throws IllegalStateException when a rule's detector cannot be built (the configuration was
   *     checked at load time, so this signals a bug)
   */
  public void observe(ScalarPoint point) {
    RunSeries run = runs.computeIfAbsent(point.run(), RunSeries::new);
    SeriesKey key = new SeriesKey(point.run(), point.tag());
    boolean isNew = !known.containsKey(key);
    int dropped = run.add(point, isNew ? limitOf(key) : Series.UNBOUNDED);
    if (isNew) {
      known.put(key, Boolean.TRUE);
      newSeries(key);
    }
    Watched w = watched.get(key);
    if (w != null) {
      dirty.add(key);
      // Restored judges have no points kept from before the restart, and a bounded series not all
      // of its points: a rewind into that history can only be judged from the files.
      boolean allKept = w.complete && run.byTag().get(point.tag()).isComplete();
      if (!w.complete) {
        judgeQueued(w.experiment); // its judge's last step is needed now
      }
      if ((dropped > 0 && !allKept)
          || (!w.complete && point.step() <= w.judge.verdict().lastStep())) {
        listener.rereadNeeded(point.run());
        return;
      }
      if (dropped > 0) {
        judgeQueued(w.experiment);
        rebuild(w, run.byTag().get(point.tag()));
      } else {
        double arrival = arrivalClock == null ? Double.NaN : arrivalClock.getAsDouble();
        queueOf(w.experiment).add(w, false, point.step(), point.wallTime(), point.value(), arrival);
        queued();
      }
    }
    List<Watched> validations = twinOf.get(key);
    if (validations != null) {
      for (Watched v : validations) {
        if (v.twinFedUpTo != point.step() || dropped > 0) {
          queueOf(v.experiment).add(v, true, point.step(), point.wallTime(), point.value(), Double.NaN);
          queued();
          dirty.add(v.key); // the validation series' detector changed too
        }
        v.twinFedUpTo = Long.MIN_VALUE;
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
    Watched w = watched.get(key);
    if (w == null) {
      return Long.MIN_VALUE;
    }
    if (!w.complete) {
      judgeQueued(w.experiment);
      Verdict v = w.judge.verdict();
      return v.points() == 0 ? Long.MIN_VALUE : v.lastStep();
    }
    RunSeries run = runs.get(runName);
    Series series = run == null ? null : run.byTag().get(tag);
    return series == null || !series.hadPoints() ? Long.MIN_VALUE : series.lastStep();
  }

  /** A SessionLog START in a run: drops its points at or after {@code step} and re-judges. */
  public void sessionStart(String runName, long step) {
    judgeQueued(Experiments.of(runName));
    RunSeries run = runs.get(runName);
    for (Watched w : watched.values()) {
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
      Watched w = watched.get(new SeriesKey(runName, entry.getKey()));
      if (w != null && w.judge.verdict().points() != entry.getValue().size()) {
        rebuild(w, entry.getValue());
      }
    }
  }

  /** Re-judges every series at time {@code nowSeconds} (stalled, wall-clock patience). */
  public void atTime(double nowSeconds) {
    judgeQueued();
    for (Watched w : watched.values()) {
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
  public SeriesJudge register(String run, String tag) {
    judgeQueued(Experiments.of(run));
    SeriesKey key = new SeriesKey(run, tag);
    runs.computeIfAbsent(run, RunSeries::new);
    if (known.putIfAbsent(key, Boolean.TRUE) == null) {
      newSeries(key);
    }
    Watched w = watched.get(key);
    if (w == null) {
      return null;
    }
    w.complete = false;
    return w.judge;
  }

  /** The judge of a watched series, or null. */
  public SeriesJudge judgeOf(String run, String tag) {
    judgeQueued(Experiments.of(run));
    Watched w = watched.get(new SeriesKey(run, tag));
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
    readingAgain.add(run);
  }

  /**
   * Drops a run's series and judges from memory (their state lives on in the caller's store) and
   * keeps experiment statuses; {@link #register} brings the judges back. Unlike {@link
   * #forgetRun}, the run is not about to be read again.
   */
  public void evict(String run) {
    evictAll(java.util.Set.of(run));
  }

  /**
   * {@link #evict} for many runs at once, in one pass over the series (evicting a thousand runs
   * one by one is quadratic).
   */
  public void evictAll(java.util.Set<String> gone) {
    if (gone.isEmpty()) {
      return;
    }
    // Their experiments' queued points, and twin points a validation series elsewhere may have
    // queued from these runs, are judged first.
    judgeQueued();
    java.util.Set<String> experimentsTouched = new java.util.HashSet<>();
    for (String run : gone) {
      runs.remove(run);
      experimentsTouched.add(Experiments.of(run));
    }
    for (String experiment : experimentsTouched) {
      List<Watched> members = membersOf.get(experiment);
      if (members != null) {
        members.removeIf(w -> gone.contains(w.key.run()));
        if (members.isEmpty()) {
          membersOf.remove(experiment);
        }
      }
    }
    watched.keySet().removeIf(k -> gone.contains(k.run()));
    known.keySet().removeIf(k -> gone.contains(k.run()));
    dirty.removeIf(k -> gone.contains(k.run()));
    awaitingTwin.removeIf(w -> gone.contains(w.key.run()));
    twinOf.values().forEach(list -> list.removeIf(w -> gone.contains(w.key.run())));
    twinOf.keySet().removeIf(k -> gone.contains(k.run()));
  }

  /**
   * The runs of validation series whose training twin is in {@code run}: reading {@code run}
   * again means reading them again too, so their overfitting detectors see the twin afresh.
   */
  public java.util.Set<String> runsPairedWith(String run) {
    java.util.Set<String> out = new java.util.TreeSet<>();
    for (Watched w : watched.values()) {
      if (w.twin != null && w.twin.run().equals(run) && !w.key.run().equals(run)) {
        out.add(w.key.run());
      }
    }
    return out;
  }

  /**
   * The runs this judge holds in memory, by experiment, in one pass (asking experiment by
   * experiment, each a pass over every run, was quadratic on a large logdir).
   */
  public Map<String, java.util.Set<String>> runsByExperiment() {
    Map<String, java.util.Set<String>> out = new HashMap<>();
    for (String run : runs.keySet()) {
      out.computeIfAbsent(Experiments.of(run), e -> new java.util.TreeSet<>()).add(run);
    }
    return out;
  }

  /**
   * The experiments that cannot leave memory alone: one of their series is paired with a twin in
   * another experiment, or is the twin of one, or is a validation series still waiting for a twin
   * that may appear anywhere. Every other experiment can leave memory and come back without another
   * noticing. One pass over the watched series (asking experiment by experiment was quadratic:
   * with 10,000 experiments, minutes).
   */
  public java.util.Set<String> notSelfContained() {
    java.util.Set<String> out = new java.util.HashSet<>();
    for (Watched w : watched.values()) {
      if (w.twin != null) {
        String twinExperiment = Experiments.of(w.twin.run());
        if (!twinExperiment.equals(w.experiment)) {
          out.add(w.experiment);
          out.add(twinExperiment);
        }
      } else if (w.overfitting != null) {
        out.add(w.experiment); // still waiting for a twin that may appear anywhere
      }
    }
    return out;
  }

  /** The current verdict of one experiment, or null when none of its series is watched. */
  public ExperimentVerdict experimentVerdict(String experiment) {
    judgeQueued(experiment);
    List<Verdict> members = new ArrayList<>();
    for (Watched w : membersOf.getOrDefault(experiment, List.of())) {
      members.add(w.judge.verdict());
    }
    return combine(experiment, members);
  }

  /**
   * The verdict of an experiment out of memory, from its series' saved verdicts (combined as
   * {@link #experimentVerdict} combines its judges' verdicts), or null without any. Reads only
   * the configuration: safe on any thread.
   */
  public ExperimentVerdict combine(String experiment, List<Verdict> members) {
    return members.isEmpty() ? null : RunCombiner.combine(experiment, members, config.convergedWhen(), config.stops());
  }

  /**
   * The earliest time, in seconds, at which time alone could change a verdict of the experiment's
   * series ({@link SeriesJudge#nextChangeAt}); positive infinity when it cannot.
   */
  public double nextChangeAt(String experiment) {
    judgeQueued(experiment);
    double next = Double.POSITIVE_INFINITY;
    for (Watched w : membersOf.getOrDefault(experiment, List.of())) {
      next = Math.min(next, w.judge.nextChangeAt());
    }
    return next;
  }

  /** Sets an experiment's last known status (from saved state), so transitions continue from it. */
  public void restoreExperiment(ExperimentVerdict verdict) {
    experiments.put(verdict.experiment(), verdict);
  }

  private void newSeries(SeriesKey key) {
    Optional<SeriesPlan> plan = config.plan(key.run(), key.tag());
    if (plan.isPresent() && !overLimit(key)) {
      Watched w = new Watched(key, plan.get());
      try {
        w.judge = newJudge(w);
      } catch (ConfigException e) {
        listener.problem(
            "run '" + key.run() + "' tag '" + key.tag() + "' is not watched: " + e.getMessage());
        return;
      }
      watched.put(key, w);
      membersOf.computeIfAbsent(w.experiment, e -> new ArrayList<>()).add(w);
      if (w.overfitting != null) {
        w.twinCandidates = twinCandidates(w);
        awaitingTwin.add(w);
      }
    }
    // A new series may be the twin someone waits for.
    for (int i = awaitingTwin.size() - 1; i >= 0; i--) {
      Watched v = awaitingTwin.get(i);
      if (v.twinCandidates.contains(key) || tryResolve(v)) {
        if (v.twin == null) {
          v.twin = key;
        }
        twinOf.computeIfAbsent(v.twin, k -> new ArrayList<>()).add(v);
        awaitingTwin.remove(i);
        feedTwinSoFar(v);
      }
    }
  }

  /** Runs already told that they have more series than they may watch, and the logdir once. */
  private final java.util.Set<String> toldOverLimit = new java.util.HashSet<>();
  private boolean toldLogdirOverLimit;

  /**
   * Whether a new watched series would pass {@code max_series_per_run} or {@code max_series}:
   * then it is not watched (its points are still read, and it may be watched after a restart if
   * others left), and the run, or the logdir, is told once what was left out.
   */
  private boolean overLimit(SeriesKey key) {
    int ofRun = 0;
    List<Watched> members = membersOf.get(Experiments.of(key.run()));
    if (members != null) {
      for (Watched w : members) {
        if (w.key.run().equals(key.run())) {
          ofRun++;
        }
      }
    }
    if (ofRun >= config.maxSeriesPerRun()) {
      if (toldOverLimit.add(key.run())) {
        listener.problem(
            "run '" + key.run() + "' has " + ofRun + " watched series, the limit (detection.max_series_per_run);"
                + " tag '" + key.tag() + "' and any further new tags of this run are not watched");
      }
      return true;
    }
    if (watched.size() >= config.maxSeries()) {
      if (!toldLogdirOverLimit) {
        toldLogdirOverLimit = true;
        listener.problem(
            watched.size() + " watched series in memory, the limit (detection.max_series); run '" + key.run()
                + "' tag '" + key.tag() + "' and further new series are not watched while it holds");
      }
      return true;
    }
    return false;
  }

  private boolean tryResolve(Watched v) {
    for (SeriesKey candidate : v.twinCandidates) {
      if (known.containsKey(candidate)) {
        v.twin = candidate;
        return true;
      }
    }
    return false;
  }

  private void feedTwinSoFar(Watched v) {
    RunSeries twinRun = runs.get(v.twin.run());
    Series twin = twinRun == null ? null : twinRun.byTag().get(v.twin.tag());
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
    Queue q = queueOf(v.experiment);
    for (int i = 0; i < twin.size(); i++) {
      q.add(v, true, twin.step(i), twin.wallTime(i), twin.value(i), Double.NaN);
      queued();
    }
    if (!twin.isEmpty()) {
      dirty.add(v.key);
    }
    v.twinFedUpTo = twin.isEmpty() ? Long.MIN_VALUE : twin.lastStep();
  }

  private List<SeriesKey> twinCandidates(Watched w) {
    try {
      String tag = w.plan.twinTag();
      String run = w.plan.twinRun();
      if (tag != null || run != null) {
        return List.of(
            new SeriesKey(TwinFinder.resolveRun(w.key.run(), run), tag == null ? w.key.tag() : tag));
      }
    } catch (ConfigException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    return TwinFinder.candidates(w.key.run(), w.key.tag());
  }

  private SeriesJudge newJudge(Watched w) throws ConfigException {
    List<Detector> detectors = new ArrayList<>(w.plan.build());
    w.overfitting = null;
    boolean configuredTwin;
    try {
      configuredTwin = w.plan.twinTag() != null || w.plan.twinRun() != null;
    } catch (ConfigException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    boolean validation = TagClassifier.isValidation(w.key.run(), w.key.tag());
    for (int i = detectors.size() - 1; i >= 0; i--) {
      if (detectors.get(i) instanceof OverfittingDetector o) {
        if (validation || configuredTwin) {
          w.overfitting = o;
        } else {
          detectors.remove(i); // overfitting is judged on validation series only
        }
      }
    }
    if (detectors.isEmpty()) {
      // Only overfitting was asked for, on a series that cannot have it: still catch NaN.
      detectors.add(new DivergenceDetector(w.plan.mode(), DivergenceDetector.Params.DEFAULTS));
    }
    return new SeriesJudge(w.key.run(), w.key.tag(), w.plan.mode(), detectors);
  }

  /** After a restart dropped points: new detectors, replayed over the kept points. */
  private void rebuild(Watched w, Series series) {
    Verdict before = w.judge.verdict();
    OverfittingDetector oldOverfitting = w.overfitting;
    try {
      w.judge = newJudge(w);
    } catch (ConfigException e) {
      throw new IllegalStateException("detectors built once could not be built again", e);
    }
    if (oldOverfitting != null && w.overfitting != null && w.twin != null) {
      feedTwinSoFar(w);
    }
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
    combine(before, after, found);
    found.forEach(Runnable::run);
  }

  /**
   * A series' transition and what it does to its experiment's verdict, as listener calls added
   * to {@code found}. Reads and writes only that experiment's state: safe on a judge thread.
   */
  private void combine(Verdict before, Verdict after, List<Runnable> found) {
    found.add(() -> listener.seriesTransition(before, after));
    String experiment = Experiments.of(after.run());
    List<Verdict> members = new ArrayList<>();
    for (Watched w : membersOf.getOrDefault(experiment, List.of())) {
      members.add(w.judge.verdict());
    }
    ExperimentVerdict combined = RunCombiner.combine(experiment, members, config.convergedWhen(), config.stops());
    ExperimentVerdict previous = experiments.put(experiment, combined);
    if (previous == null || previous.status() != combined.status()) {
      found.add(() -> listener.runTransition(previous, combined));
    }
  }
}
