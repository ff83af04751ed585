package dev.plateau.verdict;

import dev.plateau.detect.Verdict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The detectors' work, queued per experiment in arrival order and judged in batches: when the judge
 * needs a result, or when {@value #LIMIT} points are queued. Different experiments' queues are
 * judged at the same time on the {@link JudgeThreads}: experiments share nothing that their
 * detectors touch (a validation series' twin points are queued to the validation series'
 * experiment). What judging found reaches the listener on the calling thread, experiment after
 * experiment in the order their first queued point arrived, so the outcome is the same whatever the
 * number of threads.
 *
 * <p>Not thread-safe: the judge's feeding thread uses it.
 */
final class ExperimentQueues {
  /** Points queued (over all experiments) before they are judged without waiting to be asked. */
  static final int LIMIT = 1 << 18;

  /**
   * What a series' transition does, found while judging: listener calls added to {@code found}.
   * Called on a judge thread; must touch only the series' experiment.
   */
  interface TransitionFound {
    void found(Verdict before, Verdict after, List<Runnable> found);
  }

  private final TransitionFound transitions;

  /** Experiments with queued work, in the order their first queued point arrived. */
  private final Map<String, Queue> queued = new LinkedHashMap<>();

  private int queuedPoints;
  private int limit = LIMIT;
  private JudgeThreads threads = JudgeThreads.SERIAL;

  ExperimentQueues(TransitionFound transitions) {
    this.transitions = transitions;
  }

  void judgeOn(JudgeThreads threads) {
    this.threads = Objects.requireNonNull(threads);
  }

  /** Judges the queues once this many points are queued ({@link #LIMIT}; lower in tests). */
  void limitTo(int points) {
    this.limit = points;
  }

  /** Queues a point of {@code w} for its judge ({@code arrivedAt} NaN: not a live judge). */
  void point(WatchedSeries w, long step, double wallTime, double value, double arrivedAt) {
    queueOf(w.experiment).add(w, false, step, wallTime, value, arrivedAt);
    added();
  }

  /** Queues a point of {@code v}'s training twin for its overfitting detector. */
  void twinPoint(WatchedSeries v, long step, double wallTime, double value) {
    queueOf(v.experiment).add(v, true, step, wallTime, value, Double.NaN);
    added();
  }

  /**
   * Queues a point of a learning-rate series of {@code w}'s experiment ({@code source}: run and
   * tag) for its judge.
   */
  void learningRatePoint(WatchedSeries w, String source, long step, double value) {
    Queue q = queueOf(w.experiment);
    q.add(w, false, step, Double.NaN, value, Double.NaN);
    q.learningRate[q.size - 1] = source;
    added();
  }

  /** Judges every queued point now, on the judge threads, and reports what was found. */
  void judgeAll() {
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
  void judge(String experiment) {
    Queue q = queued.remove(experiment);
    if (q != null) {
      queuedPoints -= q.size;
      q.judge();
      q.report();
    }
  }

  private Queue queueOf(String experiment) {
    return queued.computeIfAbsent(experiment, e -> new Queue());
  }

  private void added() {
    if (++queuedPoints >= limit) {
      judgeAll();
    }
  }

  /**
   * One experiment's queued work, in arrival order: points for a series' judge, or twin points for
   * a validation series' overfitting detector; and the transitions that judging them found, held
   * for the listener.
   */
  private final class Queue {
    int size;
    WatchedSeries[] who = new WatchedSeries[16];
    boolean[] twin = new boolean[16];
    // The learning-rate series of a learning-rate point, else null.
    String[] learningRate = new String[16];
    long[] step = new long[16];
    double[] wallTime = new double[16];
    double[] value = new double[16];
    double[] arrival = new double[16];

    /**
     * The listener calls judging found, in order, made on the feeding thread by {@link #report}.
     */
    final List<Runnable> found = new ArrayList<>();

    void add(WatchedSeries w, boolean isTwin, long s, double t, double v, double arrivedAt) {
      if (size == who.length) {
        int n = size * 2;
        who = Arrays.copyOf(who, n);
        twin = Arrays.copyOf(twin, n);
        learningRate = Arrays.copyOf(learningRate, n);
        step = Arrays.copyOf(step, n);
        wallTime = Arrays.copyOf(wallTime, n);
        value = Arrays.copyOf(value, n);
        arrival = Arrays.copyOf(arrival, n);
      }
      who[size] = w;
      twin[size] = isTwin;
      learningRate[size] = null;
      step[size] = s;
      wallTime[size] = t;
      value[size] = v;
      arrival[size] = arrivedAt;
      size++;
    }

    /** Judges the queued points; touches only this experiment's detectors. */
    void judge() {
      for (int i = 0; i < size; i++) {
        WatchedSeries w = who[i];
        who[i] = null;
        if (twin[i]) {
          w.overfitting.observeTwin(step[i], wallTime[i], value[i]);
          continue;
        }
        if (learningRate[i] != null) {
          w.judge.learningRate(learningRate[i], step[i], value[i]);
          learningRate[i] = null;
          continue;
        }
        if (!Double.isNaN(arrival[i])) {
          w.judge.arrivedAt(arrival[i]);
        }
        Verdict changed = w.judge.observe(step[i], wallTime[i], value[i]);
        if (changed != null) {
          transitions.found(w.judge.beforeLastChange(), changed, found);
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
}
