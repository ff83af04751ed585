package dev.plateau.detect;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A validation series worsens significantly while its training twin still improves: OVERFITTING,
 * keep the best validation step.
 *
 * <p>Fed the validation series through {@link #observe} and the training twin through {@link
 * #observeTwin}, each in step order; the owner feeds twin points up to a validation point's step
 * before that point. Over the last {@code window} validation points (and the twin's points in the
 * same step range):
 *
 * <ul>
 *   <li>validation has a significant worsening trend: Mann–Kendall z beyond {@code z} in the
 *       "worse" direction;
 *   <li>the latest validation value is worse than the best by more than {@code min_worsening} of
 *       the validation curve's range so far (so that a statistically clear but tiny drift does not
 *       count);
 *   <li>training has a significant improving trend (Mann–Kendall z beyond {@code z} the other way)
 *       over at least 4 of its points.
 * </ul>
 *
 * <p>Parameters (defaults in brackets): {@code window} [20 points; from 6 to 10,000], {@code z}
 * [1.645, one-sided 5%], {@code min_worsening} [0.05], {@code min_points} [10]. NaN and infinite
 * values are left out of the windows. Hysteresis: a new best validation value returns the series to
 * TRAINING. Without twin points it never fires.
 *
 * <p><b>The twin's points are bounded</b> by {@code maxTwinPoints} [4096]. The detector keeps the
 * twin's points from the validation window's first step on, including those ahead of the latest
 * validation point (a backfill reads a whole training run before its validation run). When a new
 * twin point makes {@code maxTwinPoints}, every other kept point is dropped and from then on only
 * every second new point is kept (every fourth after a second thinning, and so on), so memory stays
 * bounded and the kept points are an evenly thinned sample spanning the same steps; once validation
 * has caught up and fewer than a quarter of the bound remain, new points are kept twice as densely
 * again. The training trend is then judged on that sample: the same test on fewer points, which
 * needs a clearer trend to be significant, and which finds no trend with fewer than 4 points in the
 * window (a training run of far more than {@code maxTwinPoints} points read ahead of a short
 * validation window). Below the bound nothing is dropped and the verdicts are those of a detector
 * without one.
 *
 * <p>Cost per validation point: O(w log w) for the window's w validation points and the twin's
 * points in its range (at most {@code maxTwinPoints}), plus a scan of the kept twin points; no
 * allocation once the buffers have grown (the evidence and reason are written out when read). Per
 * twin point: amortised O(1).
 */
public final class OverfittingDetector extends DraftedDetector<OverfittingDetector.Draft> {
  /**
   * Parameters; see the class comment.
   *
   * @param maxTwinPoints how many training twin points are kept at most (at least 16)
   */
  public record Params(
      int window, double z, double minWorsening, int minPoints, int maxTwinPoints) {
    public static final Set<String> KEYS =
        Set.of("window", "z", "min_worsening", "min_points", "twin_tag", "twin_run");

    /** The default bound on kept twin points. */
    public static final int MAX_TWIN_POINTS = 4096;

    public static final Params DEFAULTS = new Params(20, 1.645, 0.05, 10);

    /** The largest window: the detector keeps two arrays of this many points. */
    public static final int MAX_WINDOW = 10_000;

    public Params {
      if (window < 6 || window > MAX_WINDOW) {
        throw new IllegalArgumentException(
            "overfitting window must be from 6 to " + MAX_WINDOW + ", got " + window);
      }
      if (maxTwinPoints < 16) {
        throw new IllegalArgumentException(
            "overfitting keeps at least 16 twin points, got " + maxTwinPoints);
      }
    }

    /** Parameters with the default bound on twin points. */
    public Params(int window, double z, double minWorsening, int minPoints) {
      this(window, z, minWorsening, minPoints, MAX_TWIN_POINTS);
    }
  }

  /** Which judgement the draft says. */
  private enum Kind {
    NEW_BEST,
    WARMING_UP,
    NOT_OVERFITTING,
    OVERFITTING
  }

  /** The judgement: the window's statistics. */
  static final class Draft extends JudgementDraft<Draft> {
    private final Params params;
    Kind kind;
    int size;
    double validationZ;
    double trainingZ;
    double worsening;

    Draft(Params params) {
      this.params = params;
    }

    @Override
    void copyFrom(Draft other) {
      super.copyFrom(other);
      kind = other.kind;
      size = other.size;
      validationZ = other.validationZ;
      trainingZ = other.trainingZ;
      worsening = other.worsening;
    }

    @Override
    Judgement build() {
      return switch (kind) {
        case NEW_BEST ->
            new Judgement(status, bestStep, bestValue, Map.of(), "validation reached a new best");
        case WARMING_UP -> new Judgement(status, bestStep, bestValue, Map.of(), "warming up");
        case NOT_OVERFITTING ->
            new Judgement(
                status,
                bestStep,
                bestValue,
                evidence(),
                "no overfitting: validation z " + round(validationZ));
        case OVERFITTING ->
            new Judgement(
                status,
                bestStep,
                bestValue,
                evidence(),
                String.format(
                    "validation worsened over the last %d points (Mann-Kendall z %.2f) while training"
                        + " still improved (z %.2f); best validation at step %d",
                    size, validationZ, trainingZ, bestStep));
      };
    }

