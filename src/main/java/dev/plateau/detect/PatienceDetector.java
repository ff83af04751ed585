package dev.plateau.detect;

import java.util.LinkedHashMap;

/**
 * The classic early-stopping rule, with Keras' and Lightning's semantics.
 *
 * <p>An <em>improvement</em> is a value better than the reference best by more than {@code
 * min_delta} (strictly; absolute, or relative to |best|). After each point that is not an
 * improvement the wait grows; when it reaches {@code patience} the series is CONVERGED, and the
 * checkpoint to keep is the best value seen. With {@code min_delta} 0 and patience k counted in
 * points, this is the seed rule "M(n) better than each of M(n+1..n+k): stop, keep n" (except that a
 * later value equal to M(n) does not count as an improvement here, as in Keras).
 *
 * <p>Parameters (defaults in brackets):
 *
 * <ul>
 *   <li>{@code patience} [10 points]: counted in points, steps ({@code 5000 steps}) or the writer's
 *       wall-clock time ({@code 30m}); time is also checked in {@link #atTime}.
 *   <li>{@code min_delta} [0]: absolute, or relative ({@code 1%}).
 *   <li>{@code start_step} [none]: a grace period; points before it neither count nor set the best.
 *   <li>{@code baseline} [none]: patience starts counting only once a value is better than it.
 * </ul>
 *
 * <p>NaN and infinite values are never improvements and count as waiting points (divergence is the
 * divergence detector's call); they never become the best. Hysteresis: after CONVERGED, an
 * improvement returns the series to TRAINING and the wait starts again. Points in step order; O(1)
 * per point, no allocation on a point (the evidence and reason are written out when read).
 */
public final class PatienceDetector extends DraftedDetector<PatienceDetector.Draft> {
  /**
   * Parameters; see the class comment. {@code baseline} NaN and {@code startStep} MIN mean none.
   */
  public record Params(Span patience, MinDelta minDelta, long startStep, double baseline) {
    public static final Params DEFAULTS =
        new Params(Span.points(10), MinDelta.ZERO, Long.MIN_VALUE, Double.NaN);
  }

  /** Which sentence the judgement says. */
  private enum Kind {
    NO_FINITE_VALUE,
    BELOW_BASELINE,
    CONVERGED,
    WAITING
  }

  /** The judgement: the wait so far and whether the baseline is beaten. */
  static final class Draft extends JudgementDraft<Draft> {
    private final Params params;
    Kind kind;
    long waited;
    long sinceStep;
    boolean counting;
    long step;

    Draft(Params params) {
      this.params = params;
    }

    @Override
    void copyFrom(Draft other) {
      super.copyFrom(other);
      kind = other.kind;
      waited = other.waited;
      sinceStep = other.sinceStep;
      counting = other.counting;
      step = other.step;
    }

    @Override
    Judgement build() {
      LinkedHashMap<String, Object> evidence = new LinkedHashMap<>();
      evidence.put("patience", params.patience().toString());
      evidence.put("min_delta", params.minDelta().toString());
      evidence.put("waited_points", waited);
      evidence.put("since_step", sinceStep);
      if (!Double.isNaN(params.baseline())) {
        evidence.put("baseline", params.baseline());
        evidence.put("baseline_beaten", counting);
      }
      String reason =
          switch (kind) {
            case NO_FINITE_VALUE -> "no finite value yet";
            case BELOW_BASELINE ->
                "waiting for a value better than the baseline " + params.baseline();
            case CONVERGED ->
                String.format(
                    "no improvement by more than %s for %s since step %d",
                    params.minDelta(), params.patience(), sinceStep);
            case WAITING ->
                waited == 0
                    ? "improved at step " + step
                    : "no improvement for " + waited + " points, patience " + params.patience();
          };
      return new Judgement(status, bestStep, bestValue, Evidence.owning(evidence), reason);
    }

