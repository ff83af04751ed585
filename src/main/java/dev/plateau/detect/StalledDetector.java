package dev.plateau.detect;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * No new point for longer than {@code after}: STALLED, judged at a time passed in ({@link
 * #atTime}), against the later of the writer's wall time of the last point and the time it
 * arrived ({@link #arrivedAt}, told by a live daemon). So a daemon started on an old logdir does
 * not call every finished run stalled at once (its points just arrived), while a one-shot check
 * judges by the writer's time. The job may have died or hung. A point whose wall time is NaN or
 * infinite counts from its arrival alone (and, without one, as in {@code check}, cannot stall).
 *
 * <p>Parameters: {@code after} [1h]: seconds without a new point. A new point returns the series
 * to TRAINING. Values do not matter, NaN included. In a replay nothing stalls: only the daemon and
 * {@code check} pass the current time.
 */
public final class StalledDetector implements Detector {
  /** Parameters; see the class comment. */
  public record Params(double afterSeconds) {
    public static final Params DEFAULTS = new Params(3600);

    public Params {
      if (!(afterSeconds > 0)) {
        throw new IllegalArgumentException("stalled after must be > 0 seconds, got " + afterSeconds);
      }
    }
  }

  private final Params params;
  private long lastStep = -1;
  private double lastTime = Double.NaN;
  private double lastArrival = Double.NEGATIVE_INFINITY;
  private Judgement current = Judgement.waiting("no point yet");

  public StalledDetector(Params params) {
    this.params = params;
  }

  @Override
  public String name() {
    return "stalled";
  }

  @Override
  public Judgement observe(long step, double wallTime, double value) {
    lastStep = step;
    lastTime = wallTime;
    current = new Judgement(Status.TRAINING, -1, Double.NaN, Map.of(), "points are arriving");
    return current;
  }

  @Override
  public void arrivedAt(double nowSeconds) {
    lastArrival = nowSeconds;
  }

  @Override
  public Judgement atTime(double nowSeconds) {
    // A wall time that is not finite (a writer's broken clock) says nothing: the arrival does.
    double last = Double.isFinite(lastTime) ? Math.max(lastTime, lastArrival) : lastArrival;
    if (!Double.isFinite(last)) {
      return current;
    }
    double quiet = nowSeconds - last;
    if (quiet > params.afterSeconds()) {
      Map<String, Object> evidence = new LinkedHashMap<>();
      evidence.put("seconds_without_points", Math.round(quiet));
      evidence.put("after_seconds", params.afterSeconds());
      current =
          new Judgement(
              Status.STALLED,
              -1,
              Double.NaN,
              evidence,
              String.format(
                  "no new point for %s since step %d (allowed %s)",
                  Durations.describe(quiet), lastStep, Durations.describe(params.afterSeconds())));
    }
    return current;
  }

  @Override
  public Judgement current() {
    return current;
  }

  /** The saved state of a stalled detector. */
  public record State(long lastStep, double lastTime, double lastArrival, Judgement current)
      implements DetectorState {}

  @Override
  public DetectorState snapshot() {
    return new State(lastStep, lastTime, lastArrival, current);
  }

  @Override
  public void restore(DetectorState state) {
    if (!(state instanceof State s)) {
      throw new IllegalArgumentException("not a stalled detector's state: " + state);
    }
    lastStep = s.lastStep();
    lastTime = s.lastTime();
    lastArrival = s.lastArrival();
    current = s.current();
  }
}
