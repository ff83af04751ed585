package dev.plateau.detect;

/**
 * The best finite value of a series so far, in a mode, and where it was. Ties keep the earlier
 * point, as the checkpoint that was saved first is as good and already exists.
 */
final class BestTracker {
  private final Mode mode;
  private long step = -1;
  private double value = Double.NaN;
  private double wallTime = Double.NaN;
  private int index = -1;

  BestTracker(Mode mode) {
    this.mode = mode;
  }

  /** Offers a point; returns true when it became the new best. Non-finite values are ignored. */
  boolean offer(int pointIndex, long step, double wallTime, double value) {
    if (!Double.isFinite(value)) {
      return false;
    }
    if (index < 0 || mode.better(value, this.value)) {
      this.index = pointIndex;
      this.step = step;
      this.value = value;
      this.wallTime = wallTime;
      return true;
    }
    return false;
  }

  boolean isEmpty() {
    return index < 0;
  }

  long step() {
    return step;
  }

  double value() {
    return value;
  }

  double wallTime() {
    return wallTime;
  }

  int index() {
    return index;
  }

  /** The tracker's state. */
  record Saved(long step, double value, double wallTime, int index) {}

  Saved save() {
    return new Saved(step, value, wallTime, index);
  }

  void load(Saved saved) {
    step = saved.step();
    value = saved.value();
    wallTime = saved.wallTime();
    index = saved.index();
  }
}
