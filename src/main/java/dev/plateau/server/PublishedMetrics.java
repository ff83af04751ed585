package dev.plateau.server;

import dev.plateau.daemon.Daemon;
import dev.plateau.daemon.Watcher;
import dev.plateau.detect.Status;
import dev.plateau.detect.StopPolicy;
import dev.plateau.detect.StoppingSavings;
import dev.plateau.state.StateException;
import dev.plateau.state.StateStore;
import dev.plateau.verdict.ExperimentSavings;
import dev.plateau.verdict.ExperimentVerdict;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics read at each scrape from what the daemon publishes after a round (the experiments'
 * verdicts, the flags waiting to be written) and from the state stores (the outbox): one pass over
 * the published verdicts per scrape, whatever the number of metrics made of them.
 */
final class PublishedMetrics implements MultiCollector {
  private static final Logger log = LoggerFactory.getLogger(PublishedMetrics.class);

  static final String EXPERIMENT_STATUS = "plateau_experiment_status";
  static final String EXPERIMENT_STATUS_OMITTED = "plateau_experiment_status_omitted";

  // What stopping saved (StoppingSavings): per logdir, and per exported experiment.
  static final String STEPS_AFTER_BEST = "plateau_steps_after_best";
  static final String HOURS_AFTER_BEST = "plateau_hours_after_best";
  static final String STEPS_SPARED = "plateau_steps_spared";
  static final String HOURS_SPARED = "plateau_hours_spared";
  static final String EXPERIMENT_STEPS_AFTER_BEST = "plateau_experiment_steps_after_best";
  static final String EXPERIMENT_STEPS_SPARED = "plateau_experiment_steps_spared";

  /**
   * The families whose labels name experiments or logdir paths: a server with a token serves them
   * only to requests that carry it, as it does the page and {@code /api/runs}.
   */
  static final Set<String> NAMING =
      Set.of(
          EXPERIMENT_STATUS,
          STEPS_AFTER_BEST,
          HOURS_AFTER_BEST,
          STEPS_SPARED,
          HOURS_SPARED,
          EXPERIMENT_STEPS_AFTER_BEST,
          EXPERIMENT_STEPS_SPARED);

  /** The old name of {@code plateau_watched_experiments}, kept for one release. */
  static final String DEPRECATED_RUNS = "plateau_runs";

  /** What the registry checks names against (every family, its type and labels). */
  private static final List<MetricFamilyDescriptor> FAMILIES =
      List.of(
          MetricFamilyDescriptor.gauge("plateau_flags_pending").build(),
          MetricFamilyDescriptor.counter("plateau_flag_write_failures").build(),
          MetricFamilyDescriptor.gauge("plateau_watched_experiments").build(),
          MetricFamilyDescriptor.gauge(DEPRECATED_RUNS).build(),
          MetricFamilyDescriptor.gauge("plateau_series").build(),
          MetricFamilyDescriptor.gauge("plateau_experiments").labelNames("status").build(),
          MetricFamilyDescriptor.gauge(EXPERIMENT_STATUS)
              .labelNames("logdir", "experiment", "status")
              .build(),
          MetricFamilyDescriptor.gauge(EXPERIMENT_STATUS_OMITTED).build(),
          MetricFamilyDescriptor.gauge("plateau_outbox_pending").build(),
          MetricFamilyDescriptor.gauge(STEPS_AFTER_BEST).labelNames("logdir").build(),
          MetricFamilyDescriptor.gauge(HOURS_AFTER_BEST).labelNames("logdir").build(),
          MetricFamilyDescriptor.gauge(STEPS_SPARED).labelNames("logdir").build(),
          MetricFamilyDescriptor.gauge(HOURS_SPARED).labelNames("logdir").build(),
          MetricFamilyDescriptor.gauge(EXPERIMENT_STEPS_AFTER_BEST)
              .labelNames("logdir", "experiment")
              .build(),
          MetricFamilyDescriptor.gauge(EXPERIMENT_STEPS_SPARED)
              .labelNames("logdir", "experiment")
              .build());

  private final Daemon daemon;
  private final List<StateStore> stores;
  private final MetricsLimits limits;

  PublishedMetrics(Daemon daemon, List<StateStore> stores, MetricsLimits limits) {
    this.daemon = daemon;
    this.stores = List.copyOf(stores);
    this.limits = limits;
  }

  @Override
  public List<MetricFamilyDescriptor> getMetricFamilyDescriptors() {
    return FAMILIES;
  }

