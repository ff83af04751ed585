package dev.plateau.config;

import dev.plateau.detect.Mode;
import dev.plateau.detect.StopPolicy;
import dev.plateau.detect.TagClassifier;
import dev.plateau.match.Glob;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code detection} section and the {@code rules}: which series are watched, in which
 * direction, by which detectors with which keys, and how a run's status combines its series.
 *
 * <p>For a (run, tag): start from the {@code detection} defaults (watched when its name suggests a
 * quality metric, with {@code watch: auto}); then every rule whose {@code run} and {@code tag}
 * globs match, in file order, overrides what it sets ({@code detectors} replaces the list, detector
 * keys are merged key by key).
 */
public final class DetectionConfig {
  static final Set<String> KEYS =
      Set.of(
          "watch",
          "converged_when",
          "detectors",
          "smoothing",
          "patience",
          "target",
          "divergence",
          "plateau",
          "overfitting",
          "stalled",
          "not_learning",
          "lagging",
          "sweep",
          "sweeps",
          "max_series_per_run",
          "max_series",
          "max_tags_per_file",
          "schedule");
  static final Set<String> RULE_KEYS =
      Set.of(
          "run",
          "tag",
          "watch",
          "mode",
          "detectors",
          "smoothing",
          "patience",
          "target",
          "divergence",
          "plateau",
          "overfitting",
          "stalled");

  /** Which series are watched without a rule. */
  public enum WatchPolicy {
    AUTO,
    ALL,
    NONE
  }

  /** How a run's status combines its watched series. */
  public enum ConvergedWhen {
    /** All watched validation series when there are any, else all watched series. */
    AUTO,
    ANY,
    ALL
  }

  /** Watched series one run may have (more are not watched, and said once per run). */
  public static final int DEFAULT_MAX_SERIES_PER_RUN = 1_000;

  /**
   * Watched series in memory for one logdir (more are not watched, and said once): within the
   * image's heap, whatever the files hold. Idle experiments leave memory (parking), so this bounds
   * what is live at once, not what a logdir holds.
   */
  public static final int DEFAULT_MAX_SERIES = 25_000;

  /** Distinct tags kept from one event file (the decoder's limit; more are skipped, said once). */
  public static final int DEFAULT_MAX_TAGS_PER_FILE = 10_000;

  public static final List<String> DEFAULT_DETECTORS =
      List.of("divergence", "overfitting", "plateau", "stalled");

  private final WatchPolicy watch;
  private final ConvergedWhen convergedWhen;
  private final List<String> detectors;
  private final double smoothing;
  private final Map<String, Map<String, ConfigNode>> params;
  private final List<Rule> rules;
  private final StopPolicy stops;
  private final int maxSeriesPerRun;
  private final int maxSeries;
  private final int maxTagsPerFile;
  private SweepConfig sweep = SweepConfig.DEFAULTS;
  private final ScheduleConfig schedule;

  private DetectionConfig(
      WatchPolicy watch,
      ConvergedWhen convergedWhen,
      List<String> detectors,
      double smoothing,
      Map<String, Map<String, ConfigNode>> params,
      List<Rule> rules,
      StopPolicy stops,
      int maxSeriesPerRun,
      int maxSeries,
      int maxTagsPerFile,
      ScheduleConfig schedule) {
    this.watch = watch;
    this.schedule = schedule;
    this.maxSeriesPerRun = maxSeriesPerRun;
    this.maxSeries = maxSeries;
    this.maxTagsPerFile = maxTagsPerFile;
    this.stops = stops;
    this.convergedWhen = convergedWhen;
    this.detectors = List.copyOf(detectors);
    this.smoothing = smoothing;
    this.params = params;
    this.rules = List.copyOf(rules);
  }

  /** The defaults, as with an empty configuration file. */
  public static DetectionConfig defaults() {
    return new DetectionConfig(
        WatchPolicy.AUTO,
        ConvergedWhen.AUTO,
        DEFAULT_DETECTORS,
        0,
        Map.of(),
        List.of(),
        StopPolicy.DEFAULT,
        DEFAULT_MAX_SERIES_PER_RUN,
        DEFAULT_MAX_SERIES,
        DEFAULT_MAX_TAGS_PER_FILE,
        ScheduleConfig.defaults());
  }

