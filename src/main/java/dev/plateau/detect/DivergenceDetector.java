package dev.plateau.detect;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Training blew up: DIVERGED at once on a NaN or infinite value, when a value is worse than {@code
 * threshold}, or when values stay far worse than the best, and far outside their own noise, for a
 * few points.
 *
 * <p>"Far worse" ({@code explode_factor} f, {@code explode_sigmas} s, {@code explode_points} k): in
 * the "lower is better" orientation, for k consecutive points both
 *
 * <ul>
 *   <li>value &minus; best &gt; (f &minus; 1) &times; scale, where scale = max(|best|, |first value
 *       &minus; best|): the metric went back beyond where it started by a clear margin, not merely
 *       above a small best; and
 *   <li>value &minus; median &gt; s &times; &sigma;, where median and &sigma; describe the last
 *       {@value #RECENT} finite values before the point (&sigma; from the median absolute
 *       difference of neighbours, so a trend does not inflate it): an ordinary noisy point of a
 *       reinforcement- learning return or a step-level loss is not an explosion, however far it is
 *       from a lucky best. No explosion is judged before {@value #MIN_RECENT} finite values are in.
 * </ul>
 *
 * <p>Parameters (defaults in brackets): {@code nan} [true]: non-finite values diverge; {@code
 * threshold} [none]: a value worse than it diverges (Lightning's divergence_threshold); {@code
 * explode_factor} [3; 0 turns the explosion rule off]; {@code explode_sigmas} [8; 0 drops the noise
 * condition, and with it the need for {@value #MIN_RECENT} values]; {@code explode_points} [3].
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
  public record Params(
      boolean nan,
      double threshold,
      double explodeFactor,
      int explodePoints,
      double explodeSigmas) {
    public static final Params DEFAULTS = new Params(true, Double.NaN, 3.0, 3, 8.0);

    /** The parameters before the noise condition existed (explode_sigmas 0). */
    public Params(boolean nan, double threshold, double explodeFactor, int explodePoints) {
      this(nan, threshold, explodeFactor, explodePoints, 0);
    }

    public Params {
      if (explodeFactor != 0 && !(explodeFactor > 1)) {
        throw new IllegalArgumentException(
            "explode_factor must be greater than 1 (or 0 for off), got " + explodeFactor);
      }
      if (!(explodeSigmas >= 0)) {
        throw new IllegalArgumentException(
            "explode_sigmas must be at least 0, got " + explodeSigmas);
      }
      if (explodePoints < 1) {
        throw new IllegalArgumentException(
            "explode_points must be at least 1, got " + explodePoints);
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

  /** Values the noise condition looks back on, and the fewest it judges with. */
  static final int RECENT = 32;

  static final int MIN_RECENT = 3;

  // The last RECENT finite oriented values, a ring; and scratch for their order statistics.
  private final double[] recent = new double[RECENT];
  private int recentNext; // where the next value goes
  private int recentCount; // how many are held, at most RECENT

  /** Scratch for the noise condition's order statistics: one per thread serves every detector. */
  private static final ThreadLocal<double[]> SCRATCH =
      ThreadLocal.withInitial(() -> new double[2 * RECENT]);

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
      reason =
          String.format(
              "value %s at step %d is worse than the threshold %s",
              value, step, params.threshold());
      evidence = new LinkedHashMap<>();
      evidence.put("threshold", params.threshold());
      evidence.put("value", value);
    } else if (params.explodeFactor() > 0 && !best.isEmpty()) {
      double oriented = mode.lowerIsBetter(value);
      double bestOriented = mode.lowerIsBetter(best.value());
      double scale =
          Math.max(Math.abs(best.value()), Math.abs(mode.lowerIsBetter(first) - bestOriented));
      double limit = (params.explodeFactor() - 1) * scale;
      boolean beyond = scale > 0 && oriented - bestOriented > limit;
      if (beyond && outsideNoise(oriented)) {
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
          evidence.put("explode_sigmas", params.explodeSigmas());
        }
      } else {
        explodedRun = 0;
      }
    }
    if (Double.isFinite(value) && Double.isNaN(first)) {
      first = value;
    }
    if (Double.isFinite(value) && explodedRun == 0) {
      // Points beyond the factor rule's limit stay out, so an explosion does not make itself noise.
      recent[recentNext] = mode.lowerIsBetter(value);
      if (++recentNext == RECENT) {
        recentNext = 0;
      }
      if (recentCount < RECENT) {
        recentCount++;
      }
    }
    if (reason != null) {
      diverged = true;
      fix(
          new Judgement(
              Status.DIVERGED, best.step(), best.value(), evidence, "diverged: " + reason));
      return;
    }
    best.offer(points - 1, step, wallTime, value);
    edit().write(Status.TRAINING, best.step(), best.value());
  }

  /**
   * Whether {@code oriented} lies more than explode_sigmas noise deviations beyond the median of
   * the recent values (judged only when the factor rule already holds: rare, so its sorting costs
   * nothing on ordinary points).
   */
  private boolean outsideNoise(double oriented) {
    if (params.explodeSigmas() == 0) {
      return true;
    }
    int m = recentCount;
    if (m < MIN_RECENT) {
      return false; // too few values to know their noise
    }
    // The values in [0, m), their neighbours' differences (oldest to newest) in [RECENT, ...).
    double[] s = SCRATCH.get();
    int start = m == RECENT ? recentNext : 0;
    double before = recent[start];
    for (int k = 0; k < m; k++) {
      double value = recent[(start + k) % RECENT];
      s[k] = value;
      if (k > 0) {
        s[RECENT + k - 1] = Math.abs(value - before);
      }
      before = value;
    }
    Arrays.sort(s, 0, m);
    double median = s[m / 2];
    Arrays.sort(s, RECENT, RECENT + m - 1);
    double sigma = s[RECENT + (m - 1) / 2] / (0.6745 * Math.sqrt(2));
    return oriented - median > params.explodeSigmas() * sigma;
  }

  /** The saved state of a divergence detector. */
  public record State(
      BestTracker.Saved best,
      double[] recent,
      int recentNext,
      int recentCount,
      double first,
      int points,
      int explodedRun,
      boolean diverged,
      Judgement current)
      implements DetectorState {}

  @Override
  public DetectorState snapshot() {
    return new State(
        best.save(),
        recent.clone(),
        recentNext,
        recentCount,
        first,
        points,
        explodedRun,
        diverged,
        current());
  }

  @Override
  public void restore(DetectorState state) {
    if (!(state instanceof State s)) {
      throw new IllegalArgumentException("not a divergence detector's state: " + state);
    }
    if (s.recent() == null
        || s.recent().length != RECENT
        || s.recentCount() < 0
        || s.recentCount() > RECENT
        || s.recentNext() < 0
        || s.recentNext() >= RECENT) {
      throw new IllegalArgumentException("not a divergence detector's state: " + state);
    }
    best.load(s.best());
    System.arraycopy(s.recent(), 0, recent, 0, RECENT);
    recentNext = s.recentNext();
    recentCount = s.recentCount();
    first = s.first();
    points = s.points();
    explodedRun = s.explodedRun();
    diverged = s.diverged();
    fix(s.current());
  }
}