    private Map<String, Object> evidence() {
      LinkedHashMap<String, Object> evidence = new LinkedHashMap<>();
      evidence.put("window", size);
      evidence.put("validation_mk_z", round(validationZ));
      evidence.put("training_mk_z", Double.isNaN(trainingZ) ? "no twin points" : round(trainingZ));
      evidence.put("worsening", round(worsening));
      evidence.put("z", params.z());
      evidence.put("min_worsening", params.minWorsening());
      return Evidence.owning(evidence);
    }

    @Override
    int evidenceSize() {
      return kind == Kind.NEW_BEST || kind == Kind.WARMING_UP ? 0 : 6;
    }
  }

  private final Mode mode;
  private final Params params;
  private final BestTracker best;
  // The window's points, oldest first; the arrays grow by doubling up to the window.
  private double[] steps;
  private double[] values;
  private int size;
  private int count;
  private double worst = Double.NaN;
  // The validation window and the twin's slide a point at a time: their trends are updated.
  private final MannKendall mannKendall = new MannKendall();
  private final SlidingMannKendall validationTrend = new SlidingMannKendall(mannKendall);
  private final SlidingMannKendall twinTrend = new SlidingMannKendall(mannKendall);

  // The twin's kept points, oldest first, in [twinHead, twinTail); values oriented lower-is-better.
  private double[] twinSteps = new double[16];
  private double[] twinValues = new double[16];
  private int twinHead;
  private int twinTail;
  private double[] twinWindow = new double[16];
  // One twin point in twinStride is kept; twinSkipped were dropped since the last one kept.
  private int twinStride = 1;
  private int twinSkipped;

  public OverfittingDetector(Mode mode, Params params) {
    super(new Draft(params), new Draft(params));
    this.mode = mode;
    this.params = params;
    this.best = new BestTracker(mode);
    this.steps = new double[Math.min(16, params.window())];
    this.values = new double[steps.length];
  }

  private void ensureWindow(int points) {
    if (points > steps.length) {
      int capacity = Math.min(Math.max(points, 2 * steps.length), params.window());
      steps = Arrays.copyOf(steps, capacity);
      values = Arrays.copyOf(values, capacity);
    }
  }

  @Override
  public String name() {
    return "overfitting";
  }

  /** Feeds a point of the training twin. */
  public void observeTwin(long step, double wallTime, double value) {
    if (!Double.isFinite(value)) {
      return;
    }
    if (twinSkipped + 1 < twinStride) {
      twinSkipped++;
    } else {
      twinSkipped = 0;
      appendTwin(step, mode.lowerIsBetter(value));
    }
    trimTwin();
  }

  /** Keeps a twin point; when that makes the bound, thins the kept points. */
  private void appendTwin(double step, double oriented) {
    if (twinTail == twinSteps.length) {
      int kept = twinTail - twinHead;
      // Fewer than maxTwinPoints are kept here, so arrays of that length always have room.
      boolean grow = kept > twinSteps.length / 2 && twinSteps.length < params.maxTwinPoints();
      resizeTwin(grow ? Math.min(2 * twinSteps.length, params.maxTwinPoints()) : twinSteps.length);
    }
    twinSteps[twinTail] = step;
    twinValues[twinTail] = oriented;
    twinTail++;
    if (twinTail - twinHead >= params.maxTwinPoints()) {
      thinTwin();
    }
  }

  /** Moves the kept twin points to the start of arrays of {@code length}. */
  private void resizeTwin(int length) {
    int kept = twinTail - twinHead;
    double[] s = length == twinSteps.length ? twinSteps : new double[length];
    double[] v = length == twinValues.length ? twinValues : new double[length];
    System.arraycopy(twinSteps, twinHead, s, 0, kept);
    System.arraycopy(twinValues, twinHead, v, 0, kept);
    twinSteps = s;
    twinValues = v;
    twinHead = 0;
    twinTail = kept;
  }

  /**
   * Drops every other kept twin point, keeping the newest (the one just kept), and keeps new points
   * half as often: the kept points stay evenly spaced (see the class comment).
   */
  private void thinTwin() {
    int kept = twinTail - twinHead;
    int out = 0;
    for (int i = (kept - 1) % 2; i < kept; i += 2) {
      twinSteps[out] = twinSteps[twinHead + i];
      twinValues[out] = twinValues[twinHead + i];
      out++;
    }
    twinHead = 0;
    twinTail = out;
    twinStride *= 2;
  }

