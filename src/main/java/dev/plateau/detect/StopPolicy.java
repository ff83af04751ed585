package dev.plateau.detect;

/**
 * Which statuses stop a job: the built-in stops ({@link Status#isStop()}: converged,
 * target_reached, diverged, overfitting) and, when configured ({@code detection.not_learning:
 * stop}), not_learning. A stop writes a flag file, counts as "stopped" when a run's series are
 * combined, and is what {@code replay} reports as the decision.
 *
 * <p>Likewise {@code detection.lagging: stop} makes {@code lagging} (a run behind its sweep) a
 * stop: the median stopping rule.
 *
 * @param notLearningStops whether a series that is not learning stops the job (default: no, it is
 *     informational)
 * @param laggingStops whether a run lagging behind its sweep stops the job (default: no, it is
 *     informational)
 */
public record StopPolicy(boolean notLearningStops, boolean laggingStops) {
  /** The default: not_learning and lagging are informational. */
  public static final StopPolicy DEFAULT = new StopPolicy(false, false);

  /** A policy in which lagging is informational. */
  public StopPolicy(boolean notLearningStops) {
    this(notLearningStops, false);
  }

  /** Whether {@code status} stops the job under this policy. */
  public boolean stops(Status status) {
    return status.isStop()
        || (notLearningStops && status == Status.NOT_LEARNING)
        || (laggingStops && status == Status.LAGGING);
  }
}
