package dev.plateau.detect;

/** Which direction is better for a metric. */
public enum Mode {
  /** Lower is better: losses, errors. */
  MIN,
  /** Higher is better: accuracies, scores. */
  MAX;

  /** Whether {@code a} is strictly better than {@code b}; NaN is never better. */
  public boolean better(double a, double b) {
    return this == MIN ? a < b : a > b;
  }

  /**
   * The value as "lower is better": {@code value} for MIN, {@code -value} for MAX. Detectors that
   * work on one orientation use this.
   */
  public double lowerIsBetter(double value) {
    return this == MIN ? value : -value;
  }

  /** The inverse of {@link #lowerIsBetter}. */
  public double fromLowerIsBetter(double value) {
    return this == MIN ? value : -value;
  }

  /** The name used in config and JSON: "min" or "max". */
  public String jsonName() {
    return this == MIN ? "min" : "max";
  }
}
