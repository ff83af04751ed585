package dev.plateau.daemon;

import dev.plateau.series.Series;
import dev.plateau.series.SeriesKey;
import dev.plateau.verdict.ExperimentVerdict;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What other threads (the status server) read of a watcher: the experiments' verdicts after the
 * last round, in name order, and the curves of watched series, as copies safe to read from any
 * thread. Combining every experiment's verdict is most of a quiet round's work on a large logdir,
 * so rounds woken by events refresh the verdicts only with a transition or once a second.
 */
final class PublishedVerdicts {
  private static final long EVERY_MILLIS = 1_000;

  private volatile List<ExperimentVerdict> verdicts = List.of();
  private final Map<SeriesKey, SeriesView> curves = new ConcurrentHashMap<>();
  private long lastMillis = Long.MIN_VALUE / 2;

  List<ExperimentVerdict> verdicts() {
    return verdicts;
  }

  /** The curve of a watched series as of its last commit, or null. */
  @Nullable SeriesView curve(SeriesKey key) {
    return curves.get(key);
  }

  /** A watched series' curve, from the points kept of it. */
  void curve(SeriesKey key, Series points) {
    curves.put(key, SeriesView.of(points));
  }

  /** The curves of runs that left memory. */
  void dropCurves(Set<String> runs) {
    curves.keySet().removeIf(k -> runs.contains(k.run()));
  }

  /** The verdicts are refreshed at the end of this round, whatever the round. */
  void refreshSoon() {
    lastMillis = Long.MIN_VALUE / 2;
  }

  /**
   * Refreshes the verdicts from {@code inMemory} and {@code parked} when {@code now} asks for it (a
   * whole round, a transition) or a second has passed since the last refresh.
   */
  void refresh(
      boolean now,
      long nowMillis,
      Supplier<List<ExperimentVerdict>> inMemory,
      Collection<ExperimentVerdict> parked) {
    if (!now && nowMillis - lastMillis < EVERY_MILLIS && nowMillis >= lastMillis) {
      return;
    }
    List<ExperimentVerdict> all = new ArrayList<>(inMemory.get());
    all.addAll(parked);
    all.sort(Comparator.comparing(ExperimentVerdict::experiment));
    verdicts = List.copyOf(all);
    lastMillis = nowMillis;
  }
}
