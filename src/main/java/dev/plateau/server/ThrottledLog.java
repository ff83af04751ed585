package dev.plateau.server;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A log of things that can happen a thousand times a second at a client's will (bad requests, slow
 * connections cut off): the first in an interval is logged as it happens, the rest are counted by
 * kind and logged together, one line, when the interval is over. So a flood of bad requests costs
 * the log one line per interval, and a single one is still seen at once.
 */
final class ThrottledLog {
  private final Consumer<String> sink;
  private final String what;
  private final long intervalNanos;
  private final String interval;
  private final LongSupplier nanos;
  private final Map<String, Long> counts = new TreeMap<>();
  private long windowStart;
  private boolean windowOpen;

  /**
   * @param sink where lines go ({@code log::info})
   * @param what what is counted, in the plural ({@code "HTTP client errors"})
   * @param every the interval
   * @param nanos the time, in nanoseconds
   */
  ThrottledLog(Consumer<String> sink, String what, Duration every, LongSupplier nanos) {
    this.sink = sink;
    this.what = what;
    this.intervalNanos = every.toNanos();
    this.interval = every.toSeconds() + " s";
    this.nanos = nanos;
  }

  /**
   * One occurrence of {@code kind} (short, the same for all occurrences of one kind, e.g. {@code
   * "413 requests to this server have no body"}); {@code detail} (the request, the client) is
   * logged only when this occurrence is.
   */
  synchronized void record(String kind, String detail) {
    flush();
    if (!windowOpen) {
      windowOpen = true;
      windowStart = nanos.getAsLong();
      sink.accept(
          what
              + ": "
              + kind
              + " ("
              + detail
              + "); more within "
              + interval
              + " are counted and logged together");
    } else {
      counts.merge(kind, 1L, Long::sum);
    }
  }

  /**
   * Logs what was counted if the interval is over; call now and then (each occurrence does too).
   */
  synchronized void flush() {
    if (!windowOpen || nanos.getAsLong() - windowStart < intervalNanos) {
      return;
    }
    if (counts.isEmpty()) {
      windowOpen = false;
      return;
    }
    long total = counts.values().stream().mapToLong(Long::longValue).sum();
    StringBuilder line =
        new StringBuilder(what)
            .append(" in the last ")
            .append(interval)
            .append(", not logged one by one: ")
            .append(total)
            .append(" (");
    String sep = "";
    for (Map.Entry<String, Long> e : counts.entrySet()) {
      line.append(sep).append(e.getKey()).append(": ").append(e.getValue());
      sep = ", ";
    }
    sink.accept(line.append(')').toString());
    counts.clear();
    windowStart = nanos.getAsLong();
  }
}
