package dev.plateau.daemon;

import java.time.Duration;

/**
 * Spaces sends to one receiver at least {@code minInterval} apart, across every worker that sends
 * to it (one per logdir): Slack takes about one message per second per webhook URL.
 */
public final class Pacer {
  private final long minIntervalMillis;
  private long nextMillis = Long.MIN_VALUE / 2;

  public Pacer(Duration minInterval) {
    this.minIntervalMillis = minInterval.toMillis();
  }

  /** Waits until this sender's turn, then books the next one. */
  public void awaitTurn() throws InterruptedException {
    long wait;
    synchronized (this) {
      long now = System.currentTimeMillis();
      long at = Math.max(now, nextMillis);
      nextMillis = at + minIntervalMillis;
      wait = at - now;
    }
    if (wait > 0) {
      Thread.sleep(wait);
    }
  }
}
