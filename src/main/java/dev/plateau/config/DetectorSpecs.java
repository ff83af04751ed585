package dev.plateau.config;

import dev.plateau.detect.Detector;
import dev.plateau.detect.DivergenceDetector;
import dev.plateau.detect.MinDelta;
import dev.plateau.detect.Mode;
import dev.plateau.detect.OverfittingDetector;
import dev.plateau.detect.PatienceDetector;
import dev.plateau.detect.PlateauDetector;
import dev.plateau.detect.SmoothedDetector;
import dev.plateau.detect.Span;
import dev.plateau.detect.StalledDetector;
import dev.plateau.detect.TargetDetector;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds detectors from their configuration keys, checking every key and value. The keys and
 * defaults of each detector are documented on its class and in {@code config/plateau.yaml}.
 */
public final class DetectorSpecs {
  /** Every detector name, in the order a series' verdict lists them by default. */
  public static final List<String> NAMES =
      List.of("divergence", "target", "overfitting", "plateau", "patience", "stalled");

  /** A span counted in points or steps; a span of time is a {@link DurationText}. */
  private static final Pattern COUNTED_SPAN =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(points?|steps?)?", Pattern.CASE_INSENSITIVE);

  private static final Map<String, Set<String>> KEYS =
      Map.of(
          "patience",
          Set.of("patience", "min_delta", "start_step", "baseline", "smoothing"),
          "target",
          Set.of("value", "smoothing"),
          "divergence",
          Set.of("nan", "threshold", "explode_factor", "explode_points", "explode_sigmas"),
          "plateau",
          PlateauDetector.Params.KEYS,
          "overfitting",
          OverfittingDetector.Params.KEYS,
          "stalled",
          Set.of("after"));

  private static final Set<String> SMOOTHABLE = Set.of("patience", "target", "plateau");

  private DetectorSpecs() {}

  /** The keys a detector accepts. */
  public static Set<String> keysOf(String name) {
    return KEYS.get(name);
  }

  /**
   * Builds detector {@code name} for a series of the given mode from its merged keys. Smoothing (a
   * {@code smoothing} key, or the series' default) wraps the detector when above 0.
   */
  public static Detector build(
      String name, Mode mode, Map<String, ConfigNode> keys, double smoothing)
      throws ConfigException {
    Set<String> allowed = KEYS.get(name);
    if (allowed == null) {
      throw new ConfigException(
          "unknown detector '" + name + "'; allowed: " + String.join(", ", NAMES));
    }
    for (Map.Entry<String, ConfigNode> entry : keys.entrySet()) {
      if (!allowed.contains(entry.getKey())) {
        throw entry
            .getValue()
            .error(
                "unknown key for detector "
                    + name
                    + "; "
                    + Suggestion.nearest(entry.getKey(), allowed)
                        .map(k -> "did you mean " + k + "? ")
                        .orElse("")
                    + "allowed: "
                    + String.join(", ", sorted(allowed)));
      }
    }
    Detector detector =
        switch (name) {
          case "patience" -> new PatienceDetector(mode, patience(keys));
          case "target" -> new TargetDetector(mode, target(keys));
          case "divergence" -> new DivergenceDetector(mode, divergence(keys));
          case "plateau" -> plateau(mode, keys);
          case "overfitting" -> new OverfittingDetector(mode, OverfittingParamsBinder.bind(keys));
          case "stalled" -> new StalledDetector(stalled(keys));
          default -> throw new IllegalStateException(name);
        };
    double weight = smoothing;
    ConfigNode own = keys.get("smoothing");
    if (own != null) {
      weight = own.number(0, 0, 0.999);
    }
    // Divergence must see raw values; stalled ignores them; overfitting needs its twin feed.
    if (weight > 0 && SMOOTHABLE.contains(name)) {
      detector = new SmoothedDetector(detector, weight);
    }
    return detector;
  }

  /**
   * A plateau detector, told the run's planned end when {@code max_steps} says it (the forecast
   * then also predicts the level there).
   */
  private static Detector plateau(Mode mode, Map<String, ConfigNode> keys) throws ConfigException {
    PlateauDetector detector = new PlateauDetector(mode, PlateauParamsBinder.bind(keys));
    detector.plannedEnd(key(keys, "max_steps").integer(0, 0, Long.MAX_VALUE / 2));
    return detector;
  }

  private static List<String> sorted(Set<String> set) {
    return set.stream().sorted().toList();
  }

