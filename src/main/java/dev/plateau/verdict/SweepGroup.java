package dev.plateau.verdict;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The runs of one sweep on one tag (and split), with what comparing one of them with the others
 * needs, kept up to date as points arrive so that a comparison does not visit every sibling:
 *
 * <ul>
 *   <li>the runs' last positions, sorted: how many siblings reached a position, and the position
 *       the {@code min_siblings}-th furthest sibling reached, by binary search;
 *   <li>at up to {@code cachedPositions} positions, every run's best so far there ({@link
 *       SweepTrace#bestAt}), sorted: the siblings' percentile at such a position is two reads. A
 *       position is cached when it is asked for twice in a row, as in a sweep whose runs write each
 *       step in turn (parallel jobs, and {@code check}'s wall-time order), where every run is
 *       compared at the same few positions; the least recently asked one makes room. A point
 *       changes a run's best so far only at positions between its previous and its new last
 *       position (or everywhere when its kept positions were thinned or it started again), so a
 *       point updates at most {@code cachedPositions} cached values.
 * </ul>
 *
 * <p>A run compared step after step with siblings further on (runs that ran one after another) asks
 * a new position every time: the position it asked last moves forward to it, reading again only the
 * runs with a kept position in between, when those are at most a quarter of the group. A position
 * asked once otherwise is not cached, and the caller visits every sibling, as before.
 *
 * <p>Answers are exactly those of visiting every sibling (the same order statistics, so the same
 * percentile to the bit). Memory: a slot per run in the sorted positions, and three per run at each
 * cached position. Not thread-safe (the feeding thread).
 */
final class SweepGroup {
  /** Positions cached by default: a sweep written in turn is compared at two at a time. */
  static final int CACHED_POSITIONS = 3;

  private final int cachedPositions;
  private final Map<String, Integer> slots = new HashMap<>();
  private final List<SweepTrace> traces = new ArrayList<>();
  private final SortedValues lastPositions = new SortedValues();
  private final List<Position> positions = new ArrayList<>();
  private double lastMiss = Double.NaN;
  private int lastMissSlot = -1;
  private @Nullable Position latest;
  private long asked;
  private long version;

  SweepGroup(int cachedPositions) {
    this.cachedPositions = cachedPositions;
  }

  /** The slot of {@code run}'s trace, added with {@code maxKnots} when it is new. */
  int slotOf(String run, int maxKnots) {
    Integer slot = slots.get(run);
    if (slot == null) {
      slot = traces.size();
      slots.put(run, slot);
      traces.add(new SweepTrace(maxKnots));
    }
    return slot;
  }

  /** The slot of {@code run}'s trace, or -1 when it has none. */
  int slotOf(String run) {
    Integer slot = slots.get(run);
    return slot == null ? -1 : slot;
  }

  /** The trace in {@code slot}. */
  SweepTrace trace(int slot) {
    return traces.get(slot);
  }

  /** Every run's trace. */
  List<SweepTrace> traces() {
    return traces;
  }

  /** A count of the finite points added to the group's traces. */
  long version() {
    return version;
  }

  /**
   * Adds a point to the trace in {@code slot} ({@link SweepTrace#add}) and updates what the group
   * keeps of it. Returns false when the value was not finite.
   */
  boolean add(int slot, long step, double wallTime, boolean alignOnWallTime, double value) {
    SweepTrace trace = traces.get(slot);
    boolean had = trace.points() > 0;
    double from = trace.lastX();
    long layouts = trace.layouts();
    boolean finite = trace.add(step, wallTime, alignOnWallTime, value);
    boolean has = trace.points() > 0;
    double to = trace.lastX();
    if (had && has) {
      lastPositions.replace(from, to);
    } else if (had) {
      lastPositions.remove(from);
    } else if (has) {
      lastPositions.add(to);
    }
    boolean relaid = trace.layouts() != layouts;
    for (Position p : positions) {
      if (relaid || (p.x >= from && p.x <= to)) {
        p.set(slot, trace);
      }
    }
    if (finite) {
      version++;
    }
    return finite;
  }

  /**
   * Where to compare the run in {@code slot}: its newest position when at least {@code enough}
   * siblings have reached it, else its last kept position that the {@code enough}-th furthest
   * sibling has reached; NaN when there is none, or fewer than {@code enough} siblings have a
   * point.
   */
  double comparedAt(int slot, int enough) {
    SweepTrace own = traces.get(slot);
    double x = own.lastX();
    int self = own.points() > 0 ? 1 : 0;
    int count = lastPositions.size() - self;
    if (count < enough) {
      return Double.NaN;
    }
    if (lastPositions.countAtLeast(x) - self >= enough) {
      return x;
    }
    // The enough-th furthest sibling: rank count - enough among the siblings' last positions.
    int rank = count - enough;
    if (self == 1 && rank >= lastPositions.rankOf(x)) {
      rank++;
    }
    return own.positionAtOrBefore(lastPositions.get(rank));
  }

  /**
   * Every run's best so far at {@code x}, sorted, for comparing the run in {@code slot} there; null
   * when {@code x} is not worth caching, and the caller visits the siblings itself. {@code x} is
   * cached when it already is; when the position asked last is below it and few runs' bests differ
   * between the two (a run compared step after step with siblings that are further on), that
   * position moves to {@code x}; and when {@code x} is asked for the second time in a row, or the
   * same run asked for a lower position just before (a run going forward), {@code x} is cached
   * anew.
   */
  @Nullable Position cachedAt(double x, int slot) {
    if (cachedPositions == 0) {
      return null;
    }
    asked++;
    for (Position p : positions) {
      if (p.x == x) {
        p.asked = asked;
        latest = p;
        return p;
      }
    }
    Position last = latest;
    if (last != null && last.x < x && last.changesUpTo(x) <= traces.size() / 4) {
      last.moveTo(x);
      last.asked = asked;
      return last;
    }
    boolean again = Double.compare(x, lastMiss) == 0;
    boolean forward = slot == lastMissSlot && lastMiss < x;
    lastMiss = x;
    lastMissSlot = slot;
    if (!again && !forward) {
      return null;
    }
    lastMiss = Double.NaN;
    if (positions.size() == cachedPositions) {
      Position oldest = positions.get(0);
      for (Position p : positions) {
        if (p.asked < oldest.asked) {
          oldest = p;
        }
      }
      positions.remove(oldest);
    }
    Position p = new Position(x, traces);
    p.asked = asked;
    positions.add(p);
    latest = p;
    return p;
  }

  /**
   * Every run's best so far at one position: by slot (NaN where it has none), and sorted; and by
   * slot where the run's best may first differ further on ({@link SweepTrace#nextChangeAfter}, or
   * lower: a run's point only pushes it further), so that the position moves forward by updating
   * only those runs.
   */
  static final class Position {
    private final List<SweepTrace> traces;
    private double x;
    private double[] bySlot;
    private double[] nextChange;
    private final SortedValues sorted;
    private long asked;

    private Position(double x, List<SweepTrace> traces) {
      this.traces = traces;
      this.x = x;
      int size = Math.max(8, traces.size());
      this.bySlot = new double[size];
      this.nextChange = new double[size];
      Arrays.fill(bySlot, Double.NaN);
      Arrays.fill(nextChange, Double.POSITIVE_INFINITY);
      double[] values = new double[traces.size()];
      int n = 0;
      for (int slot = 0; slot < traces.size(); slot++) {
        SweepTrace trace = traces.get(slot);
        double at = trace.bestAt(x);
        bySlot[slot] = at;
        nextChange[slot] = trace.nextChangeAfter(x);
        if (!Double.isNaN(at)) {
          values[n++] = at;
        }
      }
      this.sorted = SortedValues.of(values, n);
    }

    /** How many runs' bests may differ at {@code to} (above this position) from here. */
    private int changesUpTo(double to) {
      int changes = 0;
      for (int slot = 0; slot < nextChange.length; slot++) {
        if (nextChange[slot] <= to) {
          changes++;
        }
      }
      return changes;
    }

    /** Moves this position up to {@code to}, updating the runs whose best may differ there. */
    private void moveTo(double to) {
      x = to;
      for (int slot = 0; slot < nextChange.length; slot++) {
        if (nextChange[slot] <= to) {
          set(slot, traces.get(slot));
        }
      }
    }

    /** The position. */
    double x() {
      return x;
    }

    /** How many runs but the one in {@code slot} have a best so far here. */
    int siblings(int slot) {
      return sorted.size() - (Double.isNaN(valueOf(slot)) ? 0 : 1);
    }

    /**
     * The {@code p}-th percentile of the best values here of the {@code count} ({@link #siblings})
     * runs but the one in {@code slot}, exactly as {@link SweepComparator#percentile} takes it.
     */
    double percentile(int slot, int count, double p) {
      double own = valueOf(slot);
      int skip = Double.isNaN(own) ? Integer.MAX_VALUE : sorted.rankOf(own);
      int below = SweepComparator.lowerRank(count, p);
      double low = sorted.get(below < skip ? below : below + 1);
      if (!SweepComparator.needsNext(count, p)) {
        return low;
      }
      double high = sorted.get(below + 1 < skip ? below + 1 : below + 2);
      return SweepComparator.interpolate(low, high, count, p);
    }

    private double valueOf(int slot) {
      return slot < bySlot.length ? bySlot[slot] : Double.NaN;
    }

    /** Reads again the best here of the run in {@code slot}, {@code trace}. */
    private void set(int slot, SweepTrace trace) {
      if (slot >= bySlot.length) {
        int size = bySlot.length;
        int grown = Math.max(slot + 1, size * 2);
        bySlot = Arrays.copyOf(bySlot, grown);
        nextChange = Arrays.copyOf(nextChange, grown);
        Arrays.fill(bySlot, size, grown, Double.NaN);
        Arrays.fill(nextChange, size, grown, Double.POSITIVE_INFINITY);
      }
      nextChange[slot] = trace.nextChangeAfter(x);
      double value = trace.bestAt(x);
      double old = bySlot[slot];
      if (Double.compare(old, value) == 0) {
        return;
      }
      bySlot[slot] = value;
      if (Double.isNaN(old)) {
        sorted.add(value);
      } else if (Double.isNaN(value)) {
        sorted.remove(old);
      } else {
        sorted.replace(old, value);
      }
    }
  }
}
