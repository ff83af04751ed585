package dev.plateau.daemon;

import dev.plateau.detect.Status;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters and gauges of a running daemon, updated by the polling thread and the delivery workers,
 * read by the HTTP server. Names follow Prometheus conventions ({@code plateau_*_total} for
 * counters).
 */
public final class DaemonMetrics {
  final AtomicLong records = new AtomicLong();
  final AtomicLong bytes = new AtomicLong();
  final AtomicLong points = new AtomicLong();
  final AtomicLong corruptRecords = new AtomicLong();
  final AtomicLong rounds = new AtomicLong();
  final AtomicLong failedRounds = new AtomicLong();
  final AtomicLong lastRoundMillis = new AtomicLong();
  final AtomicLong lastRoundCpuMicros = new AtomicLong();
  final AtomicLong heartbeatMillis = new AtomicLong();
  final AtomicLong lagMillis = new AtomicLong();
  private final Map<String, AtomicLong> verdicts = new ConcurrentSkipListMap<>();
  private final Map<String, AtomicLong> deliveries = new ConcurrentSkipListMap<>();
  private final Map<String, Boolean> ready = new ConcurrentHashMap<>();

  void verdict(Status status) {
    verdicts.computeIfAbsent(status.jsonName(), s -> new AtomicLong()).incrementAndGet();
  }

  void delivery(String sink, String outcome) {
    deliveries.computeIfAbsent(sink + "\u0000" + outcome, s -> new AtomicLong()).incrementAndGet();
  }

  void expect(String logdir) {
    ready.putIfAbsent(logdir, false);
  }

  void scanned(String logdir) {
    ready.put(logdir, true);
  }

  /** Whether the first scan of every logdir is done. */
  public boolean ready() {
    return !ready.isEmpty() && ready.values().stream().allMatch(Boolean::booleanValue);
  }

  /** When the main loop last completed a round, in epoch milliseconds (0 before the first). */
  public long heartbeatMillis() {
    return heartbeatMillis.get();
  }

  public long records() {
    return records.get();
  }

  public long bytes() {
    return bytes.get();
  }

  public long points() {
    return points.get();
  }

  public long corruptRecords() {
    return corruptRecords.get();
  }

  public long rounds() {
    return rounds.get();
  }

  public long failedRounds() {
    return failedRounds.get();
  }

  /** The last round's duration. */
  public long lastRoundMillis() {
    return lastRoundMillis.get();
  }

  /** CPU time of the last round's work (polling and judge threads), in microseconds. */
  public long lastRoundCpuMicros() {
    return lastRoundCpuMicros.get();
  }

  /** Wall-clock lag between the newest point read in the last round and its processing. */
  public long lagMillis() {
    return lagMillis.get();
  }

  /** Verdicts recorded, by status. */
  public Map<String, Long> verdicts() {
    Map<String, Long> out = new TreeMap<>();
    verdicts.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /** Delivery attempts by "sink\u0000outcome" (delivered, retry, rejected). */
  public Map<String, Long> deliveries() {
    Map<String, Long> out = new TreeMap<>();
    deliveries.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }
}
