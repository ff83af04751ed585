package dev.plateau.daemon;

import dev.plateau.state.StateException;
import dev.plateau.state.StateStore;
import dev.plateau.tail.FileCursor;
import dev.plateau.tail.LogdirSource;
import dev.plateau.verdict.ExperimentVerdict;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state database deleted (or replaced) while running: commits would go to a file nobody can
 * open again, and a restart would send everything again. Said once; a new database is started at
 * the same path and filled from what is in memory: every experiment's status and transition count
 * (so nothing already sent is sent again), and every run read again from its files (their judges'
 * states, parked experiments' too, were in the lost file).
 */
final class LostStateRecovery {
  // Logs as the watcher, whose part this is: its lines keep the logger name people filter on.
  private static final Logger log = LoggerFactory.getLogger(Watcher.class);

  private final Path logdir;
  private final StateStore store;
  private final LogdirSource tailer;
  private final ExperimentParking parking;
  private final TransitionRecorder recorder;
  private final PendingRound pending;

  LostStateRecovery(
      Path logdir,
      StateStore store,
      LogdirSource tailer,
      ExperimentParking parking,
      TransitionRecorder recorder,
      PendingRound pending) {
    this.logdir = logdir;
    this.store = store;
    this.tailer = tailer;
    this.parking = parking;
    this.recorder = recorder;
    this.pending = pending;
  }

  /**
   * When the store was lost, starts a new one and returns the runs to read again from their files;
   * empty when the store is there (or a new one could not be made: tried next round).
   *
   * @param published the experiments' last published verdicts, for their flags' content
   */
  Optional<Set<String>> recoverIfLost(List<ExperimentVerdict> published) {
    if (!store.lost()) {
      return Optional.empty();
    }
    log.warn(
        "{}: state database {} was deleted or replaced while running; starting a new one from"
            + " what is in memory and the event files (nothing already sent is sent again)",
        logdir,
        store.file());
    try {
      store.recreate();
    } catch (StateException e) {
      log.error("{}: {}; trying again with the next round", logdir, e.getMessage());
      return Optional.empty();
    }
    Set<String> runs = new LinkedHashSet<>();
    for (FileCursor file : tailer.cursors()) {
      runs.add(file.run());
    }
    runs.addAll(parking.forgetParked());
    pending.forgetCommittedPositions();
    recorder.writeAllAgain(published);
    return Optional.of(runs);
  }
}
