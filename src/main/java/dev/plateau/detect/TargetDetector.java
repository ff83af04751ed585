package dev.plateau.detect;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metric reached a threshold (DAWNBench's time-to-accuracy idea): TARGET_REACHED at the first
 * point at or beyond {@code value} (&le; for min, &ge; for max).
 *
 * <p>Parameters: {@code value} (required): the threshold. The status stays TARGET_REACHED: the
 * target was reached, whatever comes after. The checkpoint to keep is the best value seen so far.
 * NaN and infinite values never reach a target. Points in step order; O(1) per point, no allocation
 * on a point (the evidence and reason are written out when read).
 */
public final class TargetDetector extends DraftedDetector<TargetDetector.Draft> {
  /** Parameters; see the class comment. */
  public record Params(double value) {
    public Params {
      if (!Double.isFinite(value)) {
        throw new IllegalArgumentException("target value must be a finite number, got " + value);
      }
    }
  }

  /** The judgement: the best so far and where the target was reached. */
  static final class Draft extends JudgementDraft<Draft> {
    private final Mode mode;
    private final Params params;
    boolean noBest;
    long reachedAt;

    Draft(Mode mode, Params params) {
      this.mode = mode;
      this.params = params;
    }

    @Override
    void copyFrom(Draft other) {
      super.copyFrom(other);
      noBest = other.noBest;
      reachedAt = other.reachedAt;
    }

    @Override
    Judgement build() {
      Map<String, Object> evidence = new LinkedHashMap<>();
      evidence.put("target", params.value());
      if (reachedAt != Long.MIN_VALUE) {
        evidence.put("reached_at_step", reachedAt);
        return new Judgement(
            status,
            bestStep,
            bestValue,
            evidence,
            String.format(
                "reached the target %s %s at step %d",
                mode == Mode.MIN ? "<=" : ">=", params.value(), reachedAt));
      }
      return new Judgement(
          status,
          bestStep,
          bestValue,
          evidence,
          noBest
              ? "no finite value yet"
              : String.format("best %s so far, target %s", bestValue, params.value()));
    }

    @Override
    int evidenceSize() {
      return reachedAt != Long.MIN_VALUE ? 2 : 1;
    }
  }

  private final Mode mode;
  private final Params params;
  private final BestTracker best;
  private int points;
  private long reachedAt = Long.MIN_VALUE;

  public TargetDetector(Mode mode, Params params) {
    super(new Draft(mode, params), new Draft(mode, params));
    this.mode = mode;
    this.params = params;
    this.best = new BestTracker(mode);
  }

  /** The threshold the metric is to reach. */
  public double target() {
    return params.value();
  }

  @Override
  public String name() {
    return "target";
  }

  @Override
  void update(long step, double wallTime, double value) {
    best.offer(points++, step, wallTime, value);
    if (reachedAt == Long.MIN_VALUE
        && Double.isFinite(value)
        && (value == params.value() || mode.better(value, params.value()))) {
      reachedAt = step;
    }
    Draft d = edit();
    d.write(
        reachedAt != Long.MIN_VALUE ? Status.TARGET_REACHED : Status.TRAINING,
        best.step(),
        best.value());
    d.noBest = best.isEmpty();
    d.reachedAt = reachedAt;
  }

  /** The saved state of a target detector. */
  public record State(BestTracker.Saved best, int points, long reachedAt, Judgement current)
      implements DetectorState {}

  @Override
  public DetectorState snapshot() {
    return new State(best.save(), points, reachedAt, current());
  }

  @Override
  public void restore(DetectorState state) {
    if (!(state instanceof State s)) {
      throw new IllegalArgumentException("not a target detector's state: " + state);
    }
    best.load(s.best());
    points = s.points();
    reachedAt = s.reachedAt();
    fix(s.current());
  }
}
