package dev.plateau.daemon;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plateau.detect.SeriesJudge;
import dev.plateau.detect.Status;
import dev.plateau.series.SeriesKey;
import dev.plateau.sink.Alert;
import dev.plateau.sink.AlertMemory;
import dev.plateau.state.JudgeStateCodec;
import dev.plateau.state.RecordedVerdict;
import dev.plateau.state.StateBatch;
import dev.plateau.tail.FileCursor;
import dev.plateau.verdict.Experiments;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What the next commit carries: the experiments' net transitions (a verdict to record, the sinks it
 * goes to), their statuses and the flags that follow them, the series whose detector states
 * changed, the runs to read again from their start, and the file positions as last committed (to
 * tell which moved). Everything stays here until a commit succeeds, so a failed commit is tried
 * again, whole, with the next round.
 *
 * <p>The one place the daemon makes the store's rows ({@link StateBatch}, {@link RecordedVerdict}):
 * statuses are {@link Status}es and verdicts JSON objects up to here.
 */
final class PendingRound {
  /**
   * An experiment's transition since the last commit, and what it replaced: the committed status
   * and alert memory, so that a change undone before its commit records nothing.
   *
   * @param alert the alert that records it (its id is the recorded verdict's)
   * @param before the status it changed from (the committed one), recorded with the verdict (its
   *     message's {@code previous_status} is the status last settled on, in its payload)
   * @param decidedAtStep the deciding series' decided step, or null
   * @param sinks names of the sinks the alert goes to
   * @param committed the experiment's alert memory at the last commit
   */
  record Transition(
      Alert alert,
      Status before,
      @Nullable Long decidedAtStep,
      List<String> sinks,
      AlertMemory committed) {}

  /**
   * An experiment's status as the next commit writes it.
   *
   * @param status the status
   * @param verdict what its flag holds (the alert payload of its last transition)
   * @param memory what its transitions so far leave behind for the next one
   */
  record ExperimentState(Status status, ObjectNode verdict, AlertMemory memory) {}

  /** A prepared commit: the batch for the store, and what to settle once it is written. */
  record Commit(
      StateBatch batch,
      boolean all,
      List<FileCursor> files,
      List<SeriesKey> considered,
      List<SeriesKey> saved,
      List<Transition> transitions) {}

  /** A flag to bring in line once the commit is written. */
  record Flag(String experiment, ExperimentState state) {}

  private final Map<String, Transition> transitions = new LinkedHashMap<>();
  private final Map<String, ExperimentState> experiments = new LinkedHashMap<>();
  private final Set<String> flags = new LinkedHashSet<>();
  private final Set<SeriesKey> unsavedSeries = new LinkedHashSet<>();
  private final Set<String> resetRuns = new LinkedHashSet<>();
  private final Map<String, FileCursor> committedCursors = new HashMap<>();

  /** Records {@code experiment}'s transition, its new status and its flag, replacing any before. */
  void transition(String experiment, Transition transition, ExperimentState state) {
    transitions.put(experiment, transition);
    experiments.put(experiment, state);
    flags.add(experiment);
  }

  /**
   * Takes back {@code experiment}'s pending transition (its status stays pending); null if none.
   */
  @Nullable Transition withdraw(String experiment) {
    return transitions.remove(experiment);
  }

  /** Drops {@code experiment}'s pending status and flag: it is back to its committed status. */
  void unchanged(String experiment) {
    experiments.remove(experiment);
    flags.remove(experiment);
  }

  /** Writes {@code experiment}'s status with the next commit, unless a transition already does. */
  void statusAgain(String experiment, ExperimentState state) {
    experiments.putIfAbsent(experiment, state);
  }

  /** An experiment that left the judged set gets no flag. */
  void noFlag(String experiment) {
    flags.remove(experiment);
  }

  int transitionCount() {
    return transitions.size();
  }

  /** Whether a transition or a status waits, so the round must commit now. */
  boolean hasNews() {
    return !transitions.isEmpty() || !experiments.isEmpty();
  }

  /** Whether runs wait to be reset in the store, so the round must commit now. */
  boolean hasResets() {
    return !resetRuns.isEmpty();
  }

  /** Whether series states or resets are not yet written (an experiment must not park then). */
  boolean hasUnsaved() {
    return !unsavedSeries.isEmpty() || !resetRuns.isEmpty();
  }

  void unsaved(SeriesKey key) {
    unsavedSeries.add(key);
  }