  /**
   * Drops twin points the validation window has moved past. Points ahead of validation are kept (a
   * backfill reads a whole training run before its validation run), up to the bound.
   */
  private void trimTwin() {
    double oldest = size == 0 ? Double.NEGATIVE_INFINITY : steps[0];
    while (twinHead < twinTail && twinSteps[twinHead] < oldest) {
      twinHead++;
    }
    int kept = twinTail - twinHead;
    if (twinStride > 1 && kept < params.maxTwinPoints() / 4) {
      // Validation has caught up with a thinned backfill: keep new points more densely again.
      twinStride /= 2;
      twinSkipped = Math.min(twinSkipped, twinStride - 1);
    }
    if (twinSteps.length > 64 && kept < twinSteps.length / 4) {
      // Give back the memory of a backfill.
      resizeTwin(Math.max(64, Integer.highestOneBit(Math.max(1, kept)) * 2));
    }
  }

  @Override
  void update(long step, double wallTime, double value) {
    if (!Double.isFinite(value)) {
      return;
    }
    count++;
    double oriented = mode.lowerIsBetter(value);
    worst = Double.isNaN(worst) ? oriented : Math.max(worst, oriented);
    boolean newBest = best.offer(count - 1, step, wallTime, value);
    if (size == params.window()) {
      System.arraycopy(steps, 1, steps, 0, size - 1);
      System.arraycopy(values, 1, values, 0, size - 1);
      size--;
    }
    ensureWindow(size + 1);
    steps[size] = step;
    values[size] = oriented;
    size++;
    trimTwin();
    if (newBest || count < params.minPoints() || size < 6) {
      Draft d = edit();
      d.write(Status.TRAINING, best.step(), best.value());
      d.kind = newBest ? Kind.NEW_BEST : Kind.WARMING_UP;
      return;
    }
    double valZ = validationTrend.z(values, 0, size);
    double bestOriented = mode.lowerIsBetter(best.value());
    double range = worst - bestOriented;
    double worsening = range > 0 ? (oriented - bestOriented) / range : 0;
    int twinCount = twinValuesBetween(steps[0], step);
    double twinZ = twinCount >= 4 ? twinTrend.z(twinWindow, 0, twinCount) : Double.NaN;
    boolean overfitting =
        valZ > params.z() && worsening > params.minWorsening() && twinZ < -params.z();
    if (overfitting || draft().status != Status.OVERFITTING) {
      Draft d = edit();
      d.write(overfitting ? Status.OVERFITTING : Status.TRAINING, best.step(), best.value());
      d.kind = overfitting ? Kind.OVERFITTING : Kind.NOT_OVERFITTING;
      d.size = size;
      d.validationZ = valZ;
      d.trainingZ = twinZ;
      d.worsening = worsening;
    }
  }

  /**
   * Copies the twin's values from the window's first step up to the current validation step, in the
   * order they came, into {@code twinWindow}; returns how many.
   */
  private int twinValuesBetween(double fromStep, double toStep) {
    if (twinWindow.length < twinTail - twinHead) {
      twinWindow = new double[twinSteps.length];
    }
    int n = 0;
    for (int i = twinHead; i < twinTail; i++) {
      double s = twinSteps[i];
      if (s >= fromStep && s <= toStep) {
        twinWindow[n++] = twinValues[i];
      }
    }
    return n;
  }

  private static double round(double x) {
    return Math.round(x * 1000) / 1000.0;
  }

  /**
   * The saved state of an overfitting detector: its windows, the twin's kept points and how densely
   * new ones are kept ({@code twinStride} 0, in states saved before the bound, means 1).
   */
  public record State(
      BestTracker.Saved best,
      double[] steps,
      double[] values,
      int count,
      double worst,
      double[] twinSteps,
      double[] twinValues,
      int twinStride,
      int twinSkipped,
      Judgement current)
      implements DetectorState {}

  @Override
  public DetectorState snapshot() {
    return new State(
        best.save(),
        Arrays.copyOf(steps, size),
        Arrays.copyOf(values, size),
        count,
        worst,
        Arrays.copyOfRange(twinSteps, twinHead, twinTail),
        Arrays.copyOfRange(twinValues, twinHead, twinTail),
        twinStride,
        twinSkipped,
        current());
  }

  @Override
  public void restore(DetectorState state) {
    if (!(state instanceof State s)
        || s.steps().length > params.window()
        || s.steps().length != s.values().length
        || s.twinSteps().length != s.twinValues().length) {
      throw new IllegalArgumentException("not this overfitting detector's state: " + state);
    }
    best.load(s.best());
    size = s.steps().length;
    ensureWindow(size);
    System.arraycopy(s.steps(), 0, steps, 0, size);
    System.arraycopy(s.values(), 0, values, 0, size);
    count = s.count();
    worst = s.worst();
    twinHead = 0;
    twinTail = 0;
    twinStride = Math.max(1, s.twinStride()); // 0 in states saved before the bound
    twinSkipped = Math.max(0, s.twinSkipped());
    for (int i = 0; i < s.twinSteps().length; i++) {
      appendTwin(s.twinSteps()[i], s.twinValues()[i]);
    }
    fix(s.current());
  }
}
