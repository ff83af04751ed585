package dev.plateau.objectstore;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Requests made to object stores, by kind ({@code list}, {@code get}, {@code put}, {@code delete})
 * and outcome ({@code ok}, {@code throttled}, {@code server_error}, {@code io_error}, {@code
 * denied}, {@code not_found}, {@code other}), every attempt counted (a retried request is several),
 * and the bytes read by GETs. Thread-safe; {@code /metrics} reads it.
 */
public final class ObjectRequestCounts {
  /** The kinds of request. */
  public static final java.util.List<String> KINDS =
      java.util.List.of("list", "get", "put", "delete");

  /** The outcomes of an attempt. */
  public static final java.util.List<String> OUTCOMES =
      java.util.List.of(
          "ok", "throttled", "server_error", "io_error", "denied", "not_found", "other");

  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final LongAdder bytesRead = new LongAdder();
  private final LongAdder retries = new LongAdder();

  /** One attempt of {@code kind} ended with {@code outcome}. */
  public void attempt(String kind, String outcome) {
    requests.computeIfAbsent(kind + " " + outcome, k -> new LongAdder()).increment();
  }

  /** An attempt failed and is tried again. */
  public void retried() {
    retries.increment();
  }

  /** A GET brought {@code n} bytes. */
  public void read(long n) {
    bytesRead.add(n);
  }

  /** Attempts of {@code kind} that ended with {@code outcome} so far. */
  public long attempts(String kind, String outcome) {
    LongAdder n = requests.get(kind + " " + outcome);
    return n == null ? 0 : n.sum();
  }

  /** Attempts by "kind outcome", those not made left out. */
  public Map<String, Long> attempts() {
    Map<String, Long> out = new TreeMap<>();
    requests.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  public long bytesRead() {
    return bytesRead.sum();
  }

  public long retries() {
    return retries.sum();
  }
}
