package dev.plateau.detect;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Feeds a detector TensorBoard's debiased exponential moving average of the series instead of the
 * raw values: last = last &times; w + (1 &minus; w) &times; y; n += 1; smoothed = last / (1 &minus;
 * w^n). The debiasing keeps the first points from being pulled towards zero.
 *
 * <p>NaN and infinite values are passed through unsmoothed (so divergence is still seen at once)
 * and leave the average untouched. The checkpoint the inner detector names is a step of the series,
 * with the smoothed value at that step.
 */
public final class SmoothedDetector implements Detector {
  private final Detector inner;
  private final double weight;
  private double last;
  private int count;

  /**
   * @param weight the smoothing weight w, in [0, 1); 0 passes values through
   */
  public SmoothedDetector(Detector inner, double weight) {
    if (!(weight >= 0 && weight < 1)) {
      throw new IllegalArgumentException("smoothing must be in [0, 1), got " + weight);
    }
    this.inner = inner;
    this.weight = weight;
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public Map<String, Object> forecast() {
    return inner.forecast();
  }

  @Override
  public @Nullable ForecastCurve forecastCurve() {
    return inner.forecastCurve();
  }

  @Override
  public void plannedEnd(long step) {
    inner.plannedEnd(step);
  }

  @Override
  public Judgement observe(long step, double wallTime, double value) {
    return inner.observe(step, wallTime, smooth(value));
  }

  /** The smoothed value for the next raw value. */
  double smooth(double value) {
    if (!Double.isFinite(value) || weight == 0) {
      return value;
    }
    last = last * weight + (1 - weight) * value;
    count++;
    return last / (1 - Math.pow(weight, count));
  }

  @Override
  public void learningRateDropped(long step) {
    inner.learningRateDropped(step);
  }

  @Override
  public void arrivedAt(double nowSeconds) {
    inner.arrivedAt(nowSeconds);
  }

  @Override
  public double nextChangeAt() {
    return inner.nextChangeAt();
  }

  @Override
  public Judgement atTime(double nowSeconds) {
    return inner.atTime(nowSeconds);
  }

  @Override
  public Judgement current() {
    return inner.current();
  }

  /** The saved state of a smoothed detector: the average and the inner detector's state. */
  public record State(double last, int count, DetectorState inner) implements DetectorState {}

  @Override
  public DetectorState snapshot() {
    return new State(last, count, inner.snapshot());
  }

  @Override
  public void restore(DetectorState state) {
    if (!(state instanceof State s)) {
      throw new IllegalArgumentException("not a smoothed detector's state: " + state);
    }
    last = s.last();
    count = s.count();
    inner.restore(s.inner());
  }

  /** The detector fed the smoothed values. */
  public Detector inner() {
    return inner;
  }
}