    @Override
    int evidenceSize() {
      return Double.isNaN(params.baseline()) ? 4 : 6;
    }
  }

  private final Mode mode;
  private final Params params;
  private final BestTracker best;
  private final Judgement gracePeriod;
  private double reference = Double.NaN;
  private boolean counting;
  private long waited;
  private long sinceStep;
  private double sinceTime;
  private int points;
  private long lastStep;

  public PatienceDetector(Mode mode, Params params) {
    super(new Draft(params), new Draft(params));
    this.mode = mode;
    this.params = params;
    this.best = new BestTracker(mode);
    this.counting = Double.isNaN(params.baseline());
    this.gracePeriod = Judgement.waiting("grace period until step " + params.startStep());
  }

  @Override
  public String name() {
    return "patience";
  }

  @Override
  void update(long step, double wallTime, double value) {
    lastStep = step;
    if (step < params.startStep()) {
      fix(gracePeriod);
      return;
    }
    points++;
    best.offer(points - 1, step, wallTime, value);
    boolean improved =
        Double.isFinite(value)
            && (Double.isNaN(reference) || params.minDelta().improves(mode, value, reference));
    boolean startsNow = false;
    if (!counting && Double.isFinite(value) && mode.better(value, params.baseline())) {
      // The baseline is beaten: patience starts counting here, whatever min_delta says.
      counting = true;
      startsNow = true;
    }
    if (improved || startsNow) {
      if (improved) {
        reference = value;
      }
      waited = 0;
      sinceStep = step;
      sinceTime = wallTime;
    } else if (counting) {
      waited++;
    }
    judge(step, wallTime);
  }

  @Override
  void updateAt(double nowSeconds) {
    if (params.patience().unit() == Span.Unit.SECONDS && counting && !best.isEmpty()) {
      judge(lastStep, nowSeconds);
    }
  }

  @Override
  public double nextChangeAt() {
    if (params.patience().unit() != Span.Unit.SECONDS
        || !counting
        || best.isEmpty()
        || waited == 0
        || current().status() == Status.CONVERGED) {
      return Double.POSITIVE_INFINITY;
    }
    return sinceTime + params.patience().amount();
  }

  private void judge(long step, double time) {
    Draft d = edit();
    if (best.isEmpty()) {
      d.write(Status.TRAINING, -1, Double.NaN);
      d.kind = Kind.NO_FINITE_VALUE;
    } else if (!counting) {
      d.write(Status.TRAINING, best.step(), best.value());
      d.kind = Kind.BELOW_BASELINE;
    } else if (waited > 0 && params.patience().elapsed(waited, sinceStep, step, sinceTime, time)) {
      d.write(Status.CONVERGED, best.step(), best.value());
      d.kind = Kind.CONVERGED;
    } else {
      d.write(Status.TRAINING, best.step(), best.value());
      d.kind = Kind.WAITING;
    }
    d.waited = waited;
    d.sinceStep = sinceStep;
    d.counting = counting;
    d.step = step;
  }

  /** The saved state of a patience detector. */
  public record State(
      BestTracker.Saved best,
      double reference,
      boolean counting,
      long waited,
      long sinceStep,
      double sinceTime,
      int points,
      long lastStep,
      Judgement current)
      implements DetectorState {}

  @Override
  public DetectorState snapshot() {
    return new State(
        best.save(),
        reference,
        counting,
        waited,
        sinceStep,
        sinceTime,
        points,
        lastStep,
        current());
  }

  @Override
  public void restore(DetectorState state) {
    if (!(state instanceof State s)) {
      throw new IllegalArgumentException("not a patience detector's state: " + state);
    }
    best.load(s.best());
    reference = s.reference();
    counting = s.counting();
    waited = s.waited();
    sinceStep = s.sinceStep();
    sinceTime = s.sinceTime();
    points = s.points();
    lastStep = s.lastStep();
    fix(s.current());
  }
}
