package dev.plateau.daemon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plateau.detect.SeriesJudge;
import dev.plateau.detect.Status;
import dev.plateau.detect.Verdict;
import dev.plateau.series.SeriesKey;
import dev.plateau.state.JudgeStateCodec;
import dev.plateau.state.SeriesSummary;
import dev.plateau.state.StateBatch;
import dev.plateau.state.StateException;
import dev.plateau.state.StateStore;
import dev.plateau.tail.FileCursor;
import dev.plateau.tail.LogdirSource;
import dev.plateau.verdict.ExperimentVerdict;
import dev.plateau.verdict.Experiments;
import dev.plateau.verdict.JudgeThreads;
import dev.plateau.verdict.LogdirJudge;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A restart from the state database: file positions, experiment statuses and transition counts,
 * every saved series registered with the judge (so twins are found as while running), and the
 * detector states of the experiments that stay in memory; the others start parked, their verdicts
 * combined from the series' summaries. Flag files are brought in line with the committed statuses
 * on a thread of their own meanwhile (a crash may have come between a commit and its flag).
 *
 * <p>Reads the store's rows back at a restart (a parked experiment's saved states are read back by
 * {@link ExperimentParking} when it wakes).
 */
final class StateRestorer {
  // Logs as the watcher, whose part this is: its lines keep the logger name people filter on.
  private static final Logger log = LoggerFactory.getLogger(Watcher.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What a restart found.
   *
   * @param files file positions restored
   * @param experiments experiments with saved series
   * @param rereads runs whose saved states do not fit (another configuration, damage): to read
   *     again from their files
   * @param withoutSummary series saved by a version without summaries: to save again with one, so
   *     that their experiments too can start parked next time
   */
  record Restored(
      int files, int experiments, Set<String> rereads, List<SeriesKey> withoutSummary) {}

  private final StateStore store;
  private final LogdirSource tailer;
  private final LogdirJudge judge;
  private final FlagApplier flags;
  private final ExperimentParking parking;
  private final TransitionRecorder recorder;
  private final PendingRound pending;

  StateRestorer(
      StateStore store,
      LogdirSource tailer,
      LogdirJudge judge,
      FlagApplier flags,
      ExperimentParking parking,
      TransitionRecorder recorder,
      PendingRound pending) {
    this.store = store;
    this.tailer = tailer;
    this.judge = judge;
    this.flags = flags;
    this.parking = parking;
    this.recorder = recorder;
    this.pending = pending;
  }

  /** Restores everything; detector states and summaries are read on {@code threads}. */
  Restored restore(JudgeThreads threads) throws StateException {
    List<FileCursor> cursors = store.files();
    tailer.restore(cursors);
    cursors.forEach(pending::committed);
    Map<String, StateBatch.ExperimentStatus> saved = store.experiments();
    for (Map.Entry<String, StateBatch.ExperimentStatus> e : saved.entrySet()) {
      Status status = e.getValue().status();
      recorder.restored(e.getKey(), status, e.getValue().alerts());
      judge.restoreExperiment(
          new ExperimentVerdict(e.getKey(), status, List.of(), List.of(), "restored"));
    }
    // Flags are brought in line on a thread of their own while the series are restored (they need
    // nothing but the committed verdicts); restore returns when both are done.
    Thread flagging = new Thread(() -> applyFlags(saved), "plateau-restore-flags");
    flagging.start();
    try {
      return restoreSeries(cursors.size(), threads);
    } finally {
      try {
        flagging.join();
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void applyFlags(Map<String, StateBatch.ExperimentStatus> saved) {
    for (Map.Entry<String, StateBatch.ExperimentStatus> e : saved.entrySet()) {
      try {
        flags.apply(
            e.getKey(),
            e.getValue().status(),
            (ObjectNode) JSON.readTree(e.getValue().verdictJson()));
      } catch (JsonProcessingException | ClassCastException bad) {
        log.warn(
            "experiment '{}': stored verdict is unreadable; its flag waits for the next verdict",
            e.getKey());
      } catch (RuntimeException unexpected) {
        log.warn(
            "experiment '{}': its flag could not be brought in line at start-up: {}",
            e.getKey(),
            unexpected.toString());
      }
    }
  }

  /** A saved series, registered with the judge (null: not watched any more). */
  private record Saved(SeriesKey key, byte[] summary, SeriesJudge judge) {}

  /** How an experiment starts: parked with a verdict from its summaries, or in memory. */
  private record Start(
      String experiment,
      List<Saved> series,
      ExperimentVerdict parkedVerdict,
      double wake,
      boolean parks) {}

  private Restored restoreSeries(int files, JudgeThreads threads) throws StateException {
    // Every saved series is registered, in order, so that twins between experiments are found as
    // while running; then the experiments that can start parked leave memory again.
    Map<String, List<Saved>> byExperiment = new LinkedHashMap<>();
    for (Map.Entry<SeriesKey, byte[]> e : store.seriesSummaries().entrySet()) {
      SeriesKey key = e.getKey();
      SeriesJudge j = judge.register(key.run(), key.tag());
      byExperiment
          .computeIfAbsent(Experiments.of(key.run()), k -> new ArrayList<>())
          .add(new Saved(key, e.getValue(), j));
    }
    Set<String> tied = parking.enabled() ? judge.notSelfContained() : Set.of();
    // Summaries are read and combined on the judge threads, an experiment per task (no judge
    // state is touched: only the judges' detector names are read).
    List<Map.Entry<String, List<Saved>>> experiments = new ArrayList<>(byExperiment.entrySet());
    Start[] starts = new Start[experiments.size()];
    threads.run(
        IntStream.range(0, starts.length).boxed().toList(),
        i -> starts[i] = start(experiments.get(i).getKey(), experiments.get(i).getValue(), tied));
    Set<String> leaving = new HashSet<>();
    Set<String> eagerRuns = new LinkedHashSet<>();
    List<SeriesKey> withoutSummary = new ArrayList<>();
    for (Start start : starts) {
      Set<String> runs = new LinkedHashSet<>();
      for (Saved saved : start.series()) {
        runs.add(saved.key().run());
        if (saved.summary() == null && saved.judge() != null) {
          withoutSummary.add(saved.key());
        }
      }
      if (start.parks()) {
        leaving.addAll(runs);
        parking.startParked(start.experiment(), runs, start.parkedVerdict(), start.wake());
      } else {
        eagerRuns.addAll(runs);
        parking.startInMemory(start.experiment());
      }
    }
    judge.evictAll(leaving);
    Set<String> rereads = restoreStates(eagerRuns, threads);
    return new Restored(files, byExperiment.size(), rereads, withoutSummary);
  }

  /** Whether an experiment starts parked, and with which verdict and wake-up time. */
  private Start start(String experiment, List<Saved> series, Set<String> tied) {
    List<Verdict> verdicts = new ArrayList<>();
    double wake = Double.POSITIVE_INFINITY;
    boolean parks = parking.enabled() && !tied.contains(experiment);
    for (Saved saved : series) {
      if (!parks || saved.judge() == null) {
        continue; // not watched any more: nothing to show or to read
      }
      SeriesSummary summary = null;
      if (saved.summary() != null) {
        try {
          summary = JudgeStateCodec.readSummary(saved.summary());
        } catch (RuntimeException damaged) {
          log.info(
              "run '{}' tag '{}': {}; reading its saved state",
              saved.key().run(),
              saved.key().tag(),
              damaged.getMessage());
        }
      }
      if (summary == null || !summary.fits(saved.judge())) {
        parks = false;
      } else {
        verdicts.add(summary.verdict());
        wake = Math.min(wake, summary.wakeAt());
      }
    }
    return new Start(
        experiment, series, parks ? judge.combine(experiment, verdicts) : null, wake, parks);
  }

  /**
   * Reads the saved detector states of {@code runs} into their (registered) judges; returns the
   * runs whose states do not fit, to read again.
   */
  private Set<String> restoreStates(Set<String> runs, JudgeThreads threads) throws StateException {
    record State(String run, String tag, byte[] bytes, SeriesJudge judge) {}
    List<State> saved = new ArrayList<>();
    for (String run : runs) {
      for (Map.Entry<String, byte[]> e : store.seriesOfRun(run).entrySet()) {
        SeriesJudge j = judge.judgeOf(run, e.getKey());
        if (j != null) {
          saved.add(new State(run, e.getKey(), e.getValue(), j));
        }
      }
    }
    // Each state is read on the judge threads, each judge by one thread; one slot per state,
    // each written by the thread that read that state.
    String[] misfits = new String[saved.size()];
    threads.run(
        IntStream.range(0, saved.size()).boxed().toList(),
        i -> {
          try {
            JudgeStateCodec.read(saved.get(i).bytes(), saved.get(i).judge());
          } catch (RuntimeException mismatch) {
            // Another configuration's detectors, or a damaged state: either way the run is read
            // again from its files.
            misfits[i] =
                mismatch instanceof IllegalArgumentException
                    ? String.valueOf(mismatch.getMessage())
                    : mismatch.toString();
          }
        });
    Set<String> rereads = new LinkedHashSet<>();
    for (int i = 0; i < saved.size(); i++) {
      State s = saved.get(i);
      if (misfits[i] != null) {
        log.info(
            "run '{}' tag '{}': saved detector state does not fit the configuration ({}); reading"
                + " the run again",
            s.run(),
            s.tag(),
            misfits[i]);
        rereads.add(s.run());
      }
    }
    return rereads;
  }
}
