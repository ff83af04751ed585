package dev.plateau.detect;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a series judge knows of its run's learning-rate schedule: it follows one learning-rate
 * series ({@link LearningRateDrops}), keeps the drops found until the judged series reaches their
 * step, and holds back a convergence within {@code grace} of the latest drop it reached.
 *
 * <p>A drop found at step d applies to the first judged point at step d or later (the learning rate
 * is often logged at an epoch's start and the metric at its end, or both at the same step): the
 * judge then tells its detectors ({@link Detector#learningRateDropped}) and the grace starts at
 * that point. A drop found only after the judged series passed its step (its files were read later)
 * applies at the next judged point. The grace is a span of the judged series, in points or in
 * steps, counted from the point the drop applied at (that point included).
 *
 * <p>Which series is the learning rate is the owner's to say (the configuration's tag patterns);
 * the first one offered is followed and others are ignored, so one judge never mixes two schedules
 * (parameter groups, a second optimizer).
 *
 * <p>Pure: no I/O and no clock. Bounded: at most {@value #MAX_PENDING} drops wait for the judged
 * series (the oldest goes first).
 */
public final class ScheduleGrace {
  /** Drops kept while the judged series has not reached them. */
  public static final int MAX_PENDING = 16;

  /**
   * The schedule settings of a judge.
   *
   * @param drops what counts as a drop
   * @param grace how long after a drop no convergence is said (points or steps of the judged
   *     series; default 10 points)
   */
  public record Params(LearningRateDrops.Params drops, Span grace) {
    public static final Params DEFAULTS =
        new Params(LearningRateDrops.Params.DEFAULTS, Span.points(10));

    public Params {
      if (grace.unit() == Span.Unit.SECONDS) {
        throw new IllegalArgumentException(
            "schedule: grace is counted in points or steps of the judged series, not in time");
      }
    }
  }

  private final Params params;
  private final LearningRateDrops drops;
  private @Nullable String source;
  private long[] pendingStep = new long[0];
  private double[] pendingFrom = new double[0];
  private double[] pendingTo = new double[0];
  private int pending;

  // The latest drop the judged series reached, and where its grace started.
  private boolean dropped;
  private long dropStep;
  private double dropFrom = Double.NaN;
  private double dropTo = Double.NaN;
  private long graceFromPoints;
  private long graceFromStep;

  public ScheduleGrace(Params params) {
    this.params = params;
    this.drops = new LearningRateDrops(params.drops());
  }

  public Params params() {
    return params;
  }

  /**
   * Feeds a learning-rate point of series {@code source} (ignored unless it is the first source
   * offered). Returns true when it completes a drop, which then waits for the judged series.
   */
  public boolean learningRate(String source, long step, double value) {
    if (this.source == null) {
      this.source = source;
    } else if (!this.source.equals(source)) {
      return false;
    }
    LearningRateDrops.Drop drop = drops.observe(step, value);
    if (drop == null) {
      return false;
    }
    if (pending == MAX_PENDING) {
      System.arraycopy(pendingStep, 1, pendingStep, 0, pending - 1);
      System.arraycopy(pendingFrom, 1, pendingFrom, 0, pending - 1);
      System.arraycopy(pendingTo, 1, pendingTo, 0, pending - 1);
      pending--;
    }
    if (pending == pendingStep.length) {
      int n = Math.max(2, 2 * pending);
      pendingStep = Arrays.copyOf(pendingStep, n);
      pendingFrom = Arrays.copyOf(pendingFrom, n);
      pendingTo = Arrays.copyOf(pendingTo, n);
    }
    pendingStep[pending] = drop.step();
    pendingFrom[pending] = drop.from();
    pendingTo[pending] = drop.to();
    pending++;
    return true;
  }

  /**
   * The judged series' next point, its {@code points}-th, at {@code step}, before its detectors see
   * it: applies the waiting drops at or before {@code step} (a drop found after the series passed
   * its step applies here, at the next point). Returns the latest drop applied, or null.
   */
  LearningRateDrops.@Nullable Drop reach(long points, long step) {
    int applied = 0;
    while (applied < pending && pendingStep[applied] <= step) {
      applied++;
    }
    if (applied == 0) {
      return null;
    }
    int latest = applied - 1;
    dropped = true;
    dropStep = pendingStep[latest];
    dropFrom = pendingFrom[latest];
    dropTo = pendingTo[latest];
    graceFromPoints = points;
    graceFromStep = step;
    int left = pending - applied;
    System.arraycopy(pendingStep, applied, pendingStep, 0, left);
    System.arraycopy(pendingFrom, applied, pendingFrom, 0, left);
    System.arraycopy(pendingTo, applied, pendingTo, 0, left);
    pending = left;
    return new LearningRateDrops.Drop(dropStep, dropFrom, dropTo);
  }

  /**
   * Whether a convergence is held back at the judged series' {@code points}-th point, at {@code
   * step}: within the grace of the latest drop reached.
   */
  public boolean holds(long points, long step) {
    if (!dropped) {
      return false;
    }
    Span grace = params.grace();
    return grace.unit() == Span.Unit.POINTS
        ? points - graceFromPoints < grace.amount()
        : step - graceFromStep < grace.amount();
  }

  /** The evidence entry of a held-back convergence: the drop and the grace. */
  Map<String, Object> evidence() {
    LinkedHashMap<String, Object> e = new LinkedHashMap<>();
    e.put("step", dropStep);
    e.put("from", dropFrom);
    e.put("to", dropTo);
    e.put("grace", params.grace().toString());
    e.put("grace_from_step", graceFromStep);
    return Evidence.owning(e);
  }

  /** The sentence a held-back convergence starts with. */
  String reason() {
    return String.format(
        java.util.Locale.ROOT,
        "learning rate dropped at step %d (%.3g to %.3g): no convergence within %s of it; held back: ",
        dropStep,
        dropFrom,
        dropTo,
        params.grace());
  }

  /** The saved state of a judge's schedule. */
  public record State(
      @Nullable String source,
      LearningRateDrops.State drops,
      long[] pendingStep,
      double[] pendingFrom,
      double[] pendingTo,
      boolean dropped,
      long dropStep,
      double dropFrom,
      double dropTo,
      long graceFromPoints,
      long graceFromStep) {}

  public State snapshot() {
    return new State(
        source,
        drops.snapshot(),
        Arrays.copyOf(pendingStep, pending),
        Arrays.copyOf(pendingFrom, pending),
        Arrays.copyOf(pendingTo, pending),
        dropped,
        dropStep,
        dropFrom,
        dropTo,
        graceFromPoints,
        graceFromStep);
  }

  /** Resumes from a saved state; afterwards it behaves as the schedule that saved it. */
  public void restore(State s) {
    if (s.pendingStep().length > MAX_PENDING
        || s.pendingFrom().length != s.pendingStep().length
        || s.pendingTo().length != s.pendingStep().length) {
      throw new IllegalArgumentException("not a schedule's state: " + s.pendingStep().length);
    }
    source = s.source();
    drops.restore(s.drops());
    pending = s.pendingStep().length;
    pendingStep = s.pendingStep().clone();
    pendingFrom = s.pendingFrom().clone();
    pendingTo = s.pendingTo().clone();
    dropped = s.dropped();
    dropStep = s.dropStep();
    dropFrom = s.dropFrom();
    dropTo = s.dropTo();
    graceFromPoints = s.graceFromPoints();
    graceFromStep = s.graceFromStep();
  }
}