  /** How runs are compared with their sweep's siblings ({@code sweep}, {@code sweeps}). */
  public SweepConfig sweep() {
    return sweep;
  }

  /** Which statuses stop a job ({@code not_learning: notice | stop}, {@code lagging}). */
  public StopPolicy stops() {
    return stops;
  }

  /** The most watched series one run may have ({@code max_series_per_run}). */
  public int maxSeriesPerRun() {
    return maxSeriesPerRun;
  }

  /** The most watched series in memory for one logdir ({@code max_series}). */
  public int maxSeries() {
    return maxSeries;
  }

  /** Learning rates and their drops ({@code schedule}). */
  public ScheduleConfig schedule() {
    return schedule;
  }

  /** The most distinct tags kept from one event file ({@code max_tags_per_file}). */
  public int maxTagsPerFile() {
    return maxTagsPerFile;
  }

  public ConvergedWhen convergedWhen() {
    return convergedWhen;
  }

  public List<Rule> rules() {
    return rules;
  }

  /** Reads the {@code detection} and {@code rules} sections, checking every key and value. */
  static DetectionConfig parse(ConfigNode detection, ConfigNode rulesNode) throws ConfigException {
    detection.allowOnly(KEYS);
    WatchPolicy watch =
        WatchPolicy.valueOf(
            detection.get("watch").choice("auto", List.of("auto", "all", "none")).toUpperCase());
    ConvergedWhen when =
        ConvergedWhen.valueOf(
            detection
                .get("converged_when")
                .choice("auto", List.of("auto", "any", "all"))
                .toUpperCase());
    List<String> detectors = detectorList(detection.get("detectors"), DEFAULT_DETECTORS);
    double smoothing = detection.get("smoothing").number(0, 0, 0.999);
    Map<String, Map<String, ConfigNode>> params = detectorParams(detection);
    List<Rule> rules = new ArrayList<>();
    for (ConfigNode rule : rulesNode.items()) {
      rules.add(parseRule(rule));
    }
    StopPolicy stops =
        new StopPolicy(
            detection
                .get("not_learning")
                .choice("notice", List.of("notice", "stop"))
                .equals("stop"),
            detection.get("lagging").choice("notice", List.of("notice", "stop")).equals("stop"));
    int perRun =
        (int) detection.get("max_series_per_run").integer(DEFAULT_MAX_SERIES_PER_RUN, 1, 1_000_000);
    int all = (int) detection.get("max_series").integer(DEFAULT_MAX_SERIES, 1, 10_000_000);
    int tags =
        (int) detection.get("max_tags_per_file").integer(DEFAULT_MAX_TAGS_PER_FILE, 1, 10_000_000);
    ConfigNode scheduleNode = detection.get("schedule");
    ScheduleConfig schedule =
        scheduleNode.isMissing() ? ScheduleConfig.defaults() : ScheduleConfig.parse(scheduleNode);
    DetectionConfig config =
        new DetectionConfig(
            watch, when, detectors, smoothing, params, rules, stops, perRun, all, tags, schedule);
    config.sweep = SweepConfig.parse(detection.get("sweep"), detection.get("sweeps"));
    config.validate(detection, rulesNode);
    return config;
  }

  private static Rule parseRule(ConfigNode rule) throws ConfigException {
    rule.allowOnly(RULE_KEYS);
    ConfigNode detectors = rule.get("detectors");
    ConfigNode mode = rule.get("mode");
    String modeName = mode.choice("auto", List.of("auto", "min", "max"));
    return new Rule(
        glob(rule.get("run"), "*"),
        glob(rule.get("tag"), "*"),
        rule.get("watch").isMissing() ? null : rule.get("watch").bool(true),
        modeName.equals("auto") ? null : Mode.valueOf(modeName.toUpperCase()),
        detectors.isMissing() ? null : detectorList(detectors, null),
        rule.get("smoothing").isMissing() ? null : rule.get("smoothing").number(0, 0, 0.999),
        detectorParams(rule),
        rule.path());
  }

