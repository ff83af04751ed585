package dev.plateau.detect;

import java.util.ArrayDeque;
import java.util.Deque;
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
 *       the validation curve's range so far (so that a statistically clear but tiny drift does
 *       not count);
 *   <li>training has a significant improving trend (Mann–Kendall z beyond {@code z} the other
 *       way) over at least 4 of its points.
 * </ul>
 *
 * <p>Parameters (defaults in brackets): {@code window} [20 points; from 6 to 10,000], {@code z}
 * [1.645, one-sided 5%], {@code min_worsening} [0.05], {@code min_points} [10]. NaN and infinite
 * values are left out of the windows. Hysteresis: a new best validation value returns the series to
 * TRAINING. Without twin points it never fires.
 */
public final class OverfittingDetector implements Detector {
  /** Parameters; see the class comment. */
  public record Params(int window, double z, double minWorsening, int minPoints) {
    public static final Set<String> KEYS =
        Set.of("window", "z", "min_worsening", "min_points", "twin_tag", "twin_run");
    public static final Params DEFAULTS = new Params(20, 1.645, 0.05, 10);

    /** The largest window: the detector keeps two arrays of this many points. */
    public static final int MAX_WINDOW = 10_000;

    public Params {
      if (window < 6 || window > MAX_WINDOW) {
        throw new IllegalArgumentException(
            "overfitting window must be from 6 to " + MAX_WINDOW + ", got " + window);
      }
    }
  }

  private final Mode mode;
  private final Params params;
  private final BestTracker best;
  private final double[] steps;
  private final double[] values;
  private int size;
  private int count;
  private double worst = Double.NaN;
  private final Deque<double[]> twin = new ArrayDeque<>();
  private Judgement current = Judgement.waiting("no point yet");

  public OverfittingDetector(Mode mode, Params params) {
    this.mode = mode;
    this.params = params;
    this.best = new BestTracker(mode);
    this.steps = new double[params.window()];
    this.values = new double[params.window()];
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
    twin.addLast(new double[] {step, mode.lowerIsBetter(value)});
    trimTwin();
  }

  /**
   * Drops twin points the validation window has moved past. Points ahead of validation are kept
   * (a backfill reads a whole training run before its validation run), so the twin holds at most
   * the training points from the validation window's start on.
   */
  private void trimTwin() {
    double oldest = size == 0 ? Double.NEGATIVE_INFINITY : steps[0];
    while (!twin.isEmpty() && twin.peekFirst()[0] < oldest) {
      twin.removeFirst();
    }
  }

  @Override
  public Judgement observe(long step, double wallTime, double value) {
    if (!Double.isFinite(value)) {
      return current;
    }
    count++;
    double oriented = mode.lowerIsBetter(value);
    worst = Double.isNaN(worst) ? oriented : Math.max(worst, oriented);
    boolean newBest = best.offer(count - 1, step, wallTime, value);
    if (size == steps.length) {
      System.arraycopy(steps, 1, steps, 0, size - 1);
      System.arraycopy(values, 1, values, 0, size - 1);
      size--;
    }
    steps[size] = step;
    values[size] = oriented;
    size++;
    trimTwin();
    if (newBest || count < params.minPoints() || size < 6) {
      current = training(newBest ? "validation reached a new best" : "warming up", Map.of());
      return current;
    }
    double valZ = TrendStatistics.mannKendallZ(values, 0, size);
    double bestOriented = mode.lowerIsBetter(best.value());
    double range = worst - bestOriented;
    double worsening = range > 0 ? (oriented - bestOriented) / range : 0;
    double[] twinValues = twinValuesBetween(steps[0], step);
    double twinZ = twinValues.length >= 4 ? TrendStatistics.mannKendallZ(twinValues, 0, twinValues.length) : Double.NaN;
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("window", size);
    evidence.put("validation_mk_z", round(valZ));
    evidence.put("training_mk_z", Double.isNaN(twinZ) ? "no twin points" : round(twinZ));
    evidence.put("worsening", round(worsening));
    evidence.put("z", params.z());
    evidence.put("min_worsening", params.minWorsening());
    if (valZ > params.z() && worsening > params.minWorsening() && twinZ < -params.z()) {
      current =
          new Judgement(
              Status.OVERFITTING,
              best.step(),
              best.value(),
              evidence,
              String.format(
                  "validation worsened over the last %d points (Mann-Kendall z %.2f) while training"
                      + " still improved (z %.2f); best validation at step %d",
                  size, valZ, twinZ, best.step()));
    } else if (current.status() != Status.OVERFITTING) {
      current = training("no overfitting: validation z " + round(valZ), evidence);
    }
    return current;
  }

  /** The twin's values from the window's first step up to the current validation step. */
  private double[] twinValuesBetween(double fromStep, double toStep) {
    return twin.stream()
        .filter(p -> p[0] >= fromStep && p[0] <= toStep)
        .mapToDouble(p -> p[1])
        .toArray();
  }

  private Judgement training(String reason, Map<String, Object> evidence) {
    return new Judgement(Status.TRAINING, best.step(), best.value(), evidence, reason);
  }

  private static double round(double x) {
    return Math.round(x * 1000) / 1000.0;
  }

  @Override
  public Judgement current() {
    return current;
  }

  /** The saved state of an overfitting detector: its windows and the twin's pending points. */
  public record State(
      BestTracker.Saved best,
      double[] steps,
      double[] values,
      int count,
      double worst,
      double[] twinSteps,
      double[] twinValues,
      Judgement current)
      implements DetectorState {}

  @Override
  public DetectorState snapshot() {
    double[] twinSteps = new double[twin.size()];
    double[] twinValues = new double[twin.size()];
    int i = 0;
    for (double[] p : twin) {
      twinSteps[i] = p[0];
      twinValues[i++] = p[1];
    }
    return new State(
        best.save(),
        java.util.Arrays.copyOf(steps, size),
        java.util.Arrays.copyOf(values, size),
        count,
        worst,
        twinSteps,
        twinValues,
        current);
  }

  @Override
  public void restore(DetectorState state) {
    if (!(state instanceof State s) || s.steps().length > steps.length) {
      throw new IllegalArgumentException("not this overfitting detector's state: " + state);
    }
    best.load(s.best());
    size = s.steps().length;
    System.arraycopy(s.steps(), 0, steps, 0, size);
    System.arraycopy(s.values(), 0, values, 0, size);
    count = s.count();
    worst = s.worst();
    twin.clear();
    for (int i = 0; i < s.twinSteps().length; i++) {
      twin.addLast(new double[] {s.twinSteps()[i], s.twinValues()[i]});
    }
    current = s.current();
  }
}
