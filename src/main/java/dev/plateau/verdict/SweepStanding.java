package dev.plateau.verdict;

/**
 * Where a run's series stood in its sweep the last time it was compared with its siblings, in the
 * metric's own direction (a maximised metric's values as they are).
 *
 * @param lagging whether the run is lagging: behind the threshold by more than the margin (and,
 *     once lagging, until it is no longer behind the threshold at all)
 * @param step the run's step at that comparison
 * @param value the run's best value so far
 * @param threshold the siblings' percentile value at the same step (or elapsed time)
 * @param margin the noise margin: {@code noise_sigmas} of the run's noise deviations
 * @param siblings how many siblings had reached that step
 * @param percentile the configured percentile (50: the median)
 */
public record SweepStanding(
    boolean lagging,
    long step,
    double value,
    double threshold,
    double margin,
    int siblings,
    double percentile) {}