  @Override
  public MetricSnapshots collect() {
    long experiments = 0;
    long series = 0;
    long[] byStatus = new long[Status.values().length];
    long flagsPending = 0;
    long flagFailures = 0;
    List<ExperimentStatuses.Logdir> logdirs = new ArrayList<>();
    Map<String, Map<String, StoppingSavings>> savings = new LinkedHashMap<>();
    for (Watcher w : daemon.watchers()) {
      List<ExperimentVerdict> published = w.published();
      StopPolicy stops = w.judge().stops();
      Map<String, StoppingSavings> ofLogdir =
          savings.computeIfAbsent(w.logdirName(), k -> new LinkedHashMap<>());
      for (ExperimentVerdict e : published) {
        experiments++;
        series += e.series().size();
        byStatus[e.status().ordinal()]++;
        ofLogdir.put(e.experiment(), ExperimentSavings.of(e, stops));
      }
      logdirs.add(new ExperimentStatuses.Logdir(w.logdirName(), published));
      flagsPending += w.pendingFlags();
      flagFailures += w.flagFailures();
    }
    ExperimentStatuses statuses =
        ExperimentStatuses.select(logdirs, limits.maxExperimentStatuses());

    GaugeSnapshot.Builder perStatus =
        GaugeSnapshot.builder()
            .name("plateau_experiments")
            .help("Experiments by current status (every status, zeros too).");
    for (Status status : Status.values()) {
      perStatus.dataPoint(
          point(byStatus[status.ordinal()], Labels.of("status", status.jsonName())));
    }
    GaugeSnapshot.Builder current =
        GaugeSnapshot.builder()
            .name(EXPERIMENT_STATUS)
            .help(
                "1 for each exported experiment's current status (no series for the others); at"
                    + " most "
                    + limits.maxExperimentStatuses()
                    + " experiments, the most in need of attention first.");
    for (ExperimentStatuses.Exported e : statuses.exported()) {
      current.dataPoint(
          point(
              1,
              Labels.of(
                  "logdir", e.logdir(),
                  "experiment", e.experiment(),
                  "status", e.status().jsonName())));
    }
    return MetricSnapshots.of(
        gauge(
            "plateau_flags_pending",
            "Flag files that could not be written, waiting to be written again.",
            flagsPending),
        CounterSnapshot.builder()
            .name("plateau_flag_write_failures")
            .help("Flag file writes that failed (each is tried again).")
            .dataPoint(CounterDataPointSnapshot.builder().value(flagFailures).build())
            .build(),
        gauge("plateau_watched_experiments", "Experiments with watched series.", experiments),
        gauge(
            DEPRECATED_RUNS,
            "Deprecated: use plateau_watched_experiments (the same value); removed in the next"
                + " release.",
            experiments),
        gauge("plateau_series", "Watched series.", series),
        perStatus.build(),
        current.build(),
        gauge(
            EXPERIMENT_STATUS_OMITTED,
            "Experiments left out of plateau_experiment_status by its limit.",
            statuses.omitted()),
        gauge("plateau_outbox_pending", "Deliveries waiting in the outbox.", outboxPending()),
        perLogdir(
            STEPS_AFTER_BEST,
            "Steps trained after the best step, summed over the logdir's experiments.",
            savings,
            s -> s.stepsAfterBest()),
        perLogdir(
            HOURS_AFTER_BEST,
            "Wall-clock hours trained after the best step (at each series' pace), summed.",
            savings,
            s -> s.hoursAfterBest()),
        perLogdir(
            STEPS_SPARED,
            "Steps that stopped experiments' verdicts spared up to their max_steps or forecast"
                + " end, summed.",
            savings,
            s -> s.stepsSpared()),
        perLogdir(
            HOURS_SPARED,
            "Wall-clock hours the stops spared (at each series' pace), summed.",
            savings,
            s -> s.hoursSpared()),
        perExperiment(
            EXPERIMENT_STEPS_AFTER_BEST,
            "Steps trained after the best step, for each experiment exported in "
                + EXPERIMENT_STATUS
                + ".",
            statuses,
            savings,
            s -> s.stepsAfterBest()),
        perExperiment(
            EXPERIMENT_STEPS_SPARED,
            "Steps the stop spared, for each experiment exported in " + EXPERIMENT_STATUS + ".",
            statuses,
            savings,
            s -> s.stepsSpared()));
  }

  private static GaugeSnapshot perLogdir(
      String name,
      String help,
      Map<String, Map<String, StoppingSavings>> savings,
      ToDoubleFunction<StoppingSavings> value) {
    GaugeSnapshot.Builder g = GaugeSnapshot.builder().name(name).help(help);
    savings.forEach(
        (logdir, ofLogdir) -> {
          StoppingSavings sum = StoppingSavings.NONE;
          for (StoppingSavings s : ofLogdir.values()) {
            sum = sum.plus(s);
          }
          g.dataPoint(point(value.applyAsDouble(sum), Labels.of("logdir", logdir)));
        });
    return g.build();
  }

  private static GaugeSnapshot perExperiment(
      String name,
      String help,
      ExperimentStatuses statuses,
      Map<String, Map<String, StoppingSavings>> savings,
      ToDoubleFunction<StoppingSavings> value) {
    GaugeSnapshot.Builder g = GaugeSnapshot.builder().name(name).help(help);
    for (ExperimentStatuses.Exported e : statuses.exported()) {
      StoppingSavings s = savings.getOrDefault(e.logdir(), Map.of()).get(e.experiment());
      if (s != null) {
        g.dataPoint(
            point(
                value.applyAsDouble(s),
                Labels.of("logdir", e.logdir(), "experiment", e.experiment())));
      }
    }
    return g.build();
  }

  private long outboxPending() {
    long pending = 0;
    for (StateStore store : stores) {
      try {
        pending += store.pendingCount();
      } catch (StateException e) {
        log.debug("metrics: {}", e.getMessage());
      }
    }
    return pending;
  }

  private static GaugeSnapshot gauge(String name, String help, double value) {
    return GaugeSnapshot.builder()
        .name(name)
        .help(help)
        .dataPoint(point(value, Labels.EMPTY))
        .build();
  }

  private static GaugeDataPointSnapshot point(double value, Labels labels) {
    return GaugeDataPointSnapshot.builder().value(value).labels(labels).build();
  }
}
