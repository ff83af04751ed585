package dev.plateau.config;

import static dev.plateau.config.OverfittingParamsBinder.node;

import dev.plateau.detect.PlateauDetector;
import java.util.Map;

/** Binds the plateau detector's keys (see {@link PlateauDetector} for their meaning). */
final class PlateauParamsBinder {
  private PlateauParamsBinder() {}

  static PlateauDetector.Params bind(Map<String, ConfigNode> keys) throws ConfigException {
    PlateauDetector.Params d = PlateauDetector.Params.DEFAULTS;
    long maxBins = node(keys, "max_bins").integer(d.maxBins(), 16, 1024);
    if (maxBins % 2 != 0) {
      throw node(keys, "max_bins")
          .error(maxBins + " is not allowed; allowed: an even number from 16 to 1024");
    }
    return new PlateauDetector.Params(
        (int) node(keys, "warmup").integer(d.warmup(), 3, 1_000_000),
        node(keys, "window_fraction").number(d.windowFraction(), 0.01, 1),
        (int) node(keys, "min_window").integer(d.minWindow(), 3, 512),
        node(keys, "z").number(d.z(), 0, 10),
        node(keys, "min_delta").number(d.minDelta(), 0, 1),
        node(keys, "horizon").number(d.horizon(), 0.01, 100),
        node(keys, "patience_fraction").number(d.patienceFraction(), 0, 100),
        (int) node(keys, "min_patience").integer(d.minPatience(), 1, 1_000_000),
        (int) maxBins,
        (int) node(keys, "level_divisor").integer(d.levelDivisor(), 1, 1_000_000),
        (int) node(keys, "confirm").integer(d.confirm(), 1, 1000),
        node(keys, "rate_shift").number(d.rateShift(), 0, 2),
        node(keys, "within_window_decay").bool(d.withinWindowDecay()),
        node(keys, "learned_sigmas").number(d.learnedSigmas(), 0, 1000),
        (int) node(keys, "not_learning_after").integer(d.notLearningAfter(), 3, 1_000_000),
        (int) node(keys, "scales").integer(d.scales(), 0, PlateauDetector.Params.MAX_SCALES),
        (int) node(keys, "min_best_age").integer(d.minBestAge(), 0, 1_000_000));
  }
}
