package dev.plateau.daemon;

import java.time.Clock;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The daemon loop's time: the wall clock its heartbeat is stamped with, the monotonic nanoseconds
 * its poll interval and round budget are measured on, and the longest real wait before the loop
 * reads them again. The system's ({@link #SYSTEM}) waits until the next round is due; a test's
 * moves only when the test advances it, so the loop looks at it again every few milliseconds.
 *
 * @param wall the clock of the heartbeat ({@link DaemonMetrics#heartbeatMillis()})
 * @param nanos monotonic nanoseconds, as {@link System#nanoTime()}
 * @param recheck the longest the loop waits before reading {@code nanos} again
 */
public record LoopTime(Clock wall, LongSupplier nanos, Duration recheck) {
  /** The system's clocks; the loop waits until a round is due or it is woken. */
  public static final LoopTime SYSTEM =
      new LoopTime(Clock.systemUTC(), System::nanoTime, Duration.ofNanos(Long.MAX_VALUE));

  public LoopTime {
    if (recheck.isNegative() || recheck.isZero()) {
      throw new IllegalArgumentException("recheck must be positive, not " + recheck);
    }
  }

  long now() {
    return nanos.getAsLong();
  }
}
