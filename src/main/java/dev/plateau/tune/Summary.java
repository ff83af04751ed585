package dev.plateau.tune;

import java.util.List;

/**
 * A setting's scores over a set of curves, as the evaluation tool summarises them.
 *
 * @param curves how many curves were scored
 * @param fired how many the setting stopped
 * @param meanSavings the mean of the curves' savings (0 for a curve not stopped)
 * @param falseStopRate the share of curves stopped with a regret above tau
 * @param noiseAwareFalseStopRate the share stopped with a regret above tau and the noise floor
 * @param meanRegret the mean regret (0 for a curve not stopped)
 */
public record Summary(
    int curves,
    int fired,
    double meanSavings,
    double falseStopRate,
    double noiseAwareFalseStopRate,
    double meanRegret) {

  /** The summary of {@code scores} with a false stop meaning a regret above {@code tau}. */
  public static Summary of(List<Score> scores, double tau) {
    int n = scores.size();
    if (n == 0) {
      return new Summary(0, 0, 0, 0, 0, 0);
    }
    int fired = 0;
    int falseStops = 0;
    int noiseAware = 0;
    double savings = 0;
    double regret = 0;
    for (Score s : scores) {
      fired += s.fired() ? 1 : 0;
      falseStops += s.isFalseStop(tau) ? 1 : 0;
      noiseAware += s.isNoiseAwareFalseStop(tau) ? 1 : 0;
      savings += s.savings();
      regret += s.regret();
    }
    return new Summary(
        n, fired, savings / n, (double) falseStops / n, (double) noiseAware / n, regret / n);
  }
}
