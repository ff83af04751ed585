package dev.plateau.config;

import dev.plateau.detect.Mode;
import dev.plateau.match.Glob;
import java.util.List;
import java.util.Map;

/**
 * One entry of {@code rules}: which series it applies to, and what it sets for them. Unset fields
 * are null and leave what earlier rules and the defaults set.
 *
 * @param run glob on the run name
 * @param tag glob on the tag
 * @param watch whether matching series are watched
 * @param mode their direction (null: auto, from the tag name)
 * @param detectors the detectors to run, replacing the list so far
 * @param smoothing EMA weight before detectors
 * @param params detector keys, merged key by key over those so far
 * @param path where the rule stands in the file, for messages
 */
public record Rule(
    Glob run,
    Glob tag,
    Boolean watch,
    Mode mode,
    List<String> detectors,
    Double smoothing,
    Map<String, Map<String, ConfigNode>> params,
    String path) {

  public boolean matches(String runName, String tagName) {
    return run.matches(runName) && tag.matches(tagName);
  }
}
