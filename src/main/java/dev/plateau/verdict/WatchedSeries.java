package dev.plateau.verdict;

import dev.plateau.config.ConfigException;
import dev.plateau.config.SeriesPlan;
import dev.plateau.detect.Detector;
import dev.plateau.detect.DivergenceDetector;
import dev.plateau.detect.OverfittingDetector;
import dev.plateau.detect.ScheduleGrace;
import dev.plateau.detect.SeriesJudge;
import dev.plateau.detect.TagClassifier;
import dev.plateau.series.SeriesKey;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A series the configuration watches: its plan, its judge, its overfitting detector if it has one,
 * and, for a validation series, the training twin that detector is fed from.
 *
 * <p>Its fields change on the feeding thread, and its judge also on the judge thread that judges
 * its experiment's queue (never both at once).
 */
final class WatchedSeries {
  final SeriesKey key;
  final String experiment;
  final SeriesPlan plan;
  final ScheduleGrace.@Nullable Params schedule;
  SeriesJudge judge;
  OverfittingDetector overfitting;

  /** The training twin of a validation series, once found. */
  SeriesKey twin;

  /** Where the twin may be, most likely first (a validation series still without one). */
  List<SeriesKey> twinCandidates;

  /** The last twin step already fed when the twin was found (so it is not fed twice). */
  long twinFedUpTo = Long.MIN_VALUE;

  /** The planned end (the run's max_steps) last told to the judge; 0 when none was. */
  long plannedEndTold;

  /** False when restored from saved state: the kept points do not go back to the start. */
  boolean complete = true;

  WatchedSeries(SeriesKey key, SeriesPlan plan) {
    this(key, plan, null);
  }

  WatchedSeries(SeriesKey key, SeriesPlan plan, ScheduleGrace.@Nullable Params schedule) {
    this.key = key;
    this.experiment = Experiments.of(key.run());
    this.plan = plan;
    this.schedule = schedule;
  }

  /**
   * Gives the series a new judge with the plan's detectors. Overfitting is judged on validation
   * series (or where the plan names a twin) only; a series left without detectors still has
   * divergence, to catch NaN.
   *
   * @throws ConfigException when a detector cannot be built
   */
  void buildJudge() throws ConfigException {
    List<Detector> detectors = new ArrayList<>(plan.build());
    overfitting = null;
    boolean configuredTwin;
    try {
      configuredTwin = plan.twinTag() != null || plan.twinRun() != null;
    } catch (ConfigException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    boolean validation = TagClassifier.isValidation(key.run(), key.tag());
    for (int i = detectors.size() - 1; i >= 0; i--) {
      if (detectors.get(i) instanceof OverfittingDetector o) {
        if (validation || configuredTwin) {
          overfitting = o;
        } else {
          detectors.remove(i); // overfitting is judged on validation series only
        }
      }
    }
    if (detectors.isEmpty()) {
      // Only overfitting was asked for, on a series that cannot have it: still catch NaN.
      detectors.add(new DivergenceDetector(plan.mode(), DivergenceDetector.Params.DEFAULTS));
    }
    judge = new SeriesJudge(key.run(), key.tag(), plan.mode(), detectors, schedule);
  }
}
