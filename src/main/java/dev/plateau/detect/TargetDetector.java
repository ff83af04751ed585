package dev.plateau.detect;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metric reached a threshold (DAWNBench's time-to-accuracy idea): TARGET_REACHED at the first
 * point at or beyond {@code value} (&le; for min, &ge; for max).
 *
 * <p>Parameters: {@code value} (required): the threshold. The status stays TARGET_REACHED: the
 * target was reached, whatever comes after. The checkpoint to keep is the best value seen so far.
 * NaN and infinite values never reach a target.
 */
public final class TargetDetector implements Detector {
  /** Parameters; see the class comment. */
  public record Params(double value) {
    public Params {
      if (!Double.isFinite(value)) {
        throw new IllegalArgumentException("target value must be a finite number, got " + value);
      }
    }
  }

  private final Mode mode;
  private final Params params;
  private final BestTracker best;
  private int points;
  private long reachedAt = Long.MIN_VALUE;
  private Judgement current = Judgement.waiting("no point yet");

  public TargetDetector(Mode mode, Params params) {
    this.mode = mode;
    this.params = params;
    this.best = new BestTracker(mode);
  }

  @Override
  public String name() {
    return "target";
  }

  @Override
  public Judgement observe(long step, double wallTime, double value) {
    best.offer(points++, step, wallTime, value);
    if (reachedAt == Long.MIN_VALUE
        && Double.isFinite(value)
        && (value == params.value() || mode.better(value, params.value()))) {
      reachedAt = step;
    }
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("target", params.value());
    if (reachedAt != Long.MIN_VALUE) {
      evidence.put("reached_at_step", reachedAt);
      current =
          new Judgement(
              Status.TARGET_REACHED,
              best.step(),
              best.value(),
              evidence,
              String.format(
                  "reached the target %s %s at step %d",
                  mode == Mode.MIN ? "<=" : ">=", params.value(), reachedAt));
    } else {
      current =
          new Judgement(
              Status.TRAINING,
              best.step(),
              best.value(),
              evidence,
              best.isEmpty()
                  ? "no finite value yet"
                  : String.format("best %s so far, target %s", best.value(), params.value()));
    }
    return current;
  }

  @Override
  public Judgement current() {
    return current;
  }

  /** The saved state of a target detector. */
  public record State(BestTracker.Saved best, int points, long reachedAt, Judgement current)
      implements DetectorState {}

  @Override
  public DetectorState snapshot() {
    return new State(best.save(), points, reachedAt, current);
  }

  @Override
  public void restore(DetectorState state) {
    if (!(state instanceof State s)) {
      throw new IllegalArgumentException("not a target detector's state: " + state);
    }
    best.load(s.best());
    points = s.points();
    reachedAt = s.reachedAt();
    current = s.current();
  }
}
