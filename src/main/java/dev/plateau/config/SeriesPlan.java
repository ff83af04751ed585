package dev.plateau.config;

import dev.plateau.detect.Detector;
import dev.plateau.detect.Mode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the configuration says for one watched series: its direction and its detectors with their
 * merged keys.
 *
 * @param mode the metric's direction
 * @param detectors detector names, in order
 * @param smoothing EMA weight applied before detectors that accept smoothing
 * @param params the keys of each detector, defaults and rules merged
 */
public record SeriesPlan(
    Mode mode,
    List<String> detectors,
    double smoothing,
    Map<String, Map<String, ConfigNode>> params) {

  /** Builds fresh detectors for the series (every call gives new, independent state). */
  public List<Detector> build() throws ConfigException {
    List<Detector> built = new ArrayList<>(detectors.size());
    for (String name : detectors) {
      built.add(DetectorSpecs.build(name, mode, params.getOrDefault(name, Map.of()), smoothing));
    }
    return built;
  }

  /** The overfitting twin's tag when configured ({@code overfitting.twin_tag}), else null. */
  public String twinTag() throws ConfigException {
    ConfigNode node = params.getOrDefault("overfitting", Map.of()).get("twin_tag");
    return node == null ? null : node.string(null);
  }

  /**
   * The overfitting twin's run when configured ({@code overfitting.twin_run}, relative to the
   * series' run, e.g. {@code ../train}), else null.
   */
  public String twinRun() throws ConfigException {
    ConfigNode node = params.getOrDefault("overfitting", Map.of()).get("twin_run");
    return node == null ? null : node.string(null);
  }
}
