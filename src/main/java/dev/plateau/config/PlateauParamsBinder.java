package dev.plateau.config;

import dev.plateau.detect.PlateauDetector;
import java.util.Map;

/** Binds the plateau detector's keys. */
final class PlateauParamsBinder {
  private PlateauParamsBinder() {}

  static PlateauDetector.Params bind(Map<String, ConfigNode> keys) throws ConfigException {
    PlateauDetector.Params d = PlateauDetector.Params.DEFAULTS;
    return new PlateauDetector.Params(
        (int) OverfittingParamsBinder.node(keys, "min_points").integer(d.minPoints(), 3, 1_000_000),
        (int) OverfittingParamsBinder.node(keys, "min_window").integer(d.minWindow(), 3, 10_000),
        OverfittingParamsBinder.node(keys, "window_fraction").number(d.fraction(), 0.01, 1),
        (int) OverfittingParamsBinder.node(keys, "max_window").integer(d.maxWindow(), 3, 10_000),
        OverfittingParamsBinder.node(keys, "z").number(d.z(), 0, 10),
        OverfittingParamsBinder.node(keys, "min_delta").number(d.minDelta(), 0, 1));
  }
}
