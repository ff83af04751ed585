package dev.plateau.detect;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Training blew up: DIVERGED at once on a NaN or infinite value, when a value is worse than {@code
 * threshold}, or when values stay far worse than the best for a few points.
 *
 * <p>"Far worse" ({@code explode_factor} f, {@code explode_points} k): in the "lower is better"
 * orientation, value &minus; best &gt; (f &minus; 1) &times; scale for k consecutive points, where
 * scale = max(|best|, |first value &minus; best|): the metric went back beyond where it started by
 * a clear margin, not merely above a small best.
 *
 * <p>Parameters (defaults in brackets): {@code nan} [true]: non-finite values diverge; {@code
 * threshold} [none]: a value worse than it diverges (Lightning's divergence_threshold); {@code
 * explode_factor} [3; 0 turns it off]; {@code explode_points} [3].
 *
 * <p>The checkpoint to keep is the best finite value before the divergence. Hysteresis: a later
 * finite value better than that best (the run recovered, e.g. after a learning-rate drop) returns
 * the series to TRAINING.
 *
 * <p>Points in step order; every point counts, NaN and infinite ones included (they are what it
 * looks for). Cost: O(1) per point, and no allocation on a point that does not diverge.
 */
public final class DivergenceDetector extends DraftedDetector<DivergenceDetector.Draft> {
  /** Parameters; see the class comment. {@code threshold} NaN means none. */
  public record Params(boolean nan, double threshold, double explodeFactor, int explodePoints) {
    public static final Params DEFAULTS = new Params(true, Double.NaN, 3.0, 3);

    public Params {
      if (explodeFactor != 0 && !(explodeFactor > 1)) {
        throw new IllegalArgumentException(
            "explode_factor must be greater than 1 (or 0 for off), got " + explodeFactor);
      }
      if (explodePoints < 1) {
        throw new IllegalArgumentException("explode_points must be at least 1, got " + explodePoints);
      }
    }
  }

  /** The judgement while not diverged: the best so far, no evidence. */
  static final class Draft extends JudgementDraft<Draft> {
    @Override
    Judgement build() {
      return new Judgement(status, bestStep, bestValue, Map.of(), "no sign of divergence");
    }

    @Override
    int evidenceSize() {
      return 0;
    }
  }

  private final Mode mode;
  private final Params params;
  private final BestTracker best;
  private double first = Double.NaN;
  private int points;
  private int explodedRun;
  private boolean diverged;

  public DivergenceDetector(Mode mode, Params params) {
    super(new Draft(), new Draft());
    this.mode = mode;
    this.params = params;
    this.best = new BestTracker(mode);
  }

  @Override
  public String name() {
    return "divergence";
  }

  @Override
  void update(long step, double wallTime, double value) {
    points++;
    if (diverged && Double.isFinite(value) && !best.isEmpty() && mode.better(value, best.value())) {
      diverged = false;
      explodedRun = 0;
    }
    if (diverged) {
      return;
    }
    // The evidence map and reason are built only on the rare point that diverges.
    Map<String, Object> evidence = null;
    String reason = null;
    if (!Double.isFinite(value)) {
      if (params.nan()) {
        reason = "value is " + value + " at step " + step;
        evidence = new LinkedHashMap<>();
        evidence.put("value", Double.isNaN(value) ? "NaN" : (value > 0 ? "Infinity" : "-Infinity"));
      }
    } else if (!Double.isNaN(params.threshold()) && mode.better(params.threshold(), value)) {
      reason = String.format("value %s at step %d is worse than the threshold %s", value, step, params.threshold());
      evidence = new LinkedHashMap<>();
      evidence.put("threshold", params.threshold());
      evidence.put("value", value);
    } else if (params.explodeFactor() > 0 && !best.isEmpty()) {
      double oriented = mode.lowerIsBetter(value);
      double bestOriented = mode.lowerIsBetter(best.value());
      double scale = Math.max(Math.abs(best.value()), Math.abs(mode.lowerIsBetter(first) - bestOriented));
      double limit = (params.explodeFactor() - 1) * scale;
      if (scale > 0 && oriented - bestOriented > limit) {
        explodedRun++;
        if (explodedRun >= params.explodePoints()) {
          reason =
              String.format(
                  "%d points in a row worse than the best %s by more than %.3g (explode_factor %s)",
                  explodedRun, best.value(), limit, params.explodeFactor());
          evidence = new LinkedHashMap<>();
          evidence.put("explode_factor", params.explodeFactor());
          evidence.put("explode_points", explodedRun);
          evidence.put("scale", scale);
        }
      } else {
        explodedRun = 0;
      }
    }
    if (Double.isFinite(value) && Double.isNaN(first)) {
      first = value;
    }
    if (reason != null) {
      diverged = true;
      fix(new Judgement(Status.DIVERGED, best.step(), best.value(), evidence, "diverged: " + reason));
      return;
    }
    best.offer(points - 1, step, wallTime, value);
    edit().write(Status.TRAINING, best.step(), best.value());
  }

  /** The saved state of a divergence detector. */
  public record State(
      BestTracker.Saved best,
      double first,
      int points,
      int explodedRun,
      boolean diverged,
      Judgement current)
      implements DetectorState {}

  @Override
  public DetectorState snapshot() {
    return new State(best.save(), first, points, explodedRun, diverged, current());
  }

  @Override
  public void restore(DetectorState state) {
    if (!(state instanceof State s)) {
      throw new IllegalArgumentException("not a divergence detector's state: " + state);
    }
    best.load(s.best());
    first = s.first();
    points = s.points();
    explodedRun = s.explodedRun();
    diverged = s.diverged();
    fix(s.current());
  }
}
