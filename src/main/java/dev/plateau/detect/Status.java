package dev.plateau.detect;

/** What a verdict says about a series or run. */
public enum Status {
  /** Still improving, or not enough evidence yet. */
  TRAINING,
  /** Improvement has become negligible: stop and keep the best step. */
  CONVERGED,
  /** The metric reached its configured target. */
  TARGET_REACHED,
  /** NaN or infinite values, or the metric blew up: stop, keep the best step before it. */
  DIVERGED,
  /** Validation worsens while training still improves: keep the best validation step. */
  OVERFITTING,
  /** No new point for longer than allowed: the job may have died or hung. */
  STALLED,
  /**
   * After a warm-up, the metric has not moved beyond its own noise: informational (no flag, no
   * stop) unless the configuration makes it a stop.
   */
  NOT_LEARNING,
  /**
   * Worse than most of its sweep's runs at the same step (or elapsed time), by more than its noise:
   * decided across sibling runs, never by a series detector. Informational (no flag, no stop)
   * unless the configuration makes it a stop (the median stopping rule).
   */
  LAGGING;

  /** The name used in config, JSON and flag files' content: lower case. */
  public String jsonName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * Which status wins when several detectors of one series disagree: divergence first (it needs
   * action), then target, overfitting, convergence, stalled, and training last.
   */
  public int priority() {
    return switch (this) {
      case DIVERGED -> 7;
      case TARGET_REACHED -> 6;
      case OVERFITTING -> 5;
      case CONVERGED -> 4;
      case STALLED -> 3;
      case NOT_LEARNING -> 2;
      case TRAINING -> 1;
      // Not a series status (no detector decides it): it never competes with these.
      case LAGGING -> 0;
    };
  }

  /**
   * Whether this status means training can stop (all but TRAINING, STALLED, NOT_LEARNING and
   * LAGGING).
   */
  public boolean isStop() {
    return this != TRAINING && this != STALLED && this != NOT_LEARNING && this != LAGGING;
  }

  /** The status for a config or JSON name. */
  public static Status fromJsonName(String name) {
    for (Status status : values()) {
      if (status.jsonName().equals(name)) {
        return status;
      }
    }
    throw new IllegalArgumentException(
        "unknown status '"
            + name
            + "'; allowed: training, converged, target_reached, diverged, overfitting, stalled, not_learning,"
            + " lagging");
  }
}
