package dev.plateau.server;

/**
 * What {@code /metrics} may export, so that its size (and a Prometheus server's series count) stays
 * bounded however many experiments the logdirs hold.
 *
 * @param maxExperimentStatuses experiments given a {@code plateau_experiment_status} series, at
 *     most (the most in need of attention first, {@link ExperimentStatuses}); the others are
 *     counted in {@code plateau_experiment_status_omitted}. 0 exports none.
 */
public record MetricsLimits(int maxExperimentStatuses) {
  /** 1,000 experiments: one series each, a few hundred kilobytes of scrape at most. */
  public static final MetricsLimits DEFAULTS = new MetricsLimits(1_000);

  public MetricsLimits {
    if (maxExperimentStatuses < 0) {
      throw new IllegalArgumentException(
          "metrics: the experiments exported cannot be negative, not " + maxExperimentStatuses);
    }
  }
}
