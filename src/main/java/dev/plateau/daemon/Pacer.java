package dev.plateau.daemon;

import java.time.Clock;
import java.time.Duration;

/**
 * Spaces sends to one receiver at least {@code minInterval} apart, across every worker that sends
 * to it (one per logdir): Slack takes about one message per second per webhook URL. Turns are
 * booked on an injected clock ({@link #book()}), so a test moves time instead of waiting for it.
 */
public final class Pacer {
  private final long minIntervalMillis;
  private final Clock clock;
  private long nextMillis = Long.MIN_VALUE / 2;

  /** Turns on the system clock. */
  public Pacer(Duration minInterval) {
    this(minInterval, Clock.systemUTC());
  }

  /** Turns on {@code clock}. */
  public Pacer(Duration minInterval, Clock clock) {
    this.minIntervalMillis = minInterval.toMillis();
    this.clock = clock;
  }

  /** Waits until this sender's turn, then books the next one. */
  public void awaitTurn() throws InterruptedException {
    Duration wait = book();
    if (!wait.isZero()) {
      Thread.sleep(wait.toMillis());
    }
  }

  /**
   * Books the caller's turn, the first free one from now on, and returns how long until it comes
   * (zero: now).
   */
  synchronized Duration book() {
    long now = clock.millis();
    long at = Math.max(now, nextMillis);
    nextMillis = at + minIntervalMillis;
    return Duration.ofMillis(at - now);
  }
}
