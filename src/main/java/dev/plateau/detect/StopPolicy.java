package dev.plateau.detect;

/**
 * Which statuses stop a job: the built-in stops ({@link Status#isStop()}: converged,
 * target_reached, diverged, overfitting) and, when configured ({@code detection.not_learning:
 * stop}), not_learning. A stop writes a flag file, counts as "stopped" when a run's series are
 * combined, and is what {@code replay} reports as the decision.
 *
 * @param notLearningStops whether a series that is not learning stops the job (default: no, it is
 *     informational)
 */
public record StopPolicy(boolean notLearningStops) {
  /** The default: not_learning is informational. */
  public static final StopPolicy DEFAULT = new StopPolicy(false);

  /** Whether {@code status} stops the job under this policy. */
  public boolean stops(Status status) {
    return status.isStop() || (notLearningStops && status == Status.NOT_LEARNING);
  }
}
