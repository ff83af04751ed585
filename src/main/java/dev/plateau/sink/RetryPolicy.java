package dev.plateau.sink;

import java.time.Duration;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;

/**
 * When to try again after a failed delivery: exponential backoff with full jitter, never sooner
 * than the receiver asked (Retry-After), until {@code maxAttempts} attempts have failed or the
 * alert is {@code maxAge} old; then the alert is given up and logged.
 *
 * <p>Why full jitter: the delay before retry {@code n} is uniform in {@code [0, min(maxDelay,
 * initial × multiplier^(n−1))]}. Among the usual schemes (none, equal, full, decorrelated) it
 * spreads retries of many alerts to one receiver best for the least total work (the AWS
 * Architecture Blog's "Exponential Backoff And Jitter" measured this), and unlike decorrelated
 * jitter, which draws each delay from the previous one, it depends on the attempt number alone: the
 * outbox stores only a count, and {@link #delayBefore} stays a pure function. Its one weakness, a
 * delay near zero, is harmless here because a Retry-After always wins and the delivery worker also
 * keeps each sink's {@link AlertSink#minInterval()}.
 *
 * @param initial the upper bound of the first retry's delay (default 1 s)
 * @param multiplier how much the bound grows per attempt (default 2)
 * @param maxDelay the cap on the bound (default 5 min)
 * @param maxAttempts failed attempts after which the alert is given up (default unlimited: {@link
 *     Integer#MAX_VALUE}; the age limit applies)
 * @param maxAge age of an alert after which it is given up (default 24 h)
 */
public record RetryPolicy(
    Duration initial, double multiplier, Duration maxDelay, int maxAttempts, Duration maxAge) {

  /** 1 s, ×2, at most 5 min, until the alert is 24 h old. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(
          Duration.ofSeconds(1),
          2.0,
          Duration.ofMinutes(5),
          Integer.MAX_VALUE,
          Duration.ofHours(24));

  public RetryPolicy {
    if (initial.isNegative() || initial.isZero()) {
      throw new SinkConfigException("retry initial delay must be positive, got " + initial);
    }
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw new SinkConfigException("retry multiplier must be at least 1, got " + multiplier);
    }
    if (maxDelay.compareTo(initial) < 0) {
      throw new SinkConfigException(
          "retry max delay ("
              + maxDelay
              + ") must not be below the initial delay ("
              + initial
              + ")");
    }
    if (maxAttempts < 1) {
      throw new SinkConfigException("retry max attempts must be at least 1, got " + maxAttempts);
    }
    if (maxAge.isNegative() || maxAge.isZero()) {
      throw new SinkConfigException("retry max age must be positive, got " + maxAge);
    }
  }

  /**
   * The delay before retry number {@code attempt} (1 for the first retry, after the first failed
   * attempt): a uniform draw in {@code [0, bound]} with {@code bound = min(maxDelay, initial ×
   * multiplier^(attempt−1))}, raised to {@code retryAfter} when the receiver asked for more.
   *
   * @param attempt the retry's number, from 1
   * @param retryAfter what the receiver asked for (already capped by the sink), or null
   * @param random a source of numbers in [0, 1); values outside are clamped
   */
  public Duration delayBefore(int attempt, @Nullable Duration retryAfter, DoubleSupplier random) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt numbers start at 1, got " + attempt);
    }
    double r = Math.min(1.0, Math.max(0.0, random.getAsDouble()));
    Duration jittered = Duration.ofNanos(Math.round(r * bound(attempt)));
    if (retryAfter != null && retryAfter.compareTo(jittered) > 0) {
      return retryAfter;
    }
    return jittered;
  }

  /** The largest delay that {@link #delayBefore} can draw for this attempt, in nanoseconds. */
  double bound(int attempt) {
    // Doubles saturate to infinity instead of overflowing, and min() then picks maxDelay.
    double grown = initial.toNanos() * Math.pow(multiplier, attempt - 1.0);
    return Math.min(grown, maxDelay.toNanos());
  }

  /**
   * Whether to give the alert up after {@code failedAttempts} failures, the alert being {@code age}
   * old (from its first attempt).
   */
  public boolean givesUp(int failedAttempts, Duration age) {
    return failedAttempts >= maxAttempts || age.compareTo(maxAge) >= 0;
  }
}
