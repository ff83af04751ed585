package dev.plateau.daemon;

import java.time.Duration;

/**
 * Decides how soon a round woken by a file-change event may start, so that rounds use at most
 * 1/{@code share} of one core on average, without delaying a quiet logdir's points.
 *
 * <p>A token bucket of CPU time: credit accrues at 1/{@code share} of the wall-clock time, up to
 * {@code burst}; each round spends the CPU time it used. While there is credit, the next round may
 * start after {@code minGap} (which gathers a burst of events into one round); in debt, the next
 * round waits until the debt is paid back. A point written now and then is therefore read at once,
 * whatever its round costs, and a logdir written to without pause is read at the rate the share
 * allows. Spacing every round by a multiple of its own cost, as before, also slowed the quiet case:
 * a round that used 20 ms of CPU made the next point wait 400 ms.
 *
 * <p>Pure: times are passed in, in nanoseconds of one monotonic clock. Not thread-safe (the
 * daemon's loop owns it).
 */
final class RoundBudget {
  private final int share;
  private final long burstNanos;
  private final long minGapNanos;
  private long credit;
  private long lastNanos;
  private boolean started;

  /**
   * @param share rounds may use 1/share of one core on average (at least 1)
   * @param burst the most CPU time that can be saved up while quiet (at least zero)
   * @param minGap the least time from one round's start to the next event round's start
   */
  RoundBudget(int share, Duration burst, Duration minGap) {
    if (share < 1 || burst.isNegative() || minGap.isNegative()) {
      throw new IllegalArgumentException(
          "share must be at least 1 and burst and gap not negative: "
              + share
              + ", "
              + burst
              + ", "
              + minGap);
    }
    this.share = share;
    this.burstNanos = burst.toNanos();
    this.minGapNanos = minGap.toNanos();
    this.credit = burstNanos;
  }

  /**
   * Books a round that started at {@code startNanos}, ended at {@code endNanos} and used {@code
   * cpuNanos} of CPU time; returns the earliest time the next event-woken round may start.
   */
  long afterRound(long startNanos, long endNanos, long cpuNanos) {
    if (started) {
      long elapsed = Math.max(0, endNanos - lastNanos);
      // elapsed / share, without overflow for very long idle times
      credit = Math.min(burstNanos, credit + Math.min(elapsed / share, burstNanos));
    }
    started = true;
    lastNanos = endNanos;
    credit -= Math.max(0, cpuNanos);
    long earliest = startNanos + minGapNanos;
    if (credit < 0) {
      earliest = Math.max(earliest, endNanos + -credit * share);
    }
    return earliest;
  }

  /** CPU time that may be spent at once now, in nanoseconds (negative: in debt). */
  long credit() {
    return credit;
  }
}
