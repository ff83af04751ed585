package dev.plateau.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Time that moves only when a test moves it: a {@link Clock} for wall time and, moving with it, a
 * monotonic nanosecond reading ({@link #nanoTime()}, {@link #ticker()}) for the code that measures
 * intervals. Safe to read from other threads (a daemon's loop, a server's) while the test advances
 * it.
 */
public final class FakeClock extends Clock {
  /** Where {@link #nanoTime()} starts: arbitrary, as {@link System#nanoTime()}'s origin is. */
  private static final long NANO_ORIGIN = 1_000_000_000L;

  private final Instant start;
  private final AtomicLong elapsedNanos = new AtomicLong();

  private FakeClock(Instant start) {
    this.start = start;
  }

  /** Standing at {@code start}. */
  public static FakeClock at(Instant start) {
    return new FakeClock(start);
  }

  /** Standing at {@code epochMillis}. */
  public static FakeClock atMillis(long epochMillis) {
    return at(Instant.ofEpochMilli(epochMillis));
  }

  /** Standing at the real present (for files whose wall times must look recent). */
  public static FakeClock atNow() {
    return atMillis(System.currentTimeMillis());
  }

  /** Moves time forward by {@code by} (never back: the nanosecond reading is monotonic). */
  public void advance(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("time only moves forward, not by " + by);
    }
    elapsedNanos.addAndGet(by.toNanos());
  }

  /** Moves time forward by {@code millis} milliseconds. */
  public void advanceMillis(long millis) {
    advance(Duration.ofMillis(millis));
  }

  /**
   * A monotonic reading in nanoseconds, as {@link System#nanoTime()}, that moves with this clock.
   */
  public long nanoTime() {
    return NANO_ORIGIN + elapsedNanos.get();
  }

  /** {@link #nanoTime()} as the {@code LongSupplier} of nanoseconds the production code takes. */
  public LongSupplier ticker() {
    return this::nanoTime;
  }

  @Override
  public Instant instant() {
    return start.plusNanos(elapsedNanos.get());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public String toString() {
    return "FakeClock[" + instant() + "]";
  }
}
