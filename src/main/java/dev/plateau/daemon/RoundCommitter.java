package dev.plateau.daemon;

import dev.plateau.series.Series;
import dev.plateau.series.SeriesKey;
import dev.plateau.state.StateException;
import dev.plateau.state.StateStore;
import dev.plateau.tail.LogdirSource;
import dev.plateau.verdict.LogdirJudge;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what a round leaves pending ({@link PendingRound}) to the store in one transaction, and
 * then settles it: the recorded transitions are counted and logged, the flags brought in line, the
 * curves of the saved series published. Knows when a checkpoint (a whole commit) is due.
 */
final class RoundCommitter {
  // Logs as the watcher, whose part this is: its lines keep the logger name people filter on.
  private static final Logger log = LoggerFactory.getLogger(Watcher.class);

  private final Path logdir;
  private final StateStore store;
  private final LogdirJudge judge;
  private final LogdirSource tailer;
  private final PendingRound pending;
  private final FlagApplier flags;
  private final PublishedVerdicts published;
  private final Function<SeriesKey, @Nullable Series> kept;
  private final Clock clock;
  private DaemonMetrics metrics = new DaemonMetrics();
  private long checkpointMillis;
  private long lastCommitMillis = Long.MIN_VALUE;

  RoundCommitter(
      Path logdir,
      StateStore store,
      LogdirJudge judge,
      LogdirSource tailer,
      PendingRound pending,
      FlagApplier flags,
      PublishedVerdicts published,
      Function<SeriesKey, @Nullable Series> kept,
      Clock clock) {
    this.logdir = logdir;
    this.store = store;
    this.judge = judge;
    this.tailer = tailer;
    this.pending = pending;
    this.flags = flags;
    this.published = published;
    this.kept = kept;
    this.clock = clock;
  }

  /** A checkpoint at most every {@code interval} (see {@link Watcher#checkpointEvery}). */
  void checkpointEvery(Duration interval) {
    this.checkpointMillis = interval.toMillis();
  }

  void metrics(DaemonMetrics shared) {
    this.metrics = shared;
  }

  /**
   * Whether this round commits everything read: runs are reset, nothing was committed yet, or the
   * checkpoint interval has passed since the last whole commit.
   */
  boolean checkpointDue() {
    return pending.hasResets()
        || lastCommitMillis == Long.MIN_VALUE
        || clock.millis() - lastCommitMillis >= checkpointMillis;
  }

  /**
   * Commits what is pending. {@code whole}: every file position and every series state read since
   * the last commit (a checkpoint); otherwise only those of the experiments with a transition to
   * record (the rest waits for the checkpoint). Experiments are judged independently, so each one's
   * positions and states stay consistent with each other: after a crash, an experiment left out is
   * read again from its own last commit and decides the same. A transition on a logdir of a
   * thousand live runs used to save all their states (megabytes) at once.
   */
  boolean commit(boolean whole) {
    pending.unsaved(judge.takeDirty());
    PendingRound.Commit commit =
        pending.prepare(
            whole, judge::notSelfContained, tailer.cursors(), k -> judge.judgeOf(k.run(), k.tag()));
    for (SeriesKey key : commit.saved()) {
      Series points = kept.apply(key);
      if (points != null) {
        published.curve(key, points);
      }
    }
    if (commit.batch().isEmpty()) {
      if (commit.all()) {
        lastCommitMillis = clock.millis();
      }
      return true;
    }
    try {
      List<String> recorded = store.commit(commit.batch());
      if (commit.all()) {
        lastCommitMillis = clock.millis(); // the checkpoint interval counts from whole commits
      }
      for (PendingRound.Transition t : commit.transitions()) {
        String id = t.alert().id();
        String experiment = t.alert().experiment();
        if (recorded.contains(id)) {
          metrics.verdict(t.alert().status());
          log.atInfo()
              .addKeyValue("logdir", logdir)
              .addKeyValue("experiment", experiment)
              .addKeyValue("previous_status", t.before().jsonName())
              .addKeyValue("status", t.alert().status().jsonName())
              .addKeyValue("verdict_id", id)
              .log(
                  "{} {}: {} -> {} ({})",
                  logdir,
                  experiment,
                  t.before().jsonName(),
                  t.alert().status().jsonName(),
                  id);
        } else {
          log.debug(
              "{} {}: {} was recorded before (a round decided again)", logdir, experiment, id);
        }
      }
      for (PendingRound.Flag flag : pending.written(commit)) {
        try {
          flags.apply(flag.experiment(), flag.state().status(), flag.state().verdict());
        } catch (RuntimeException unexpected) {
          // One experiment's flag never fails the round (the others' flags, the next rounds).
          log.warn(
              "{}: flag for '{}' not written: {}",
              logdir,
              flag.experiment(),
              unexpected.toString());
        }
      }
      return true;
    } catch (StateException e) {
      // Everything stays pending, series states included: written again with the next round.
      log.error("{}; the round stays pending and is committed with the next one", e.getMessage());
      return false;
    }
  }
}
