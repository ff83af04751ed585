package dev.plateau.detect;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * No new point for longer than {@code after}: STALLED, judged at a time passed in ({@link
 * #atTime}), against the writer's wall time of the last point, so that {@code check} and a daemon
 * (started now or a month ago) say the same of the same files at the same time. A wall time later
 * than the point's arrival ({@link #arrivedAt}, told by a live daemon: the writer's clock is ahead)
 * counts from the arrival. The job may have finished, died or hung. A point whose wall time is NaN
 * or infinite counts from its arrival alone (and, without one, as in {@code check}, cannot stall).
 *
 * <p>Parameters: {@code after} [1h]: seconds without a new point. A new point returns the series to
 * TRAINING. Values do not matter, NaN included. In a replay nothing stalls: only the daemon and
 * {@code check} pass the current time. O(1) per point and per time, no allocation on either (the
 * evidence and reason are written out when read).
 */
public final class StalledDetector extends DraftedDetector<StalledDetector.Draft> {
  /** Parameters; see the class comment. */
  public record Params(double afterSeconds) {
    public static final Params DEFAULTS = new Params(3600);

    public Params {
      if (!(afterSeconds > 0)) {
        throw new IllegalArgumentException(
            "stalled after must be > 0 seconds, got " + afterSeconds);
      }
    }
  }

  /** The judgement while points arrive, the same after every point. */
  private static final Judgement ARRIVING =
      new Judgement(Status.TRAINING, -1, Double.NaN, Map.of(), "points are arriving");

  /** The STALLED judgement: how long it has been quiet, after which step. */
  static final class Draft extends JudgementDraft<Draft> {
    private final Params params;
    double quiet;
    long lastStep;

    Draft(Params params) {
      this.params = params;
    }

    @Override
    void copyFrom(Draft other) {
      super.copyFrom(other);
      quiet = other.quiet;
      lastStep = other.lastStep;
    }

    @Override
    Judgement build() {
      LinkedHashMap<String, Object> evidence = new LinkedHashMap<>();
      evidence.put("seconds_without_points", Math.round(quiet));
      evidence.put("after_seconds", params.afterSeconds());
      return new Judgement(
          status,
          bestStep,
          bestValue,
          Evidence.owning(evidence),
          String.format(
              "no new point for %s since step %d (allowed %s)",
              Durations.describe(quiet), lastStep, Durations.describe(params.afterSeconds())));
    }

    @Override
    int evidenceSize() {
      return 2;
    }
  }

  private final Params params;
  private long lastStep = -1;
  private double lastTime = Double.NaN;
  private double lastArrival = Double.NEGATIVE_INFINITY;

  public StalledDetector(Params params) {
    super(new Draft(params), new Draft(params));
    this.params = params;
  }

  @Override
  public String name() {
    return "stalled";
  }

  @Override
  void update(long step, double wallTime, double value) {
    lastStep = step;
    lastTime = wallTime;
    fix(ARRIVING);
  }

  @Override
  public void arrivedAt(double nowSeconds) {
    lastArrival = nowSeconds;
  }

  @Override
  void updateAt(double nowSeconds) {
    double last = lastSign();
    if (!Double.isFinite(last)) {
      return;
    }
    double quiet = nowSeconds - last;
    if (quiet > params.afterSeconds()) {
      Draft d = edit();
      d.write(Status.STALLED, -1, Double.NaN);
      d.quiet = quiet;
      d.lastStep = lastStep;
    }
  }

  /**
   * When the job last gave a sign of life: the writer's wall time of the last point, which every
   * command reads the same; never later than the point's arrival (a writer's clock ahead of this
   * machine's counts from the arrival). A wall time that is not finite (a broken clock) says
   * nothing, and the arrival alone counts.
   */
  private double lastSign() {
    if (!Double.isFinite(lastTime)) {
      return lastArrival;
    }
    return Double.isFinite(lastArrival) ? Math.min(lastTime, lastArrival) : lastTime;
  }

  @Override
  public double nextChangeAt() {
    double last = lastSign();
    if (!Double.isFinite(last) || current().status() == Status.STALLED) {
      return Double.POSITIVE_INFINITY;
    }
    return last + params.afterSeconds();
  }

  /** The saved state of a stalled detector. */
  public record State(long lastStep, double lastTime, double lastArrival, Judgement current)
      implements DetectorState {}

  @Override
  public DetectorState snapshot() {
    return new State(lastStep, lastTime, lastArrival, current());
  }

  @Override
  public void restore(DetectorState state) {
    if (!(state instanceof State s)) {
      throw new IllegalArgumentException("not a stalled detector's state: " + state);
    }
    lastStep = s.lastStep();
    lastTime = s.lastTime();
    lastArrival = s.lastArrival();
    fix(s.current());
  }
}
