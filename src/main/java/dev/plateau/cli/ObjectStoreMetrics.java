package dev.plateau.cli;

import dev.plateau.objectstore.ObjectRequestCounts;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * The object stores' requests on {@code /metrics}: {@code
 * plateau_object_store_requests_total{kind,outcome}} (every attempt; kinds list, get, put, delete;
 * every kind and outcome from 0), {@code plateau_object_store_retries_total} and {@code
 * plateau_object_store_read_bytes_total}.
 */
final class ObjectStoreMetrics implements MultiCollector {
  private final ObjectRequestCounts counts;

  ObjectStoreMetrics(ObjectRequestCounts counts) {
    this.counts = counts;
  }

  @Override
  public MetricSnapshots collect() {
    CounterSnapshot.Builder requests =
        CounterSnapshot.builder()
            .name("plateau_object_store_requests")
            .help("Requests to object stores (each attempt), by kind and outcome.");
    for (String kind : ObjectRequestCounts.KINDS) {
      for (String outcome : ObjectRequestCounts.OUTCOMES) {
        requests.dataPoint(
            CounterSnapshot.CounterDataPointSnapshot.builder()
                .labels(Labels.of("kind", kind, "outcome", outcome))
                .value(counts.attempts(kind, outcome))
                .build());
      }
    }
    return MetricSnapshots.of(
        requests.build(),
        single(
            "plateau_object_store_retries",
            "Object-store attempts that failed and were tried again.",
            counts.retries()),
        single(
            "plateau_object_store_read_bytes",
            "Bytes read from object stores.",
            counts.bytesRead()));
  }

  private static CounterSnapshot single(String name, String help, long value) {
    return CounterSnapshot.builder()
        .name(name)
        .help(help)
        .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(value).build())
        .build();
  }
}