  private static Glob glob(ConfigNode node, String fallback) throws ConfigException {
    String pattern = node.string(fallback);
    try {
      return Glob.compile(pattern);
    } catch (IllegalArgumentException e) {
      throw node.error(e.getMessage());
    }
  }

  private static List<String> detectorList(ConfigNode node, List<String> fallback)
      throws ConfigException {
    List<String> names = node.stringList(fallback);
    for (int i = 0; i < names.size(); i++) {
      if (!DetectorSpecs.NAMES.contains(names.get(i))) {
        throw node.error(
            "unknown detector '"
                + names.get(i)
                + "'; allowed: "
                + String.join(", ", DetectorSpecs.NAMES));
      }
    }
    return names;
  }

  private static Map<String, Map<String, ConfigNode>> detectorParams(ConfigNode section)
      throws ConfigException {
    Map<String, Map<String, ConfigNode>> out = new LinkedHashMap<>();
    for (String name : DetectorSpecs.NAMES) {
      ConfigNode node = section.get(name);
      if (!node.isMissing()) {
        out.put(name, node.entries());
      }
    }
    return out;
  }

  /**
   * Builds the detectors of the defaults and of each rule merged over them, so that every error
   * shows at load time, naming its key.
   */
  private void validate(ConfigNode detection, ConfigNode rulesNode) throws ConfigException {
    SeriesPlan plan = defaultPlan(Mode.MIN);
    try {
      check(plan);
    } catch (ConfigException e) {
      throw detection.locate(e);
    }
    // Rules are checked cumulatively, in file order, as they apply to a series every rule
    // matches; a combination only some series meet is checked when such a series appears.
    List<ConfigNode> ruleNodes = rulesNode.items();
    for (int i = 0; i < rules.size(); i++) {
      plan = merge(plan, rules.get(i));
      try {
        check(plan);
      } catch (ConfigException e) {
        throw ruleNodes.get(i).locate(e);
      }
    }
  }

  private static void check(SeriesPlan plan) throws ConfigException {
    Set<String> names = new LinkedHashSet<>(plan.detectors());
    names.addAll(plan.params().keySet());
    // The target detector needs a value: configured keys for it are checked where given.
    if (!plan.detectors().contains("target")
        && plan.params().containsKey("target")
        && !plan.params().get("target").containsKey("value")) {
      names.remove("target");
    }
    new SeriesPlan(plan.mode(), List.copyOf(names), plan.smoothing(), plan.params()).build();
  }

  /**
   * The plan for a (run, tag), or empty when the series is not watched. Building its detectors
   * ({@link SeriesPlan#build()}) can still fail for a combination of rules that only this series
   * meets (a target without a value).
   */
  public Optional<SeriesPlan> plan(String run, String tag) {
    Optional<Mode> inferred = TagClassifier.classify(tag);
    boolean watched =
        switch (watch) {
          case AUTO -> inferred.isPresent();
          case ALL -> true;
          case NONE -> false;
        };
    SeriesPlan plan = defaultPlan(inferred.orElse(Mode.MIN));
    for (Rule rule : rules) {
      if (rule.matches(run, tag)) {
        if (rule.watch() != null) {
          watched = rule.watch();
        }
        plan = merge(plan, rule);
      }
    }
    return watched ? Optional.of(plan) : Optional.empty();
  }

  private SeriesPlan defaultPlan(Mode mode) {
    return new SeriesPlan(mode, detectors, smoothing, params);
  }

  private static SeriesPlan merge(SeriesPlan plan, Rule rule) {
    Map<String, Map<String, ConfigNode>> merged = new LinkedHashMap<>();
    plan.params().forEach((k, v) -> merged.put(k, new LinkedHashMap<>(v)));
    rule.params()
        .forEach((k, v) -> merged.computeIfAbsent(k, x -> new LinkedHashMap<>()).putAll(v));
    return new SeriesPlan(
        rule.mode() != null ? rule.mode() : plan.mode(),
        rule.detectors() != null ? rule.detectors() : plan.detectors(),
        rule.smoothing() != null ? rule.smoothing() : plan.smoothing(),
        merged);
  }
}
