package dev.plateau.detect;

import org.jspecify.annotations.Nullable;

/**
 * Finds the drops of a step schedule in one learning-rate series: the points where the learning
 * rate falls to at most 1/{@code drop_factor} of a level it held steady, within {@code drop_span}
 * points of leaving it.
 *
 * <p><b>What counts as a drop.</b> A level is held steady when {@code steady_points} consecutive
 * values stay within {@value #STEADY_TOLERANCE_PERCENT}% of the first of them. A drop is the first
 * point, at most {@code drop_span} points after the last steady one, whose value is at most that
 * last steady value divided by {@code drop_factor}. So:
 *
 * <ul>
 *   <li>a step schedule (StepLR, MultiStepLR, ReduceLROnPlateau, a staircase decay, a manual cut)
 *       holds each phase constant and then falls at once: every cut by {@code drop_factor} or more
 *       is a drop, at the step logged with the new rate;
 *   <li>a smooth decay (cosine, exponential, linear, polynomial, inverse square root) changes at
 *       every point: where it is nearly flat (a cosine's start, a long tail) it falls by far less
 *       than {@code drop_factor} within {@code drop_span} points, and where it falls fast it is not
 *       steady; no drop either way;
 *   <li>a warm-up rises: a rise is never a drop, and the constant phase after it is the steady
 *       level the first drop is measured from.
 * </ul>
 *
 * <p>Contract: points in step order; a point at or before the last step seen is ignored (a rewind
 * is the owner's to handle by building a new tracker). NaN, infinite and negative values are
 * ignored. Defaults: drop_factor 2, drop_span 3, steady_points 3.
 *
 * <p>Pure: no I/O and no clock. O(1) per point, no allocation but the drop it reports.
 */
public final class LearningRateDrops {
  /** How close to a steady level's first value its next values stay, in percent. */
  public static final int STEADY_TOLERANCE_PERCENT = 1;

  private static final double STEADY_TOLERANCE = STEADY_TOLERANCE_PERCENT / 100.0;

  /**
   * What counts as a drop (see the class comment).
   *
   * @param dropFactor the learning rate falls to at most 1/dropFactor of its steady level (&gt; 1)
   * @param dropSpan within this many points after the last steady one (&ge; 1)
   * @param steadyPoints consecutive values within 1% make a steady level (&ge; 2)
   */
  public record Params(double dropFactor, int dropSpan, int steadyPoints) {
    public static final Params DEFAULTS = new Params(2, 3, 3);

    public Params {
      if (!(dropFactor > 1) || Double.isInfinite(dropFactor)) {
        throw new IllegalArgumentException(
            "schedule: drop_factor must be a finite number above 1, got " + dropFactor);
      }
      if (dropSpan < 1 || steadyPoints < 2) {
        throw new IllegalArgumentException(
            "schedule: drop_span must be at least 1 and steady_points at least 2, got "
                + dropSpan
                + " and "
                + steadyPoints);
      }
    }
  }

  /**
   * A drop of the learning rate.
   *
   * @param step the step of the first point at the lower rate
   * @param from the steady rate before
   * @param to the rate at {@code step}
   */
  public record Drop(long step, double from, double to) {}

  private final Params params;
  private boolean seen;
  private long lastStep;
  private double runValue = Double.NaN;
  private int runLength;
  private double reference = Double.NaN;
  private int sinceReference;

  public LearningRateDrops(Params params) {
    this.params = params;
  }

  /** Feeds the next learning-rate point; returns the drop it completes, or null. */
  public @Nullable Drop observe(long step, double value) {
    if (seen && step <= lastStep) {
      return null;
    }
    seen = true;
    lastStep = step;
    if (!(value >= 0) || Double.isInfinite(value)) {
      return null;
    }
    Drop found = null;
    if (!Double.isNaN(reference)) {
      sinceReference++;
      if (value <= reference / params.dropFactor()) {
        found = new Drop(step, reference, value);
        reference = Double.NaN;
      } else if (sinceReference >= params.dropSpan()) {
        reference = Double.NaN; // a slow fall: a decay, not a step
      }
    }
    if (runLength > 0 && Math.abs(value - runValue) <= STEADY_TOLERANCE * runValue) {
      runLength++;
    } else {
      runValue = value;
      runLength = 1;
    }
    if (found == null && runLength >= params.steadyPoints() && value > 0) {
      reference = value; // the level just before a fall, not where a slow creep into it began
      sinceReference = 0;
    }
    return found;
  }

  /** The saved state of a tracker. */
  public record State(
      boolean seen,
      long lastStep,
      double runValue,
      int runLength,
      double reference,
      int sinceReference) {}

  public State snapshot() {
    return new State(seen, lastStep, runValue, runLength, reference, sinceReference);
  }

  /** Resumes from a state {@link #snapshot()} saved; afterwards it behaves as that tracker did. */
  public void restore(State s) {
    seen = s.seen();
    lastStep = s.lastStep();
    runValue = s.runValue();
    runLength = s.runLength();
    reference = s.reference();
    sinceReference = s.sinceReference();
  }
}