  void unsaved(List<SeriesKey> keys) {
    unsavedSeries.addAll(keys);
  }

  /**
   * A run read again or gone: its unsaved states and committed positions are dropped, and its rows
   * are deleted with the next commit.
   */
  void reset(String run) {
    unsavedSeries.removeIf(k -> k.run().equals(run));
    committedCursors.values().removeIf(c -> c.run().equals(run));
    resetRuns.add(run);
  }

  /** A file position as the store has it (at a restart). */
  void committed(FileCursor cursor) {
    committedCursors.put(cursor.path(), cursor);
  }

  /** The store was lost: no file position is committed any more. */
  void forgetCommittedPositions() {
    committedCursors.clear();
  }

  /**
   * The commit of what is pending. {@code whole}: every file position and every series state read
   * since the last commit (a checkpoint); otherwise only those of the experiments with a transition
   * or status to write, or all of them when one of those is {@code tied} to another experiment
   * (asked only then: it is a pass over every series).
   */
  Commit prepare(
      boolean whole,
      Supplier<Set<String>> tied,
      Collection<FileCursor> files,
      Function<SeriesKey, SeriesJudge> judges) {
    Set<String> only = whole ? null : experimentsToCommit(tied);
    List<FileCursor> changed = new ArrayList<>();
    for (FileCursor c : files) {
      FileCursor before = committedCursors.get(c.path());
      if (c != before) {
        if (c.equals(before)) {
          committedCursors.put(c.path(), c); // the same from now on (restored cursors are copies)
        } else if (only == null || only.contains(Experiments.of(c.run()))) {
          changed.add(c);
        }
      }
    }
    Map<SeriesKey, byte[]> series = new LinkedHashMap<>();
    Map<SeriesKey, byte[]> summaries = new HashMap<>();
    List<SeriesKey> considered = new ArrayList<>();
    List<SeriesKey> saved = new ArrayList<>();
    for (SeriesKey key : unsavedSeries) {
      if (only != null && !only.contains(Experiments.of(key.run()))) {
        continue;
      }
      considered.add(key);
      SeriesJudge j = judges.apply(key);
      if (j != null) {
        series.put(key, JudgeStateCodec.write(j));
        summaries.put(key, JudgeStateCodec.summary(j));
        saved.add(key);
      }
    }
    List<RecordedVerdict> verdicts = new ArrayList<>();
    Map<String, List<String>> sinksFor = new HashMap<>();
    transitions.forEach(
        (experiment, t) -> {
          Alert alert = t.alert();
          verdicts.add(
              new RecordedVerdict(
                  alert.id(),
                  experiment,
                  alert.status(),
                  t.before(),
                  t.decidedAtStep(),
                  alert.payload().toString()));
          sinksFor.put(alert.id(), t.sinks());
        });
    Map<String, StateBatch.ExperimentStatus> statuses = new LinkedHashMap<>();
    experiments.forEach(
        (experiment, s) ->
            statuses.put(
                experiment,
                new StateBatch.ExperimentStatus(s.status(), s.verdict().toString(), s.memory())));
    StateBatch batch =
        new StateBatch(
            changed, series, statuses, verdicts, sinksFor, new ArrayList<>(resetRuns), summaries);
    return new Commit(
        batch, only == null, changed, considered, saved, new ArrayList<>(transitions.values()));
  }

  private Set<String> experimentsToCommit(Supplier<Set<String>> tiedExperiments) {
    Set<String> only = new HashSet<>(experiments.keySet());
    only.addAll(transitions.keySet());
    Set<String> tied = tiedExperiments.get();
    for (String experiment : only) {
      if (tied.contains(experiment)) {
        return null; // paired with another experiment: both are committed, and so all
      }
    }
    return only;
  }

  /**
   * {@code commit} is written: what it carried is no longer pending. Returns the flags to bring in
   * line now.
   */
  List<Flag> written(Commit commit) {
    if (commit.all()) {
      unsavedSeries.clear();
    } else {
      commit.considered().forEach(unsavedSeries::remove);
    }
    resetRuns.clear();
    for (FileCursor c : commit.files()) {
      committedCursors.put(c.path(), c);
    }
    transitions.clear();
    List<Flag> due = new ArrayList<>(flags.size());
    for (String experiment : flags) {
      due.add(new Flag(experiment, experiments.get(experiment)));
    }
    experiments.clear();
    flags.clear();
    return due;
  }
}
