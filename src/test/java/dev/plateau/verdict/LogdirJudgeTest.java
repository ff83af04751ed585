package dev.plateau.verdict;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.config.ConfigLoader;
import dev.plateau.config.DetectionConfig;
import dev.plateau.config.PlateauConfig;
import dev.plateau.detect.Status;
import dev.plateau.detect.TrendStatistics;
import dev.plateau.detect.Verdict;
import dev.plateau.series.ScalarPoint;
import dev.plateau.series.SeriesKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LogdirJudgeTest {
  private static final double T0 = 1_700_000_000;

  /** Records transitions. */
  static class Recorder implements VerdictListener {
    final List<Verdict[]> series = new ArrayList<>();
    final List<ExperimentVerdict[]> runs = new ArrayList<>();
    final List<String> problems = new ArrayList<>();

    @Override
    public void problem(String message) {
      problems.add(message);
    }

    @Override
    public void seriesTransition(Verdict previous, Verdict current) {
      series.add(new Verdict[] {previous, current});
    }

    @Override
    public void experimentTransition(ExperimentVerdict previous, ExperimentVerdict current) {
      runs.add(new ExperimentVerdict[] {previous, current});
    }

    List<Status> seriesStatuses(String run, String tag) {
      return series.stream()
          .filter(p -> p[1].run().equals(run) && p[1].tag().equals(tag))
          .map(p -> p[1].status())
          .toList();
    }
  }

  private final Recorder recorder = new Recorder();

  private static DetectionConfig config(String yaml) throws Exception {
    PlateauConfig c = ConfigLoader.parse(yaml, "test.yaml");
    return c.detection();
  }

  private static ScalarPoint pt(String run, String tag, long step, double value) {
    return new ScalarPoint(run, "events.out.tfevents.1", tag, step, T0 + step, value);
  }

  private static Verdict verdictOf(LogdirJudge judge, String run, String tag) {
    return judge.seriesVerdicts().stream()
        .filter(v -> v.run().equals(run) && v.tag().equals(tag))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no verdict for " + run + " " + tag));
  }

  private static Optional<ExperimentVerdict> runVerdictOf(LogdirJudge judge, String name) {
    return judge.experimentVerdicts().stream().filter(r -> r.experiment().equals(name)).findFirst();
  }

  @Test
  void experimentVerdictsAreCombinedAgainOnlyWhenASeriesVerdictChanged() throws Exception {
    LogdirJudge judge =
        new LogdirJudge(
            config("detection:\n  detectors: [patience]\n  patience: {patience: 2}\n"), recorder);
    judge.observe(pt("a", "loss", 1, 1.0));
    judge.observe(pt("a", "loss", 2, 0.5));
    judge.observe(pt("b", "loss", 1, 1.0));
    ExperimentVerdict a = runVerdictOf(judge, "a").orElseThrow();
    ExperimentVerdict b = runVerdictOf(judge, "b").orElseThrow();
    assertThat(runVerdictOf(judge, "a").orElseThrow()).as("unchanged: the same object").isSameAs(a);

    judge.observe(pt("a", "loss", 3, 0.6));
    judge.observe(pt("a", "loss", 4, 0.7));
    ExperimentVerdict after = runVerdictOf(judge, "a").orElseThrow();
    assertThat(after).isNotSameAs(a);
    assertThat(after.status()).isEqualTo(Status.CONVERGED);
    assertThat(a.status()).isEqualTo(Status.TRAINING);
    assertThat(runVerdictOf(judge, "b").orElseThrow()).isSameAs(b);

    judge.forgetRun("b");
    assertThat(runVerdictOf(judge, "b")).isEmpty();
  }

  @Test
  void notSelfContainedNamesTheExperimentsWaitingForATwinAndEvictAllForgetsRuns() throws Exception {
    LogdirJudge judge = new LogdirJudge(config(""), recorder);
    for (int step = 1; step <= 20; step++) {
      double v = 1.0 / step;
      judge.observe(pt("e1/train", "loss", step, v));
      judge.observe(pt("e1/validation", "loss", step, v * 1.1)); // twin: e1/train loss
      judge.observe(pt("e2/validation", "val_loss", step, v)); // no twin anywhere yet
      judge.observe(pt("e3", "loss", step, v));
      judge.observe(pt("e4", "loss", step, v));
      judge.observe(pt("e4", "val_loss", step, v * 1.2));
    }
    // e1 and e4 hold both twins, e3 has no validation series; e2's waits for a twin.
    assertThat(judge.runsPairedWith("e1/train")).containsExactly("e1/validation");
    assertThat(judge.notSelfContained()).containsExactly("e2");
    assertThat(judge.runsByExperiment().get("e1")).containsExactly("e1/train", "e1/validation");

    judge.evictAll(java.util.Set.of("e3", "e4"));
    assertThat(judge.runs()).containsOnlyKeys("e1/train", "e1/validation", "e2/validation");
    assertThat(judge.experimentVerdicts())
        .extracting(ExperimentVerdict::experiment)
        .containsExactly("e1", "e2");
    assertThat(judge.seriesVerdicts()).extracting(Verdict::run).doesNotContain("e3", "e4");
  }

  @Test
  void aRunWatchesAtMostMaxSeriesPerRunAndTheLogdirAtMostMaxSeriesEachSaidOnce() throws Exception {
    LogdirJudge judge =
        new LogdirJudge(config("detection:\n  max_series_per_run: 3\n  max_series: 5\n"), recorder);
    for (int step = 1; step <= 3; step++) {
      for (int t = 0; t < 6; t++) {
        judge.observe(pt("wide", "loss_" + t, step, 1.0 / step));
      }
      judge.observe(pt("second", "loss", step, 1.0 / step));
      judge.observe(pt("third", "loss", step, 1.0 / step));
      judge.observe(pt("fourth", "loss", step, 1.0 / step));
    }
    assertThat(judge.seriesVerdicts().stream().filter(v -> v.run().equals("wide")))
        .extracting(Verdict::tag)
        .containsExactlyInAnyOrder("loss_0", "loss_1", "loss_2");
    assertThat(judge.seriesVerdicts()).hasSize(5);
    assertThat(judge.seriesVerdicts()).extracting(Verdict::run).doesNotContain("fourth");
    assertThat(recorder.problems).hasSize(2);
    assertThat(recorder.problems.get(0))
        .contains("run 'wide' has 3 watched series", "tag 'loss_3'", "max_series_per_run");
    assertThat(recorder.problems.get(1))
        .contains("5 watched series in memory", "run 'fourth'", "detection.max_series");
  }

  @Test
  void onlyWatchedTagsGetVerdicts() throws Exception {
    LogdirJudge judge = new LogdirJudge(config(""), recorder);
    for (String tag :
        List.of("loss", "learning_rate", "epoch", "hp_metric", "grad_norm", "epoch_accuracy")) {
      judge.observe(pt("r", tag, 1, 0.5));
    }
    assertThat(judge.seriesVerdicts())
        .extracting(Verdict::tag)
        .containsExactly("loss", "epoch_accuracy");
    assertThat(judge.runs().get("r").byTag()).hasSize(6);
  }

  @Test
  void stepGoingBackRebuildsTheJudgeOnTheKeptPoints() throws Exception {
    LogdirJudge judge =
        new LogdirJudge(
            config("detection:\n  detectors: [patience]\n  patience: {patience: 2}\n"), recorder);
    double[] values = {1.0, 0.5, 0.6, 0.7};
    for (int i = 0; i < values.length; i++) {
      judge.observe(pt("r", "loss", i + 1, values[i]));
    }
    assertThat(verdictOf(judge, "r", "loss").status()).isEqualTo(Status.CONVERGED);
    // a restart from the checkpoint at step 2 writes step 3 again, better this time
    judge.observe(pt("r", "loss", 3, 0.4));
    Verdict v = verdictOf(judge, "r", "loss");
    assertThat(v.points()).isEqualTo(3);
    assertThat(v.lastStep()).isEqualTo(3);
    assertThat(v.status()).isEqualTo(Status.TRAINING);
    assertThat(v.bestStep()).isEqualTo(3L);
    assertThat(recorder.seriesStatuses("r", "loss"))
        .containsExactly(Status.CONVERGED, Status.TRAINING);
  }

  @Test
  void sessionLogStartDropsLaterPointsAndRejudges() throws Exception {
    LogdirJudge judge =
        new LogdirJudge(
            config("detection:\n  detectors: [patience]\n  patience: {patience: 2}\n"), recorder);
    double[] values = {1.0, 0.5, 0.6, 0.7};
    for (int i = 0; i < values.length; i++) {
      judge.observe(pt("r", "loss", i + 1, values[i]));
      judge.observe(pt("r", "acc", i + 1, 0.1 * i));
    }
    judge.sessionStart("r", 3);
    Verdict v = verdictOf(judge, "r", "loss");
    assertThat(v.points()).isEqualTo(2);
    assertThat(v.lastStep()).isEqualTo(2);
    assertThat(v.status()).isEqualTo(Status.TRAINING);
    assertThat(verdictOf(judge, "r", "acc").points()).isEqualTo(2);
    assertThat(judge.runs().get("r").byTag().get("loss").size()).isEqualTo(2);
    judge.sessionStart("unknown-run", 0); // no effect, no exception
  }

  /** Keras layout: exp/train and exp/validation with the same tag, U-shaped validation. */
  private static double[][] kerasCurves(long seed, int epochs) {
    Random r = new Random(seed);
    double[] train = new double[epochs];
    double[] val = new double[epochs];
    for (int t = 0; t < epochs; t++) {
      train[t] = 2.0 * Math.exp(-t / 15.0) + 0.1 + 0.01 * r.nextGaussian();
      int u = Math.min(t, 80); // rises until epoch 80, then stays high (no divergence)
      val[t] = 2.0 * Math.exp(-t / 10.0) + 0.35 + 0.00015 * u * u + 0.01 * r.nextGaussian();
    }
    return new double[][] {train, val};
  }

  private static final String OVERFIT_ONLY = "detection:\n  detectors: [divergence, overfitting]\n";

  @Test
  void overfittingFiresForKerasLayoutFedLive() throws Exception {
    double[][] c = kerasCurves(11, 100);
    LogdirJudge judge = new LogdirJudge(config(OVERFIT_ONLY), recorder);
    for (int t = 0; t < 100; t++) {
      judge.observe(pt("exp/train", "epoch_loss", t, c[0][t]));
      judge.observe(pt("exp/validation", "epoch_loss", t, c[1][t]));
    }
    assertOverfitAfterMinimum(judge);
  }

  @Test
  void overfittingFiresForKerasLayoutWhenAllTrainPointsArriveFirst() throws Exception {
    double[][] c = kerasCurves(11, 60);
    LogdirJudge judge = new LogdirJudge(config(OVERFIT_ONLY), recorder);
    for (int t = 0; t < 60; t++) {
      judge.observe(pt("exp/train", "epoch_loss", t, c[0][t]));
    }
    for (int t = 0; t < 60; t++) {
      judge.observe(pt("exp/validation", "epoch_loss", t, c[1][t]));
    }
    assertOverfitAfterMinimum(judge);
  }

  @Test
  void overfittingFiresForKerasLayoutWhenValidationPointsArriveFirst() throws Exception {
    double[][] c = kerasCurves(11, 60);
    LogdirJudge judge = new LogdirJudge(config(OVERFIT_ONLY), recorder);
    for (int t = 0; t < 60; t++) {
      judge.observe(pt("exp/validation", "epoch_loss", t, c[1][t]));
    }
    for (int t = 0; t < 60; t++) {
      judge.observe(pt("exp/train", "epoch_loss", t, c[0][t]));
    }
    // the validation points were judged before any twin point: this order cannot fire;
    // the point is that it does not crash and pairs the twin for later validation points
    judge.observe(pt("exp/validation", "epoch_loss", 60, c[1][59] + 0.05));
    assertThat(verdictOf(judge, "exp/validation", "epoch_loss").points()).isEqualTo(61);
  }

  @Test
  void overfittingFiresForALongKerasRunBackfilledTrainFirst() throws Exception {
    double[][] c = kerasCurves(11, 200);
    LogdirJudge judge = new LogdirJudge(config(OVERFIT_ONLY), recorder);
    for (int t = 0; t < 200; t++) {
      judge.observe(pt("exp/train", "epoch_loss", t, c[0][t]));
    }
    for (int t = 0; t < 200; t++) {
      judge.observe(pt("exp/validation", "epoch_loss", t, c[1][t]));
    }
    assertOverfitAfterMinimum(judge);
  }

  @Test
  void aLongKerasRunFedLiveFiresOverfitting() throws Exception {
    double[][] c = kerasCurves(11, 200);
    LogdirJudge judge = new LogdirJudge(config(OVERFIT_ONLY), recorder);
    for (int t = 0; t < 200; t++) {
      judge.observe(pt("exp/train", "epoch_loss", t, c[0][t]));
      judge.observe(pt("exp/validation", "epoch_loss", t, c[1][t]));
    }
    assertOverfitAfterMinimum(judge);
  }

  private void assertOverfitAfterMinimum(LogdirJudge judge) {
    Verdict v = verdictOf(judge, "exp/validation", "epoch_loss");
    assertThat(v.status()).isEqualTo(Status.OVERFITTING);
    assertThat(v.detector()).isEqualTo("overfitting");
    assertThat(v.decidedAtStep()).isBetween(32L, 70L);
    assertThat(v.bestStep()).isBetween(25L, 37L);
    assertThat(verdictOf(judge, "exp/train", "epoch_loss").status()).isEqualTo(Status.TRAINING);
    ExperimentVerdict exp = runVerdictOf(judge, "exp").orElseThrow();
    assertThat(exp.status()).isEqualTo(Status.OVERFITTING);
    assertThat(recorder.runs)
        .anySatisfy(p -> assertThat(p[1].status()).isEqualTo(Status.OVERFITTING));
  }

  @Test
  void overfittingNeverFiresOnATrainingSeries() throws Exception {
    double[][] c = kerasCurves(11, 100);
    LogdirJudge judge =
        new LogdirJudge(config("detection:\n  detectors: [overfitting]\n"), recorder);
    for (int t = 0; t < 100; t++) {
      judge.observe(pt("exp/train", "epoch_loss", t, c[1][t])); // U-shaped, but training
    }
    Verdict v = verdictOf(judge, "exp/train", "epoch_loss");
    assertThat(v.status()).isEqualTo(Status.TRAINING);
    assertThat(v.detector())
        .as("only overfitting asked for: divergence stands in")
        .isEqualTo("divergence");
    judge.observe(pt("exp/train", "epoch_loss", 100, Double.NaN));
    assertThat(verdictOf(judge, "exp/train", "epoch_loss").status()).isEqualTo(Status.DIVERGED);
  }

  @Test
  void eachTwinPointIsFedToTheOverfittingDetectorOnce() throws Exception {
    LogdirJudge judge =
        new LogdirJudge(
            config(
                "detection:\n  detectors: [overfitting]\n  overfitting: {window: 6, min_points: 6}\n"),
            recorder);
    double[] val = {1.0, 0.9, 0.8, 0.85, 0.9, 0.95};
    double[] train = {5, 4, 3, 2, 1};
    for (int t = 0; t < 6; t++) {
      judge.observe(pt("exp/validation", "epoch_loss", t, val[t]));
      if (t < 5) {
        judge.observe(pt("exp/train", "epoch_loss", t, train[t]));
      }
    }
    double expected = TrendStatistics.mannKendallZ(train, 0, 5);
    Verdict v = verdictOf(judge, "exp/validation", "epoch_loss");
    assertThat((Double) v.evidence().get("training_mk_z"))
        .isEqualTo(Math.round(expected * 1000) / 1000.0);
  }

  @Test
  void twinEvidenceMatchesTheTrainingPointsInTheWindowWhenTrainComesFirst() throws Exception {
    LogdirJudge judge =
        new LogdirJudge(
            config(
                "detection:\n  detectors: [overfitting]\n  overfitting: {window: 6, min_points: 6}\n"),
            recorder);
    double[] val = {1.0, 0.9, 0.8, 0.85, 0.9, 0.95};
    double[] train = {5, 4, 3, 2, 1, 0.5};
    for (int t = 0; t < 6; t++) {
      judge.observe(pt("exp/train", "epoch_loss", t, train[t]));
      judge.observe(pt("exp/validation", "epoch_loss", t, val[t]));
    }
    double expected = TrendStatistics.mannKendallZ(train, 0, 6);
    Verdict v = verdictOf(judge, "exp/validation", "epoch_loss");
    assertThat((Double) v.evidence().get("training_mk_z"))
        .isEqualTo(Math.round(expected * 1000) / 1000.0);
  }

  @Test
  void divergedSeriesMakesTheExperimentDiverged() throws Exception {
    LogdirJudge judge = new LogdirJudge(config(""), recorder);
    for (int t = 0; t < 5; t++) {
      judge.observe(pt("exp/train", "epoch_loss", t, 1.0 / (t + 1)));
      judge.observe(pt("exp/validation", "epoch_loss", t, 1.0 / (t + 1)));
    }
    judge.observe(pt("exp/train", "epoch_loss", 5, Double.NaN));
    assertThat(verdictOf(judge, "exp/train", "epoch_loss").status()).isEqualTo(Status.DIVERGED);
    ExperimentVerdict exp = runVerdictOf(judge, "exp").orElseThrow();
    assertThat(exp.status()).isEqualTo(Status.DIVERGED);
    assertThat(recorder.runs.get(recorder.runs.size() - 1)[1].status()).isEqualTo(Status.DIVERGED);
  }

  @Test
  void autoConvergedWhenDecidesOnTheValidationSeries() throws Exception {
    LogdirJudge judge =
        new LogdirJudge(
            config("detection:\n  detectors: [patience]\n  patience: {patience: 2}\n"), recorder);
    // train stops improving at step 1; validation keeps improving until step 4
    double[] train = {1.0, 0.5, 0.6, 0.6, 0.6, 0.6, 0.6};
    double[] val = {1.0, 0.9, 0.8, 0.7, 0.6, 0.65, 0.7};
    for (int t = 0; t < 5; t++) {
      judge.observe(pt("exp/train", "epoch_loss", t, train[t]));
      judge.observe(pt("exp/validation", "epoch_loss", t, val[t]));
    }
    assertThat(verdictOf(judge, "exp/train", "epoch_loss").status()).isEqualTo(Status.CONVERGED);
    assertThat(runVerdictOf(judge, "exp").orElseThrow().status()).isEqualTo(Status.TRAINING);
    for (int t = 5; t < 7; t++) {
      judge.observe(pt("exp/train", "epoch_loss", t, train[t]));
      judge.observe(pt("exp/validation", "epoch_loss", t, val[t]));
    }
    assertThat(verdictOf(judge, "exp/validation", "epoch_loss").status())
        .isEqualTo(Status.CONVERGED);
    ExperimentVerdict exp = runVerdictOf(judge, "exp").orElseThrow();
    assertThat(exp.status()).isEqualTo(Status.CONVERGED);
    assertThat(exp.deciding()).extracting(Verdict::run).containsExactly("exp/validation");
    assertThat(recorder.runs.get(recorder.runs.size() - 1)[1].status()).isEqualTo(Status.CONVERGED);
  }

  @Test
  void experimentsGroupTrainAndValidationRuns() throws Exception {
    LogdirJudge judge = new LogdirJudge(config(""), recorder);
    judge.observe(pt("exp/train", "epoch_loss", 0, 1));
    judge.observe(pt("exp/validation", "epoch_loss", 0, 1));
    judge.observe(pt("other", "loss", 0, 1));
    List<ExperimentVerdict> runs = judge.experimentVerdicts();
    assertThat(runs).extracting(ExperimentVerdict::experiment).containsExactly("exp", "other");
    assertThat(runs.get(0).series()).hasSize(2);
  }

  @Test
  void atTimeReportsStalledSeries() throws Exception {
    LogdirJudge judge = new LogdirJudge(config(""), recorder);
    judge.observe(pt("r", "loss", 10, 1.0));
    judge.atTime(T0 + 10 + 3600);
    assertThat(verdictOf(judge, "r", "loss").status()).isEqualTo(Status.TRAINING);
    judge.atTime(T0 + 10 + 3601);
    Verdict v = verdictOf(judge, "r", "loss");
    assertThat(v.status()).isEqualTo(Status.STALLED);
    assertThat(v.decidedAtStep()).isEqualTo(10L);
    assertThat(recorder.seriesStatuses("r", "loss")).containsExactly(Status.STALLED);
    assertThat(runVerdictOf(judge, "r").orElseThrow().status()).isEqualTo(Status.STALLED);
  }

  @Test
  void aTimeRuleFiringBehindAStopStatusIsStateToSaveAndLeavesNothingDue() throws Exception {
    LogdirJudge judge =
        new LogdirJudge(
            config("detection:\n  detectors: [patience, stalled]\n  patience: {patience: 2}\n"),
            recorder);
    double[] values = {1.0, 0.5, 0.6, 0.7};
    for (int step = 1; step <= values.length; step++) {
      judge.observe(pt("r", "loss", step, values[step - 1]));
    }
    assertThat(verdictOf(judge, "r", "loss").status()).isEqualTo(Status.CONVERGED);
    judge.takeDirty();
    double due = judge.nextChangeAt("r");
    assertThat(due)
        .as("the stalled rule is due an hour after the last point")
        .isEqualTo(T0 + 4 + 3600);

    judge.atTime(due - 1);
    assertThat(judge.takeDirty()).as("nothing moved before the hour").isEmpty();
    judge.atTime(due + 1);
    assertThat(verdictOf(judge, "r", "loss").status())
        .as("converged outranks stalled")
        .isEqualTo(Status.CONVERGED);
    assertThat(judge.takeDirty())
        .as("the stalled detector's judgement moved: saved")
        .containsExactly(new SeriesKey("r", "loss"));
    assertThat(judge.nextChangeAt("r"))
        .as("and nothing is due any more")
        .isEqualTo(Double.POSITIVE_INFINITY);
    judge.atTime(due + 60);
    assertThat(judge.takeDirty()).as("later rounds save nothing again").isEmpty();
  }

  @Test
  void configuredTwinTagAndRunArePaired() throws Exception {
    String yaml =
        """
        detection:
          detectors: [overfitting]
        rules:
          - tag: holdout_score
            mode: min
            watch: true
            overfitting: {twin_tag: fit_score, twin_run: ../fit}
          - tag: fit_score
            mode: min
            watch: true
        """;
    double[][] c = kerasCurves(11, 100);
    LogdirJudge judge = new LogdirJudge(config(yaml), recorder);
    for (int t = 0; t < 100; t++) {
      judge.observe(pt("exp/fit", "fit_score", t, c[0][t]));
      judge.observe(pt("exp/check", "holdout_score", t, c[1][t]));
    }
    Verdict v = verdictOf(judge, "exp/check", "holdout_score");
    assertThat(v.status()).isEqualTo(Status.OVERFITTING);
    assertThat(v.bestStep()).isBetween(25L, 37L);
  }

  /** A recorder that also notes which runs the judge asked to read again. */
  static final class RereadRecorder extends Recorder {
    final java.util.Set<String> rereads = new java.util.TreeSet<>();

    @Override
    public void rereadNeeded(String run) {
      rereads.add(run);
    }
  }

  private static double curve(long step, Random noise) {
    return 0.2 + 3.0 / Math.sqrt(1 + step / 5.0) + 0.01 * noise.nextGaussian();
  }

  @Test
  void boundedHistoryGivesTheSameVerdictsAsKeepingEveryPoint() throws Exception {
    DetectionConfig config = config("{}");
    LogdirJudge all = new LogdirJudge(config, new Recorder());
    LogdirJudge bounded = new LogdirJudge(config, new Recorder());
    bounded.boundHistory(16);
    Random noise = new Random(7);
    for (long step = 0; step < 3000; step++) {
      double v = curve(step, noise);
      all.observe(pt("exp", "val_loss", step, v));
      bounded.observe(pt("exp", "val_loss", step, v));
      all.observe(pt("exp", "learning_rate", step, 0.1));
      bounded.observe(pt("exp", "learning_rate", step, 0.1));
    }
    assertThat(bounded.seriesVerdicts()).isEqualTo(all.seriesVerdicts());
    assertThat(bounded.runs().get("exp").byTag().get("val_loss").size()).isLessThanOrEqualTo(16);
    assertThat(bounded.runs().get("exp").byTag().get("learning_rate").size())
        .as("an unwatched series keeps no points")
        .isZero();
  }

  @Test
  void rewindIntoHistoryABoundedJudgeDidNotKeepAsksForTheRunAgain() throws Exception {
    RereadRecorder recorder = new RereadRecorder();
    LogdirJudge judge = new LogdirJudge(config("{}"), recorder);
    judge.boundHistory(16);
    Random noise = new Random(3);
    for (long step = 0; step < 200; step++) {
      judge.observe(pt("exp", "val_loss", step, curve(step, noise)));
    }
    judge.observe(pt("other", "val_loss", 0, 1.0));
    assertThat(recorder.rereads).isEmpty();
    judge.observe(pt("exp", "val_loss", 120, 0.5)); // resumed from a checkpoint at step 120
    assertThat(recorder.rereads).containsExactly("exp");
  }

  @Test
  void rewindWithinTheKeptPointsOfABoundedJudgeIsJudgedInPlace() throws Exception {
    RereadRecorder recorder = new RereadRecorder();
    DetectionConfig config = config("{}");
    LogdirJudge bounded = new LogdirJudge(config, recorder);
    bounded.boundHistory(64);
    LogdirJudge all = new LogdirJudge(config, new Recorder());
    long[] steps = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 5, 6, 7, 8, 9, 10, 11, 12};
    Random noise = new Random(5);
    for (long step : steps) {
      double v = curve(step, noise);
      bounded.observe(pt("exp", "val_loss", step, v));
      all.observe(pt("exp", "val_loss", step, v));
    }
    assertThat(recorder.rereads).isEmpty();
    assertThat(bounded.seriesVerdicts()).isEqualTo(all.seriesVerdicts());
  }

  @Test
  void runReadAgainKeepsEveryPointUntilCompactedThenItsBoundAgain() throws Exception {
    RereadRecorder recorder = new RereadRecorder();
    LogdirJudge judge = new LogdirJudge(config("{}"), recorder);
    judge.boundHistory(16);
    judge.forgetRun("exp");
    Random noise = new Random(11);
    for (long step = 0; step < 300; step++) {
      judge.observe(pt("exp", "val_loss", step, curve(step, noise)));
    }
    // A restart inside the run read again: every point is there, so it is judged without asking
    // for the files a second time (which would loop).
    judge.observe(pt("exp", "val_loss", 100, 0.4));
    assertThat(recorder.rereads).isEmpty();
    assertThat(judge.runs().get("exp").byTag().get("val_loss").size()).isEqualTo(101);
    judge.compact();
    assertThat(judge.runs().get("exp").byTag().get("val_loss").size()).isLessThanOrEqualTo(16);
    for (long step = 101; step < 400; step++) {
      judge.observe(pt("exp", "val_loss", step, curve(step, noise)));
    }
    assertThat(judge.runs().get("exp").byTag().get("val_loss").size()).isLessThanOrEqualTo(16);
  }

  @Test
  void validationMeetingATwinWhosePointsWereNotAllKeptAsksForBothRunsAgain() throws Exception {
    RereadRecorder recorder = new RereadRecorder();
    LogdirJudge judge = new LogdirJudge(config("{}"), recorder);
    judge.boundHistory(16);
    Random noise = new Random(13);
    for (long step = 0; step < 100; step++) {
      judge.observe(pt("exp/train", "epoch_loss", step, curve(step, noise)));
    }
    judge.observe(pt("exp/validation", "epoch_loss", 0, 1.0));
    assertThat(recorder.rereads).containsExactly("exp/train", "exp/validation");
  }
}
