package dev.plateau.daemon;

import dev.plateau.tail.LogdirSource;
import dev.plateau.verdict.Experiments;
import dev.plateau.verdict.LogdirJudge;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs that start over, collected during a round and applied before its commit: runs to read again
 * from their files' start (a file reset, a rewind into points not kept, a state that does not fit,
 * a lost state database) and runs whose directory is gone. Either way the run's rows are deleted
 * with the commit, so a crash right after cannot resume past the points a reread needs, nor bring a
 * gone run back.
 */
final class RunResets {
  // Logs as the watcher, whose part this is: its lines keep the logger name people filter on.
  private static final Logger log = LoggerFactory.getLogger(Watcher.class);

  private final Path logdir;
  private final LogdirSource tailer;
  private final LogdirJudge judge;
  private final ExperimentParking parking;
  private final PendingRound pending;
  private final Set<String> rereads = new LinkedHashSet<>();
  private final Set<String> gone = new LinkedHashSet<>();

  RunResets(
      Path logdir,
      LogdirSource tailer,
      LogdirJudge judge,
      ExperimentParking parking,
      PendingRound pending) {
    this.logdir = logdir;
    this.tailer = tailer;
    this.judge = judge;
    this.parking = parking;
    this.pending = pending;
  }

  /** {@code run} is to be read again from its files' start. */
  void readAgain(String run) {
    rereads.add(run);
  }

  void readAgain(Collection<String> runs) {
    rereads.addAll(runs);
  }

  /** Whether {@code run} waits to be read again (its points are not fed until then). */
  boolean readsAgain(String run) {
    return rereads.contains(run);
  }

  /** Whether any run waits to be read again. */
  boolean anyRereads() {
    return !rereads.isEmpty();
  }

  /** {@code run}'s directory went away: it leaves the judged set this round. */
  void gone(String run) {
    gone.add(run);
  }

  /**
   * Runs deleted or renamed leave the judged set: their series and judges go from memory and from
   * the store (committed with this round), so no time rule judges them, no alert or flag is made
   * for them, and a restart does not bring them back; their verdicts stay in the history. An
   * experiment left without runs leaves the status page. A run that comes back is a new run.
   * Returns whether any run went.
   */
  boolean dropGone() {
    if (gone.isEmpty()) {
      return false;
    }
    Set<String> runs = new LinkedHashSet<>(gone);
    gone.clear();
    judge.evictAll(runs);
    Set<String> experiments = new LinkedHashSet<>();
    for (String run : runs) {
      experiments.add(Experiments.of(run));
      pending.reset(run);
      rereads.remove(run);
    }
    Map<String, Set<String>> inMemory = judge.runsByExperiment();
    for (String experiment : experiments) {
      if (!parking.runsGone(experiment, runs, inMemory.containsKey(experiment))) {
        pending.noFlag(experiment);
        log.info(
            "{}: experiment '{}' has no runs left; it leaves the judged set (its verdicts stay in"
                + " the history)",
            logdir,
            experiment);
      }
    }
    return true;
  }

  /** Sets the runs asked for, and the runs paired with them, to be read again; returns how many. */
  int applyRereads() {
    Set<String> all = new LinkedHashSet<>();
    for (String run : rereads) {
      all.add(run);
      all.addAll(judge.runsPairedWith(run));
    }
    for (String run : all) {
      log.info("{}: reading run '{}' again from its files' start", logdir, run);
      tailer.rereadRun(run);
      judge.forgetRun(run);
      pending.reset(run);
    }
    rereads.clear();
    return all.size();
  }
}
