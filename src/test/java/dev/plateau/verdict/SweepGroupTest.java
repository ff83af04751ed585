package dev.plateau.verdict;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The group's kept positions and cached bests against the straightforward computation: every
 * sibling visited, its last positions sorted, its bests at the position gathered and the percentile
 * taken by selection, as the board did before the group kept anything.
 */
class SweepGroupTest {
  private static final int ENOUGH = 3;

  /** The straightforward position: {@link SweepGroup#comparedAt} by visiting every sibling. */
  private static double comparedAtByVisiting(List<SweepTrace> traces, SweepTrace own, int enough) {
    double x = own.lastX();
    double[] lasts = new double[traces.size()];
    int count = 0;
    int reached = 0;
    for (SweepTrace sibling : traces) {
      if (sibling != own && sibling.points() > 0) {
        lasts[count++] = sibling.lastX();
        if (sibling.lastX() >= x) {
          reached++;
        }
      }
    }
    if (reached >= enough || count < enough) {
      return count < enough ? Double.NaN : x;
    }
    java.util.Arrays.sort(lasts, 0, count);
    return own.positionAtOrBefore(lasts[count - enough]);
  }

  /** Adds random points to random runs: restarts, NaN, equal and backward wall times included. */
  private static void randomPoint(
      SweepGroup group, SplittableRandom random, long[] steps, boolean wallTime) {
    int slot = random.nextInt(steps.length);
    int kind = random.nextInt(100);
    long step =
        kind < 2 ? random.nextInt(5) : steps[slot] + 1 + (kind < 10 ? random.nextInt(4) : 0);
    steps[slot] = step;
    double value = kind == 3 ? Double.NaN : random.nextInt(50) / 8.0 + random.nextGaussian();
    double wall = 1e9 + step + (kind < 6 ? -random.nextInt(3) : 0);
    group.add(slot, step, wall, wallTime, value);
  }

  private static void assertSameAsVisiting(SweepGroup group, SplittableRandom random, double p) {
    List<SweepTrace> traces = group.traces();
    int slot = random.nextInt(traces.size());
    SweepTrace own = traces.get(slot);
    double x = group.comparedAt(slot, ENOUGH);
    double expected = comparedAtByVisiting(traces, own, ENOUGH);
    assertThat(Double.doubleToLongBits(x)).isEqualTo(Double.doubleToLongBits(expected));
    if (Double.isNaN(x) || random.nextInt(4) == 0) {
      // Another run's position too (the board compares stale runs at older positions).
      SweepTrace other = traces.get(random.nextInt(traces.size()));
      if (other.points() == 0) {
        return;
      }
      x = other.lastX() - random.nextInt(3);
    }
    // Asked twice so that a new position is cached, as the board's next comparison would.
    SweepGroup.Position cached = group.cachedAt(x, slot);
    if (cached == null) {
      cached = group.cachedAt(x, slot);
    }
    assertThat(cached).isNotNull();
    double[] bests = new double[traces.size()];
    int count = 0;
    for (SweepTrace sibling : traces) {
      double at = sibling == own ? Double.NaN : sibling.bestAt(x);
      if (!Double.isNaN(at)) {
        bests[count++] = at;
      }
    }
    assertThat(cached.siblings(slot)).isEqualTo(count);
    if (count > 0) {
      double straight = SweepComparator.percentile(bests, count, p);
      assertThat(Double.doubleToLongBits(cached.percentile(slot, count, p)))
          .as("p%s of %d at %s", p, count, x)
          .isEqualTo(Double.doubleToLongBits(straight));
    }
  }

  @Test
  void positionsAndPercentilesAreThoseOfVisitingEverySiblingOnRandomSweeps() {
    SplittableRandom random = new SplittableRandom(42);
    double[] percentiles = {50, 75, 10, 0, 100, 33.3};
    for (int round = 0; round < 300; round++) {
      boolean wallTime = round % 3 == 0;
      int runs = 1 + random.nextInt(12);
      SweepGroup group = new SweepGroup(1 + random.nextInt(3));
      for (int r = 0; r < runs; r++) {
        group.slotOf("run-" + r, 4 + random.nextInt(6)); // few knots: thinning is frequent
      }
      long[] steps = new long[runs];
      double p = percentiles[round % percentiles.length];
      for (int op = 0; op < 400; op++) {
        randomPoint(group, random, steps, wallTime);
        assertSameAsVisiting(group, random, p);
      }
    }
  }

  @Test
  void aTracesBestDoesNotChangeBeforeItsNextChange() {
    SplittableRandom random = new SplittableRandom(3);
    for (int round = 0; round < 200; round++) {
      SweepTrace trace = new SweepTrace(4 + random.nextInt(8));
      long step = 0;
      for (int op = 0; op < 300; op++) {
        step += random.nextInt(20) == 0 ? -random.nextInt(10) : 1 + random.nextInt(3);
        trace.add(step, 1e9 + step, round % 2 == 0, random.nextGaussian());
        double x = random.nextInt((int) Math.max(1, step + 5)) - 2;
        double next = trace.nextChangeAfter(x);
        assertThat(next).isGreaterThanOrEqualTo(x);
        for (double y = x + 0.5; y < next && y < x + 40; y += 0.5) {
          assertThat(Double.doubleToLongBits(trace.bestAt(y)))
              .as("at %s, unchanged from %s until %s", y, x, next)
              .isEqualTo(Double.doubleToLongBits(trace.bestAt(x)));
        }
      }
    }
  }

  @Test
  void runsWritingEachStepInTurnAreComparedAtCachedPositions() {
    SweepGroup group = new SweepGroup(SweepGroup.CACHED_POSITIONS);
    int runs = 20;
    for (int r = 0; r < runs; r++) {
      group.slotOf("run-" + r, 64);
    }
    int hits = 0;
    int asked = 0;
    for (long step = 0; step < 100; step++) {
      for (int r = 0; r < runs; r++) {
        group.add(r, step, 1e9 + step, false, 1.0 / (1 + step) + r);
        double x = group.comparedAt(r, ENOUGH);
        if (!Double.isNaN(x)) {
          asked++;
          hits += group.cachedAt(x, r) != null ? 1 : 0;
        }
      }
    }
    // Per step, each of the two positions asked is missed once and cached from its second ask on.
    assertThat(hits).isGreaterThanOrEqualTo(asked - 2 * 100);
  }
}
