package dev.plateau.tune;

/**
 * One curve's score for one setting.
 *
 * @param savings the share of the curve that need not have been trained: (T − 1 − at) / (T − 1)
 * @param regret how much worse the kept checkpoint's level is than the curve's best level, as a
 *     share of the level's range (0: kept the best the run would ever reach)
 * @param fired whether the detector stopped the curve
 * @param noiseFloor two standard errors of the level, as a share of its range: a regret below it
 *     cannot be told from noise
 */
public record Score(double savings, double regret, boolean fired, double noiseFloor) {

  /** A curve the detector never stopped. */
  public static final Score NOT_STOPPED = new Score(0, 0, false, 0);

  /** A false stop: the kept checkpoint is worse than the best by more than {@code tau}. */
  public boolean isFalseStop(double tau) {
    return fired && regret > tau;
  }

  /** A false stop that noise cannot explain: worse by more than {@code tau} and the noise floor. */
  public boolean isNoiseAwareFalseStop(double tau) {
    return fired && regret > Math.max(tau, noiseFloor);
  }
}
