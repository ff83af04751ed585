package dev.plateau.verdict;

import dev.plateau.config.DetectionConfig.ConvergedWhen;
import dev.plateau.detect.Status;
import dev.plateau.detect.StopPolicy;
import dev.plateau.detect.TagClassifier;
import dev.plateau.detect.Verdict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Combines the verdicts of an experiment's watched series into its status.
 *
 * <ul>
 *   <li>Any series DIVERGED: the experiment DIVERGED. Else any TARGET_REACHED: TARGET_REACHED.
 *   <li>Else the deciding series are, with {@code converged_when: auto}, the validation series when
 *       there are any (run {@code validation}/{@code val}/{@code eval}/{@code test}, or a tag word
 *       such as {@code val}), else all; with {@code any} or {@code all}, all series.
 *   <li>{@code all} and {@code auto}: when every deciding series has stopped (converged or
 *       overfitting), the experiment takes the strongest of their statuses; {@code any}: when one
 *       has.
 *   <li>Else STALLED when every deciding series is stalled; LAGGING when every deciding series lags
 *       behind its sweep (its verdicts then are the lagging ones, decided at the step each began to
 *       lag); NOT_LEARNING when every deciding series is not learning (or stalled), else TRAINING.
 *       A lagging stop ({@code detection.lagging: stop}) is a stop like the others.
 * </ul>
 */
public final class RunCombiner {
  private RunCombiner() {}

  /** Tells, for a series' verdict, its lagging verdict when it lags behind its sweep. */
  @FunctionalInterface
  public interface Lagging {
    /** No series lags. */
    Lagging NONE = v -> null;

    /** {@code series} as a lagging verdict, or null when it does not lag. */
    @Nullable Verdict of(Verdict series);
  }

  /** {@link #combine(String, List, ConvergedWhen, StopPolicy)} with the default stops. */
  public static ExperimentVerdict combine(
      String experiment, List<Verdict> series, ConvergedWhen when) {
    return combine(experiment, series, when, StopPolicy.DEFAULT);
  }

  /** The experiment's verdict from its series' verdicts; {@code stops} says which statuses stop. */
  public static ExperimentVerdict combine(
      String experiment, List<Verdict> series, ConvergedWhen when, StopPolicy stops) {
    return combine(experiment, series, when, stops, Lagging.NONE);
  }

  /**
   * The experiment's verdict from its series' verdicts and, through {@code lagging}, their standing
   * in their sweeps.
   */
  public static ExperimentVerdict combine(
      String experiment,
      List<Verdict> series,
      ConvergedWhen when,
      StopPolicy stops,
      Lagging lagging) {
    if (series.isEmpty()) {
      return new ExperimentVerdict(
          experiment, Status.TRAINING, List.of(), List.of(), "no watched series yet");
    }
    for (Status urgent : List.of(Status.DIVERGED, Status.TARGET_REACHED)) {
      List<Verdict> hit = series.stream().filter(v -> v.status() == urgent).toList();
      if (!hit.isEmpty()) {
        return new ExperimentVerdict(experiment, urgent, hit, series, describe(hit.get(0)));
      }
    }
    List<Verdict> deciding = new ArrayList<>();
    if (when == ConvergedWhen.AUTO) {
      for (Verdict v : series) {
        if (TagClassifier.isValidation(v.run(), v.tag())) {
          deciding.add(v);
        }
      }
    }
    if (deciding.isEmpty()) {
      deciding.addAll(series);
    }
    List<Verdict> stopped = deciding.stream().filter(v -> stops.stops(v.status())).toList();
    boolean done =
        when == ConvergedWhen.ANY ? !stopped.isEmpty() : stopped.size() == deciding.size();
    if (done) {
      Verdict strongest =
          stopped.stream().max(Comparator.comparingInt(v -> v.status().priority())).orElseThrow();
      String reason =
          when == ConvergedWhen.ANY
              ? describe(strongest)
              : String.format(
                  "all %d deciding series stopped; %s", deciding.size(), describe(strongest));
      return new ExperimentVerdict(experiment, strongest.status(), deciding, series, reason);
    }
    if (deciding.stream().allMatch(v -> v.status() == Status.STALLED)) {
      return new ExperimentVerdict(
          experiment, Status.STALLED, deciding, series, describe(deciding.get(0)));
    }
    List<Verdict> lags = new ArrayList<>(deciding.size());
    for (Verdict v : deciding) {
      Verdict lag =
          v.status() == Status.TRAINING || v.status() == Status.NOT_LEARNING ? lagging.of(v) : null;
      if (lag == null) {
        break;
      }
      lags.add(lag);
    }
    if (lags.size() == deciding.size()) {
      return new ExperimentVerdict(experiment, Status.LAGGING, lags, series, describe(lags.get(0)));
    }
    if (deciding.stream()
        .allMatch(v -> v.status() == Status.NOT_LEARNING || v.status() == Status.STALLED)) {
      Verdict first =
          deciding.stream()
              .filter(v -> v.status() == Status.NOT_LEARNING)
              .findFirst()
              .orElseThrow();
      return new ExperimentVerdict(
          experiment, Status.NOT_LEARNING, deciding, series, describe(first));
    }
    long training = deciding.stream().filter(v -> !stops.stops(v.status())).count();
    return new ExperimentVerdict(
        experiment,
        Status.TRAINING,
        deciding,
        series,
        String.format("%d of %d deciding series still training", training, deciding.size()));
  }

  private static String describe(Verdict v) {
    return v.run() + " " + v.tag() + ": " + v.reason();
  }
}
