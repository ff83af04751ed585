package dev.plateau.verdict;

import dev.plateau.config.ConfigException;
import dev.plateau.series.SeriesKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Which validation series has which training twin: the configured twin, or the first of {@link
 * TwinFinder}'s candidates that exists. A validation series waits until its twin appears; the judge
 * then feeds the twin's points to its overfitting detector.
 *
 * <p>Not thread-safe: the judge's feeding thread uses it.
 */
final class TwinPairing {
  /** Watched series with an overfitting detector, paired or waiting, in order of appearance. */
  private final Map<SeriesKey, WatchedSeries> validations = new LinkedHashMap<>();

  private final List<WatchedSeries> awaitingTwin = new ArrayList<>();

  /** Validation series by their training twin. */
  private final Map<SeriesKey, List<WatchedSeries>> twinOf = new HashMap<>();

  /** A new watched series: when it has an overfitting detector, it waits for its twin. */
  void watching(WatchedSeries w) {
    if (w.overfitting != null) {
      w.twinCandidates = candidates(w);
      validations.put(w.key, w);
      awaitingTwin.add(w);
    }
  }

  /**
   * A new series, watched or not, appeared: the validation series that were waiting for it (or for
   * another series {@code known} now) are paired, and returned; their twin's points so far are the
   * caller's to feed.
   */
  List<WatchedSeries> appeared(SeriesKey key, Predicate<SeriesKey> known) {
    List<WatchedSeries> paired = new ArrayList<>(0);
    for (int i = awaitingTwin.size() - 1; i >= 0; i--) {
      WatchedSeries v = awaitingTwin.get(i);
      if (v.twinCandidates.contains(key) || tryResolve(v, known)) {
        if (v.twin == null) {
          v.twin = key;
        }
        twinOf.computeIfAbsent(v.twin, k -> new ArrayList<>()).add(v);
        awaitingTwin.remove(i);
        paired.add(v);
      }
    }
    return paired;
  }

  /** The validation series whose twin is {@code training}, or null. */
  @Nullable List<WatchedSeries> validationsOf(SeriesKey training) {
    return twinOf.get(training);
  }

  /** See {@link LogdirJudge#runsPairedWith}. */
  Set<String> runsPairedWith(String run) {
    Set<String> out = new TreeSet<>();
    for (WatchedSeries w : validations.values()) {
      if (w.twin != null && w.twin.run().equals(run) && !w.key.run().equals(run)) {
        out.add(w.key.run());
      }
    }
    return out;
  }

  /** See {@link LogdirJudge#notSelfContained}. */
  Set<String> notSelfContained() {
    Set<String> out = new HashSet<>();
    for (WatchedSeries w : validations.values()) {
      if (w.twin != null) {
        String twinExperiment = Experiments.of(w.twin.run());
        if (!twinExperiment.equals(w.experiment)) {
          out.add(w.experiment);
          out.add(twinExperiment);
        }
      } else {
        out.add(w.experiment); // still waiting for a twin that may appear anywhere
      }
    }
    return out;
  }

  /** Forgets the series of runs {@code gone}, as validation series and as twins. */
  void evict(Set<String> gone) {
    validations.keySet().removeIf(k -> gone.contains(k.run()));
    awaitingTwin.removeIf(w -> gone.contains(w.key.run()));
    twinOf.values().forEach(list -> list.removeIf(w -> gone.contains(w.key.run())));
    twinOf.keySet().removeIf(k -> gone.contains(k.run()));
  }

  private static boolean tryResolve(WatchedSeries v, Predicate<SeriesKey> known) {
    for (SeriesKey candidate : v.twinCandidates) {
      if (known.test(candidate)) {
        v.twin = candidate;
        return true;
      }
    }
    return false;
  }

  private static List<SeriesKey> candidates(WatchedSeries w) {
    try {
      String tag = w.plan.twinTag();
      String run = w.plan.twinRun();
      if (tag != null || run != null) {
        return List.of(
            new SeriesKey(
                TwinFinder.resolveRun(w.key.run(), run), tag == null ? w.key.tag() : tag));
      }
    } catch (ConfigException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    return TwinFinder.candidates(w.key.run(), w.key.tag());
  }
}
