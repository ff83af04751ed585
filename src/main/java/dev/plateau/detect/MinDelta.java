package dev.plateau.detect;

/**
 * How much better a value must be to count as an improvement: an absolute amount, or a fraction of
 * the reference's magnitude ({@code min_delta: 1%} in config).
 *
 * @param amount the absolute amount, or the fraction (0.01 for 1%)
 * @param relative whether {@code amount} is a fraction of |reference|
 */
public record MinDelta(double amount, boolean relative) {
  public static final MinDelta ZERO = new MinDelta(0, false);

  public MinDelta {
    if (!(amount >= 0) || Double.isInfinite(amount)) {
      throw new IllegalArgumentException("min_delta must be a finite number >= 0, got " + amount);
    }
  }

  /** The absolute improvement needed over {@code reference}. */
  public double over(double reference) {
    return relative ? amount * Math.abs(reference) : amount;
  }

  /**
   * Whether {@code value} improves on {@code reference} by more than this delta in {@code mode}
   * (strictly, as Keras and Lightning compare). NaN never improves.
   */
  public boolean improves(Mode mode, double value, double reference) {
    double needed = over(reference);
    return mode == Mode.MIN ? value + needed < reference : value - needed > reference;
  }

  @Override
  public String toString() {
    return relative ? (amount * 100) + "%" : Double.toString(amount);
  }
}
