package dev.plateau.series;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The series of one run, keyed by tag in the order tags first appeared, with the restart rule
 * applied as points arrive.
 *
 * <p>The restart rule is TensorBoard's: a job resumed from a checkpoint writes again the steps
 * after that checkpoint, and what it writes now replaces what the abandoned attempt wrote.
 *
 * <ul>
 *   <li>A {@code SessionLog} START at step s drops the kept points of every series of the run with
 *       step &ge; s (TensorBoard purges all tags on a START).
 *   <li>A point whose step is at or below the last kept step of its own series drops that series'
 *       points with step &ge; the new step before it is kept. TensorBoard compares with the run's
 *       most recent step across tags; Plateau compares per series, because several writers (train
 *       and eval loops) legitimately interleave different step counters in one run, and one tag's
 *       counter must not erase another tag's points. A repeated step keeps the latest value, which
 *       is the one the job that carries on wrote.
 * </ul>
 */
public final class RunSeries {
  private final String run;
  private final Map<String, Series> byTag = new LinkedHashMap<>();
  private final List<String> files = new ArrayList<>();
  private final Map<String, Integer> fileIndex = new HashMap<>();

  public RunSeries(String run) {
    this.run = run;
  }

  public String run() {
    return run;
  }

  /** Adds a point to its tag's series; returns how many kept points it replaced. */
  public int add(String tag, long step, double wallTime, double value) {
    return byTag.computeIfAbsent(tag, t -> new Series()).append(step, wallTime, value);
  }

  /** Adds a point, remembering which file it came from ({@link #fileOf}). */
  public int add(ScalarPoint point) {
    return add(point, Series.UNBOUNDED);
  }

  /**
   * Adds a point as {@link #add(ScalarPoint)} does; a series this point starts keeps at most {@code
   * limitIfNew} points ({@link Series#bounded}).
   */
  public int add(ScalarPoint point, int limitIfNew) {
    int source =
        fileIndex.computeIfAbsent(
            point.file(),
            f -> {
              files.add(f);
              return files.size() - 1;
            });
    Series series = byTag.get(point.tag());
    if (series == null) {
      series = limitIfNew == Series.UNBOUNDED ? new Series() : Series.bounded(limitIfNew);
      byTag.put(point.tag(), series);
    }
    return series.append(point.step(), point.wallTime(), point.value(), source);
  }

  /** The name of the file that point {@code index} of {@code series} came from. */
  public String fileOf(Series series, int index) {
    return files.isEmpty() ? null : files.get(series.source(index));
  }

  /** Applies a SessionLog START at {@code step}; returns how many points were dropped. */
  public int sessionStart(long step) {
    int removed = 0;
    for (Series series : byTag.values()) {
      removed += series.dropFrom(step);
    }
    return removed;
  }

  /** The series by tag, in order of first appearance; a live view. */
  public Map<String, Series> byTag() {
    return Collections.unmodifiableMap(byTag);
  }
}
