package dev.plateau.daemon;

import dev.plateau.detect.SeriesJudge;
import dev.plateau.state.JudgeStateCodec;
import dev.plateau.state.StateException;
import dev.plateau.state.StateStore;
import dev.plateau.verdict.ExperimentVerdict;
import dev.plateau.verdict.Experiments;
import dev.plateau.verdict.LogdirJudge;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which experiments leave memory and when they come back. An experiment without new points for the
 * park-after time is parked: its judges leave the judge (their states are in the store), its last
 * verdict stays published, and its first new point, or the time when a time rule could change its
 * verdict ({@code nextChangeAt}), brings its judges back from the store, as a restart would.
 * Experiments paired with another experiment (a twin across experiments) are not parked.
 *
 * <p>Asks the judge and the store, and answers the watcher with runs: those to read again (a state
 * that cannot be read back) and those that left memory. Used on the polling thread only.
 */
final class ExperimentParking {
  // Logs as the watcher, whose part this is: its lines keep the logger name people filter on.
  private static final Logger log = LoggerFactory.getLogger(Watcher.class);

  /** How long an experiment goes without new points before it leaves memory, by default. */
  static final Duration DEFAULT_PARK_AFTER = Duration.ofMinutes(1);

  private static final int MANY_PARKED = 100;

  /** Many experiments parked in this round: a full collection is due at its end. */
  private boolean collectionDue;

  private final String logdir;
  private final LogdirJudge judge;
  private final StateStore store;
  private final Clock clock;

  /** Experiments out of memory, with their verdict when they left (for the status page and API). */
  private final Map<String, ExperimentVerdict> parked = new HashMap<>();

  /** The runs of every parked experiment, to bring back. */
  private final Map<String, Set<String>> parkedRuns = new HashMap<>();

  /**
   * When time alone could change a parked experiment's verdict (clock millis; a job that died is
   * STALLED an hour after its last point): it is brought back then, for the time rules to judge.
   */
  private final Map<String, Long> parkedUntil = new HashMap<>();

  /** When each experiment in memory last had a point (clock millis). */
  private final Map<String, Long> lastActivity = new HashMap<>();

  private long parkAfterMillis = DEFAULT_PARK_AFTER.toMillis();
  private long lastParkCheck;

  ExperimentParking(String logdir, LogdirJudge judge, StateStore store, Clock clock) {
    this.logdir = logdir;
    this.judge = judge;
    this.store = store;
    this.clock = clock;
  }

  /** Experiments without new points for {@code idle} are parked; zero parks none. */
  void parkAfter(Duration idle) {
    this.parkAfterMillis = idle.isZero() ? Long.MAX_VALUE : idle.toMillis();
  }

  /** Whether experiments may park at all. */
  boolean enabled() {
    return parkAfterMillis != Long.MAX_VALUE;
  }

  /** How many parked experiments have a verdict to show. */
  int withVerdicts() {
    return parked.size();
  }

  /** How many experiments are parked. */
  int size() {
    return parkedRuns.size();
  }

  /** The verdicts of the parked experiments, as they were when they left. */
  Collection<ExperimentVerdict> verdicts() {
    return parked.values();
  }

  /** An experiment that starts parked at a restart (see {@link StateRestorer}). */
  void startParked(String experiment, Set<String> runs, ExperimentVerdict verdict, double wakeAt) {
    parkedRuns.put(experiment, runs);
    if (verdict != null) {
      parked.put(experiment, verdict);
    }
    wakeAt(experiment, wakeAt);
  }

  /** An experiment that starts in memory at a restart: it is idle from now on. */
  void startInMemory(String experiment) {
    lastActivity.put(experiment, clock.millis());
  }

  /**
   * A point of {@code run} was read: its experiment is active, and back in memory if it was parked.
   * Returns the runs to read again (whose saved states could not be brought back).
   */
  Set<String> touch(String run) {
    String experiment = Experiments.of(run);
    Set<String> rereads = Set.of();
    if (!parkedRuns.isEmpty() && parkedRuns.containsKey(experiment)) {
      rereads = unpark(experiment);
    }
    lastActivity.put(experiment, clock.millis());
    return rereads;
  }

  /** Whether the few seconds between two looks at idle experiments have passed; if so, a look. */
  boolean lookDue() {
    long now = clock.millis();
    if (!enabled() || now - lastParkCheck < Math.min(5_000, parkAfterMillis)) {
      return false;
    }
    lastParkCheck = now;
    return true;
  }

  /**
   * Brings back parked experiments whose time has come, for the next round's time rules. Returns
   * the runs to read again.
   */
  Set<String> wakeDue() {
    if (parkedUntil.isEmpty()) {
      return Set.of();
    }
    long now = clock.millis();
    List<String> due = new ArrayList<>();
    parkedUntil.forEach(
        (experiment, at) -> {
          if (at <= now) {
            due.add(experiment);
          }
        });
    Set<String> rereads = new LinkedHashSet<>();
    for (String experiment : due) {
      rereads.addAll(unpark(experiment));
      lastActivity.put(experiment, now);
      log.debug("{}: experiment '{}' back in memory for its time rules", logdir, experiment);
    }
    return rereads;
  }