  private static ConfigNode key(Map<String, ConfigNode> keys, String name) {
    ConfigNode node = keys.get(name);
    return node == null ? new ConfigNode(null, name, null) : node;
  }

  static PatienceDetector.Params patience(Map<String, ConfigNode> keys) throws ConfigException {
    PatienceDetector.Params d = PatienceDetector.Params.DEFAULTS;
    ConfigNode startStep = key(keys, "start_step");
    ConfigNode baseline = key(keys, "baseline");
    return new PatienceDetector.Params(
        span(key(keys, "patience"), d.patience()),
        minDelta(key(keys, "min_delta"), d.minDelta()),
        startStep.isMissing() ? d.startStep() : startStep.integer(0),
        baseline.isMissing() ? d.baseline() : baseline.number(0));
  }

  static TargetDetector.Params target(Map<String, ConfigNode> keys) throws ConfigException {
    ConfigNode value = keys.getOrDefault("value", new ConfigNode(null, "target.value", null));
    if (value.isMissing()) {
      throw value.error("the target detector needs a value (the threshold to reach)");
    }
    double v = value.number(0);
    if (!Double.isFinite(v)) {
      throw value.error("must be a finite number");
    }
    return new TargetDetector.Params(v);
  }

  static DivergenceDetector.Params divergence(Map<String, ConfigNode> keys) throws ConfigException {
    DivergenceDetector.Params d = DivergenceDetector.Params.DEFAULTS;
    ConfigNode factor = key(keys, "explode_factor");
    double f = factor.number(d.explodeFactor());
    if (f != 0 && !(f > 1)) {
      throw factor.error(f + " is not allowed; allowed: a number greater than 1, or 0 for off");
    }
    ConfigNode threshold = key(keys, "threshold");
    return new DivergenceDetector.Params(
        key(keys, "nan").bool(d.nan()),
        threshold.isMissing() ? Double.NaN : threshold.number(0),
        f,
        (int) key(keys, "explode_points").integer(d.explodePoints(), 1, 1_000_000),
        key(keys, "explode_sigmas").number(d.explodeSigmas(), 0, 1_000_000));
  }

  static StalledDetector.Params stalled(Map<String, ConfigNode> keys) throws ConfigException {
    ConfigNode after = key(keys, "after");
    double seconds = after.durationSeconds(StalledDetector.Params.DEFAULTS.afterSeconds());
    if (!(seconds > 0)) {
      throw after.error("must be a duration above zero, e.g. 30m");
    }
    return new StalledDetector.Params(seconds);
  }

  /** A span: 10 or "10 points", "5000 steps", or a duration ("30m", "1h30m") of wall-clock time. */
  static Span span(ConfigNode node, Span fallback) throws ConfigException {
    if (node.isMissing()) {
      return fallback;
    }
    String text = node.string(null).trim();
    Matcher counted = COUNTED_SPAN.matcher(text);
    if (counted.matches()) {
      double amount = Double.parseDouble(counted.group(1));
      if (!(amount > 0)) {
        throw node.error("must be above zero");
      }
      String unit = counted.group(2) == null ? "points" : counted.group(2).toLowerCase(Locale.ROOT);
      return new Span(
          Math.ceil(amount), unit.startsWith("point") ? Span.Unit.POINTS : Span.Unit.STEPS);
    }
    DurationText time =
        DurationText.parse(text)
            .orElseThrow(
                () ->
                    node.error(
                        "'"
                            + text
                            + "' is not a span; write e.g. 10, 10 points, 5000 steps or 30m"));
    if (!(time.seconds() > 0)) {
      throw node.error("must be above zero");
    }
    return new Span(time.seconds(), Span.Unit.SECONDS);
  }

  /** A min_delta: a number (absolute) or a percentage ("1%", relative to the best's magnitude). */
  static MinDelta minDelta(ConfigNode node, MinDelta fallback) throws ConfigException {
    if (node.isMissing()) {
      return fallback;
    }
    String text = node.string(null).trim();
    boolean relative = text.endsWith("%");
    String number = relative ? text.substring(0, text.length() - 1).trim() : text;
    double amount;
    try {
      amount = Double.parseDouble(number);
    } catch (NumberFormatException e) {
      throw node.error("'" + text + "' is not a number or a percentage such as 1%");
    }
    if (!(amount >= 0) || Double.isInfinite(amount)) {
      throw node.error("'" + text + "' must be zero or more");
    }
    return new MinDelta(relative ? amount / 100 : amount, relative);
  }
}
