package dev.plateau.verdict;

import dev.plateau.config.DetectionConfig;
import dev.plateau.detect.Verdict;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The watched series of each experiment and the experiment's verdict combined from theirs ({@link
 * RunCombiner}): the current one, the last one a transition was reported from, and a cache, so that
 * an experiment whose series did not change is not combined again.
 *
 * <p>Membership changes on the feeding thread only; {@link #seriesChanged} runs on a judge thread
 * and touches only its experiment's entry.
 */
final class ExperimentVerdicts {
  private final DetectionConfig config;
  private final VerdictListener listener;

  /** Watched series by experiment. */
  private final Map<String, List<WatchedSeries>> membersOf = new HashMap<>();

  /** Each experiment's last combined verdict, from which transitions are reported. */
  private final Map<String, ExperimentVerdict> last = new ConcurrentHashMap<>();

  private final Map<String, Combined> combined = new HashMap<>();

  /** How series stand in their sweeps (or no lagging when sweeps are off). */
  private final RunCombiner.Lagging lagging;

  ExperimentVerdicts(
      DetectionConfig config, VerdictListener listener, RunCombiner.Lagging lagging) {
    this.config = config;
    this.listener = listener;
    this.lagging = lagging;
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

  void add(WatchedSeries w) {
    membersOf.computeIfAbsent(w.experiment, e -> new ArrayList<>()).add(w);
  }

  /** The watched series of {@code experiment} (empty when it has none). */
  List<WatchedSeries> members(String experiment) {
    return membersOf.getOrDefault(experiment, List.of());
  }

  /** How many watched series {@code run} has. */
  int watchedOfRun(String run) {
    int ofRun = 0;
    for (WatchedSeries w : membersOf.getOrDefault(Experiments.of(run), List.of())) {
      if (w.key.run().equals(run)) {
        ofRun++;
      }
    }
    return ofRun;
  }

  /** See {@link LogdirJudge#experimentVerdicts}; queued points judged first by the caller. */
  List<ExperimentVerdict> all() {
    List<ExperimentVerdict> out = new ArrayList<>(membersOf.size());
    new TreeMap<>(membersOf)
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
                ExperimentVerdict result = combine(name, List.of(verdicts));
                combined.put(name, new Combined(verdicts, result));
                out.add(result);
              }
            });
    if (combined.size() > membersOf.size()) {
      combined.keySet().retainAll(membersOf.keySet());
    }
    return out;
  }

  /** See {@link LogdirJudge#experimentVerdict}; queued points judged first by the caller. */
  @Nullable ExperimentVerdict of(String experiment) {
    return combine(experiment, verdicts(experiment));
  }

  /** See {@link LogdirJudge#combine}. */
  @Nullable ExperimentVerdict combine(String experiment, List<Verdict> members) {
    return members.isEmpty()
        ? null
        : RunCombiner.combine(experiment, members, config.convergedWhen(), config.stops(), lagging);
  }

  /** See {@link LogdirJudge#nextChangeAt}; queued points judged first by the caller. */
  double nextChangeAt(String experiment) {
    double next = Double.POSITIVE_INFINITY;
    for (WatchedSeries w : membersOf.getOrDefault(experiment, List.of())) {
      next = Math.min(next, w.judge.nextChangeAt());
    }
    return next;
  }

  /**
   * Sets an experiment's last known verdict (from saved state), so transitions continue from it.
   */
  void restore(ExperimentVerdict verdict) {
    last.put(verdict.experiment(), verdict);
  }

  /**
   * A series' transition and what it does to its experiment's verdict, as listener calls added to
   * {@code found}. Reads and writes only that experiment's state: safe on a judge thread.
   */
  void seriesChanged(Verdict before, Verdict after, List<Runnable> found) {
    found.add(() -> listener.seriesTransition(before, after));
    String experiment = Experiments.of(after.run());
    ExperimentVerdict current =
        RunCombiner.combine(
            experiment, verdicts(experiment), config.convergedWhen(), config.stops(), lagging);
    ExperimentVerdict previous = last.put(experiment, current);
    if (previous == null || previous.status() != current.status()) {
      found.add(() -> listener.experimentTransition(previous, current));
    }
  }

  /**
   * An experiment's standing in its sweep changed: combines it again and adds the transition, if
   * its status changed, to {@code found}. On the feeding thread, its queue judged by the caller.
   */
  void standingChanged(String experiment, List<Runnable> found) {
    combined.remove(experiment);
    List<Verdict> members = verdicts(experiment);
    if (members.isEmpty()) {
      return;
    }
    ExperimentVerdict current =
        RunCombiner.combine(experiment, members, config.convergedWhen(), config.stops(), lagging);
    ExperimentVerdict previous = last.put(experiment, current);
    if (previous == null || previous.status() != current.status()) {
      found.add(() -> listener.experimentTransition(previous, current));
    }
  }

  /** Forgets the watched series of runs {@code gone}; experiments keep their last verdict. */
  void evict(Set<String> gone) {
    Set<String> experiments = new HashSet<>();
    for (String run : gone) {
      experiments.add(Experiments.of(run));
    }
    for (String experiment : experiments) {
      List<WatchedSeries> members = membersOf.get(experiment);
      if (members != null) {
        members.removeIf(w -> gone.contains(w.key.run()));
        if (members.isEmpty()) {
          membersOf.remove(experiment);
        }
      }
    }
  }

  private List<Verdict> verdicts(String experiment) {
    List<Verdict> out = new ArrayList<>();
    for (WatchedSeries w : membersOf.getOrDefault(experiment, List.of())) {
      out.add(w.judge.verdict());
    }
    return out;
  }
}