  /** Parks the experiments idle for longer than the park-after time; returns the runs that left. */
  Set<String> parkIdle() {
    long now = clock.millis();
    int parkedNow = 0;
    Set<String> leaving = new HashSet<>();
    Set<String> tied = null;
    Map<String, Set<String>> runsOf = null;
    for (var it = lastActivity.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Long> e = it.next();
      String experiment = e.getKey();
      if (now - e.getValue() < parkAfterMillis) {
        continue;
      }
      if (tied == null) {
        tied = judge.notSelfContained();
        runsOf = judge.runsByExperiment();
      }
      if (tied.contains(experiment)) {
        continue;
      }
      Set<String> runs = runsOf.getOrDefault(experiment, Set.of());
      ExperimentVerdict verdict = judge.experimentVerdict(experiment);
      double wake = judge.nextChangeAt(experiment);
      leaving.addAll(runs);
      if (verdict != null) {
        parked.put(experiment, verdict);
      }
      parkedRuns.put(experiment, runs);
      wakeAt(experiment, wake);
      it.remove();
      parkedNow++;
      log.debug(
          "{}: experiment '{}' parked after {} ms without points",
          logdir,
          experiment,
          now - e.getValue());
    }
    if (!leaving.isEmpty()) {
      judge.evictAll(leaving);
    }
    if (parkedNow >= MANY_PARKED) {
      log.info("{}: {} idle experiments left memory", logdir, parkedNow);
      collectionDue = true;
    }
    return leaving;
  }

  /**
   * Asks for a full collection when many experiments parked in this round; called at the end of the
   * round, once the status page's curves and the published verdicts have let go of them too. After
   * a backfill most experiments go idle at once: the collection lets the heap shrink (the image
   * runs SerialGC with MaxHeapFreeRatio and -ShrinkHeapInSteps, so at once) and returns the memory
   * to the OS, which an idle daemon would otherwise hold until its next full collection, maybe
   * never. Asked for inside {@link #parkIdle}, it came while the curves still held the parked
   * series: with 10,000 idle runs the heap stayed sized for a live set a later collection found to
   * be much smaller.
   */
  void collectIfDue() {
    if (collectionDue) {
      collectionDue = false;
      System.gc();
    }
  }

  private void wakeAt(String experiment, double seconds) {
    if (seconds < Double.POSITIVE_INFINITY) {
      parkedUntil.put(experiment, (long) Math.ceil(Math.max(seconds, 0) * 1000));
    }
  }

  /** Brings a parked experiment's judges back from the store; returns the runs to read again. */
  private Set<String> unpark(String experiment) {
    parkedUntil.remove(experiment);
    Set<String> runs = parkedRuns.remove(experiment);
    parked.remove(experiment);
    if (runs == null) {
      return Set.of();
    }
    Set<String> rereads = new LinkedHashSet<>();
    for (String run : runs) {
      try {
        for (Map.Entry<String, byte[]> e : store.seriesOfRun(run).entrySet()) {
          SeriesJudge j = judge.register(run, e.getKey());
          if (j == null) {
            continue;
          }
          try {
            JudgeStateCodec.read(e.getValue(), j);
          } catch (RuntimeException mismatch) {
            rereads.add(run);
          }
        }
      } catch (StateException e) {
        log.warn(
            "{}: cannot bring back run '{}' ({}); reading it again", logdir, run, e.getMessage());
        rereads.add(run);
      }
    }
    log.debug("{}: experiment '{}' back in memory", logdir, experiment);
    return rereads;
  }

  /**
   * Runs gone from the logdir: they leave the parked experiments' runs. Returns whether {@code
   * experiment} has runs left, in memory ({@code inMemory}) or parked; if not, it is forgotten.
   */
  boolean runsGone(String experiment, Set<String> gone, boolean inMemory) {
    Set<String> parkedOf = parkedRuns.get(experiment);
    if (parkedOf != null) {
      parkedOf.removeAll(gone);
    }
    if (inMemory || (parkedOf != null && !parkedOf.isEmpty())) {
      return true;
    }
    parked.remove(experiment);
    parkedRuns.remove(experiment);
    parkedUntil.remove(experiment);
    lastActivity.remove(experiment);
    return false;
  }

  /**
   * Forgets every parked experiment (the store holding their states was lost); returns their runs.
   */
  Set<String> forgetParked() {
    Set<String> runs = new LinkedHashSet<>();
    parkedRuns.values().forEach(runs::addAll);
    parked.clear();
    parkedRuns.clear();
    parkedUntil.clear();
    return runs;
  }
}
