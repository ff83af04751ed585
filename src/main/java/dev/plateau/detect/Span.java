package dev.plateau.detect;

/**
 * A length along a series: a number of points, of steps, or of seconds of the writer's wall time
 * ({@code patience: 10}, {@code patience: 5000 steps}, {@code patience: 30m} in config).
 *
 * @param amount how many units
 * @param unit which unit
 */
public record Span(double amount, Unit unit) {

  /** The units a span can be counted in. */
  public enum Unit {
    POINTS,
    STEPS,
    SECONDS
  }

  public Span {
    if (!(amount > 0) || Double.isInfinite(amount)) {
      throw new IllegalArgumentException("a span must be a finite number > 0, got " + amount);
    }
  }

  public static Span points(int n) {
    return new Span(n, Unit.POINTS);
  }

  /** Whether this span has passed between a start and now, given both ends in every unit. */
  public boolean elapsed(long points, long fromStep, long toStep, double fromTime, double toTime) {
    return switch (unit) {
      case POINTS -> points >= amount;
      case STEPS -> toStep - fromStep >= amount;
      case SECONDS -> toTime - fromTime >= amount;
    };
  }

  @Override
  public String toString() {
    return switch (unit) {
      case POINTS -> (long) amount + " points";
      case STEPS -> (long) amount + " steps";
      case SECONDS -> amount + " s";
    };
  }
}
