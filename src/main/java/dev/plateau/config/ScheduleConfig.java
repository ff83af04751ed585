package dev.plateau.config;

import dev.plateau.detect.LearningRateDrops;
import dev.plateau.detect.ScheduleGrace;
import dev.plateau.detect.Span;
import dev.plateau.match.Glob;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The {@code detection.schedule} section: which tags are a run's learning rate, what counts as a
 * drop of it, and how long after a drop no convergence is said ({@link ScheduleGrace}).
 *
 * @param enabled whether learning rates are followed at all ({@code enabled}, default true)
 * @param tags tag patterns of a learning rate, matched regardless of case
 * @param ignoreTags tag patterns that are not one even when {@code tags} match (Lightning's {@code
 *     lr-Adam-momentum})
 * @param params the drop rule and the grace
 */
public record ScheduleConfig(
    boolean enabled, List<Glob> tags, List<Glob> ignoreTags, ScheduleGrace.Params params) {
  static final Set<String> KEYS =
      Set.of(
          "enabled", "tags", "ignore_tags", "drop_factor", "drop_span", "steady_points", "grace");

  /**
   * How the common writers name a learning rate: Keras ({@code learning_rate}, {@code
   * epoch_learning_rate}), Lightning's LearningRateMonitor ({@code lr-Adam}, {@code lr-SGD/pg1}),
   * Hugging Face ({@code train/learning_rate}), timm and most scripts ({@code lr}, {@code
   * optimizer/lr}, {@code train_lr}).
   */
  public static final List<String> DEFAULT_TAGS =
      List.of(
          "lr",
          "lr-*",
          "lr_*",
          "lr/*",
          "*/lr",
          "*/lr-*",
          "*_lr",
          "learning_rate",
          "learning_rate*",
          "*/learning_rate",
          "*_learning_rate",
          "learningrate",
          "*/learningrate");

  /** What Lightning logs beside a learning rate under the same prefix. */
  public static final List<String> DEFAULT_IGNORE_TAGS = List.of("*momentum*", "*weight_decay*");

  public ScheduleConfig {
    tags = List.copyOf(tags);
    ignoreTags = List.copyOf(ignoreTags);
  }

  /** The defaults, as with no {@code schedule} section. */
  public static ScheduleConfig defaults() {
    return new ScheduleConfig(
        true, globs(DEFAULT_TAGS), globs(DEFAULT_IGNORE_TAGS), ScheduleGrace.Params.DEFAULTS);
  }

  /** Whether {@code tag} is a learning rate to follow. */
  public boolean isLearningRate(String tag) {
    if (!enabled) {
      return false;
    }
    String name = tag.toLowerCase(Locale.ROOT);
    for (Glob glob : ignoreTags) {
      if (glob.matches(name)) {
        return false;
      }
    }
    for (Glob glob : tags) {
      if (glob.matches(name)) {
        return true;
      }
    }
    return false;
  }

  /** The settings a series judge follows a learning rate with, or null when it follows none. */
  public ScheduleGrace.@Nullable Params judgeParams() {
    return enabled ? params : null;
  }

  static ScheduleConfig parse(ConfigNode node) throws ConfigException {
    node.allowOnly(KEYS);
    boolean enabled = node.get("enabled").bool(true);
    List<Glob> tags = globs(node.get("tags"), DEFAULT_TAGS);
    List<Glob> ignore = globs(node.get("ignore_tags"), DEFAULT_IGNORE_TAGS);
    LearningRateDrops.Params d = LearningRateDrops.Params.DEFAULTS;
    double factor = node.get("drop_factor").number(d.dropFactor(), 1.000001, 1e9);
    int span = (int) node.get("drop_span").integer(d.dropSpan(), 1, 1_000);
    int steady = (int) node.get("steady_points").integer(d.steadyPoints(), 2, 1_000);
    ConfigNode graceNode = node.get("grace");
    Span grace = DetectorSpecs.span(graceNode, ScheduleGrace.Params.DEFAULTS.grace());
    if (grace.unit() == Span.Unit.SECONDS) {
      throw graceNode.error("is counted in points or steps (10, \"10 points\", \"5000 steps\")");
    }
    return new ScheduleConfig(
        enabled,
        tags,
        ignore,
        new ScheduleGrace.Params(new LearningRateDrops.Params(factor, span, steady), grace));
  }

  private static List<Glob> globs(ConfigNode node, List<String> fallback) throws ConfigException {
    List<Glob> out = new ArrayList<>();
    for (String pattern : node.stringList(fallback)) {
      try {
        out.add(Glob.compile(pattern.toLowerCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw node.error(e.getMessage());
      }
    }
    return out;
  }

  private static List<Glob> globs(List<String> patterns) {
    List<Glob> out = new ArrayList<>();
    for (String pattern : patterns) {
      out.add(Glob.compile(pattern));
    }
    return out;
  }
}
