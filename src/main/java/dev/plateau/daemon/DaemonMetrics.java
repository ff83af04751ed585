package dev.plateau.daemon;

import dev.plateau.detect.Status;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a running daemon counts as it goes, as Prometheus client instruments: the polling thread
 * counts reading, rounds and verdicts, the delivery workers their attempts; {@link #register} hands
 * them to the registry {@code /metrics} is written from. What is read at a scrape instead (the
 * experiments' statuses, the outbox) is not here: the status server reads it from what the daemon
 * publishes.
 *
 * <p>Every labelled counter starts with each label value it can have at 0, so a rate or an alert
 * over it has a series before its first event: {@code plateau_verdicts_total} for every {@link
 * Status}, {@code plateau_deliveries_total} for every sink a worker delivers to ({@link
 * #expectSink}) and every outcome of {@link #DELIVERY_OUTCOMES}.
 */
public final class DaemonMetrics {
  /** The label values of {@code plateau_deliveries_total}'s {@code outcome}. */
  public static final List<String> DELIVERY_OUTCOMES = List.of("delivered", "retry", "rejected");

  /** Upper bounds of {@code plateau_round_duration_seconds}: a round takes milliseconds. */
  static final double[] ROUND_SECONDS =
      new double[] {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

  /**
   * Upper bounds of {@code plateau_read_lag_seconds}: writers flush every few seconds to two
   * minutes (TensorFlow's default), and a backlog read at start-up is hours old.
   */
  static final double[] LAG_SECONDS =
      new double[] {1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 21600, 86400};

  private final Counter records =
      counter("plateau_records_read_total", "Complete records read from event files.");
  private final Counter bytes =
      counter("plateau_bytes_read_total", "Bytes of complete records read.");
  private final Counter points = counter("plateau_points_read_total", "Scalar points decoded.");
  private final Counter corruptRecords =
      counter("plateau_corrupt_records_total", "Corrupt stretches skipped in event files.");
  private final Counter rounds = counter("plateau_rounds_total", "Rounds of reading completed.");
  private final Counter failedRounds =
      counter("plateau_failed_rounds_total", "Rounds that failed or could not be committed.");
  private final Counter verdicts =
      Counter.builder()
          .name("plateau_verdicts_total")
          .help("Verdict transitions recorded, by status (every status, from 0).")
          .labelNames("status")
          .withoutExemplars()
          .build();
  private final Counter deliveries =
      Counter.builder()
          .name("plateau_deliveries_total")
          .help(
              "Delivery attempts, by sink and outcome (delivered, retry, rejected; every sink and"
                  + " outcome from 0).")
          .labelNames("sink", "outcome")
          .withoutExemplars()
          .build();
  private final Gauge lag =
      Gauge.builder()
          .name("plateau_lag_seconds")
          .help(
              "From the writer's wall time of the newest point read in the last round that read"
                  + " points, to its processing.")
          .unit(Unit.SECONDS)
          .withoutExemplars()
          .build();
  private final Gauge lastRound =
      Gauge.builder()
          .name("plateau_last_round_seconds")
          .help("Duration of the last round.")
          .unit(Unit.SECONDS)
          .withoutExemplars()
          .build();
  private final Gauge lastRoundCpu =
      Gauge.builder()
          .name("plateau_last_round_cpu_seconds")
          .help("CPU time of the last round's work (the polling thread and the judge threads).")
          .unit(Unit.SECONDS)
          .withoutExemplars()
          .build();
  private final Histogram roundDuration =
      Histogram.builder()
          .name("plateau_round_duration_seconds")
          .help("Duration of each round (reading, judging and committing every logdir once).")
          .unit(Unit.SECONDS)
          .classicOnly()
          .classicUpperBounds(ROUND_SECONDS)
          .withoutExemplars()
          .build();
  private final Histogram readLag =
      Histogram.builder()
          .name("plateau_read_lag_seconds")
          .help(
              "Per round that read points: from the writer's wall time of the newest point read to"
                  + " its processing.")
          .unit(Unit.SECONDS)
          .classicOnly()
          .classicUpperBounds(LAG_SECONDS)
          .withoutExemplars()
          .build();

  final AtomicLong heartbeatMillis = new AtomicLong();
  private final Map<String, Boolean> ready = new ConcurrentHashMap<>();

  public DaemonMetrics() {
    for (Status status : Status.values()) {
      verdicts.initLabelValues(status.jsonName());
    }
  }

  private static Counter counter(String name, String help) {
    return Counter.builder().name(name).help(help).withoutExemplars().build();
  }

  /** Registers every instrument with {@code registry} (a registry may hold them once). */
  public void register(PrometheusRegistry registry) {
    for (Collector metric :
        List.<Collector>of(
            records,
            bytes,
            points,
            corruptRecords,
            rounds,
            failedRounds,
            verdicts,
            deliveries,
            lag,
            lastRound,
            lastRoundCpu,
            roundDuration,
            readLag)) {
      registry.register(metric);
    }
    extra.forEach(registry::register);
  }

  private final List<io.prometheus.metrics.model.registry.MultiCollector> extra =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * Adds metrics that the daemon does not make itself (the object stores' requests), written with
   * the rest; before {@link #register}.
   */
  public void alsoCollect(io.prometheus.metrics.model.registry.MultiCollector collector) {
    extra.add(collector);
  }

  void read(long records, long bytes, long points, long corruptRecords) {
    this.records.inc(records);
    this.bytes.inc(bytes);
    this.points.inc(points);
    this.corruptRecords.inc(corruptRecords);
  }

  /** The newest point a round read was written {@code millis} before it was processed. */
  void lag(long millis) {
    double seconds = Unit.millisToSeconds(millis);
    lag.set(seconds);
    readLag.observe(seconds);
  }

  /** A round ended after {@code nanos}, its work having used {@code cpuNanos} of CPU. */
  void roundDone(long nanos, long cpuNanos, long wallMillis) {
    double seconds = Unit.nanosToSeconds(nanos);
    rounds.inc();
    lastRound.set(seconds);
    roundDuration.observe(seconds);
    lastRoundCpu.set(Unit.nanosToSeconds(cpuNanos));
    heartbeatMillis.set(wallMillis);
  }

  void roundFailed() {
    failedRounds.inc();
  }

  void verdict(Status status) {
    verdicts.labelValues(status.jsonName()).inc();
  }

  /** Shows {@code sink}'s delivery counters at 0 for every outcome until it first delivers. */
  void expectSink(String sink) {
    for (String outcome : DELIVERY_OUTCOMES) {
      deliveries.initLabelValues(sink, outcome);
    }
  }

  /**
   * One delivery attempt to {@code sink}.
   *
   * @param outcome one of {@link #DELIVERY_OUTCOMES}
   */
  void delivery(String sink, String outcome) {
    if (!DELIVERY_OUTCOMES.contains(outcome)) {
      throw new IllegalArgumentException("not a delivery outcome: " + outcome);
    }
    deliveries.labelValues(sink, outcome).inc();
  }

  void expect(String logdir) {
    ready.putIfAbsent(logdir, false);
  }

  void scanned(String logdir) {
    ready.put(logdir, true);
  }

  /** Whether the first scan of every logdir is done, and none is unreachable for too long. */
  public boolean ready() {
    return !ready.isEmpty()
        && ready.values().stream().allMatch(Boolean::booleanValue)
        && unreachable.isEmpty();
  }

  /** Why the daemon is not ready, in a line; empty when it is. */
  public String notReady() {
    if (!unreachable.isEmpty()) {
      return "unreachable for longer than object_store.unreachable_after: "
          + String.join(", ", new java.util.TreeSet<>(unreachable));
    }
    return ready() ? "" : "first scan not done";
  }

  /** Logdirs that could not be read for longer than their limit. */
  private final java.util.Set<String> unreachable = ConcurrentHashMap.newKeySet();

  void unreachable(String logdir, boolean tooLong) {
    if (tooLong) {
      unreachable.add(logdir);
    } else {
      unreachable.remove(logdir);
    }
  }

  /** When the main loop last completed a round, in epoch milliseconds (0 before the first). */
  public long heartbeatMillis() {
    return heartbeatMillis.get();
  }

  /** Rounds completed so far. */
  public long rounds() {
    return rounds.getLongValue();
  }

  /** Points decoded so far. */
  public long points() {
    return points.getLongValue();
  }
}
