package dev.plateau.verdict;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.config.ConfigLoader;
import dev.plateau.config.DetectionConfig;
import dev.plateau.detect.Status;
import dev.plateau.detect.Verdict;
import dev.plateau.series.ScalarPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Runs judged against their sweep's siblings, through the logdir judge. */
class SweepVerdictsTest {
  private static final int EPOCHS = 30;

  /** A judge and the experiment transitions it reported. */
  private static final class Judged implements VerdictListener {
    final LogdirJudge judge;
    final List<ExperimentVerdict> transitions = new ArrayList<>();

    Judged(DetectionConfig config) {
      this.judge = new LogdirJudge(config, this);
    }

    @Override
    public void seriesTransition(Verdict previous, Verdict current) {}

    @Override
    public void experimentTransition(
        @Nullable ExperimentVerdict previous, ExperimentVerdict current) {
      transitions.add(current);
    }

    Map<String, Status> statuses() {
      Map<String, Status> out = new TreeMap<>();
      for (ExperimentVerdict v : judge.experimentVerdicts()) {
        out.put(v.experiment(), v.status());
      }
      return out;
    }
  }

  private static DetectionConfig config(String yaml) throws Exception {
    return ConfigLoader.parse(yaml, "test.yaml").detection();
  }

  /** A loss curve: from 5 down towards {@code floor}, with a little noise. */
  private static double loss(double floor, int epoch, Random noise) {
    return floor + (5 - floor) * Math.exp(-epoch / 6.0) + 0.005 * noise.nextGaussian();
  }

  /** Feeds runs epoch by epoch (as parallel jobs write them), each with its own floor. */
  private static void feed(Judged j, String tag, Map<String, Double> floors, boolean max) {
    Random noise = new Random(11);
    for (int epoch = 1; epoch <= EPOCHS; epoch++) {
      for (Map.Entry<String, Double> run : floors.entrySet()) {
        double v = loss(run.getValue(), epoch, noise);
        j.judge.observe(new ScalarPoint(run.getKey(), "", tag, epoch, 1.7e9 + epoch, max ? -v : v));
      }
    }
  }

  private static Map<String, Double> sweep(String dir, String slow) {
    Map<String, Double> floors = new TreeMap<>();
    for (int i = 0; i < 7; i++) {
      floors.put(dir + "/lr-" + i, 2.0 + 0.02 * i);
    }
    floors.put(dir + "/" + slow, 3.5);
    return floors;
  }

  @Test
  void aRunBehindItsSiblingsIsLaggingWithTheSweepsFiguresAsEvidence() throws Exception {
    Judged j = new Judged(DetectionConfig.defaults());
    feed(j, "val_loss", sweep("sweep-1", "slow"), false);

    Map<String, Status> statuses = j.statuses();
    assertThat(statuses.get("sweep-1/slow")).isEqualTo(Status.LAGGING);
    assertThat(statuses.get("sweep-1/lr-0")).isNotEqualTo(Status.LAGGING);
    ExperimentVerdict slow = j.judge.experimentVerdict("sweep-1/slow");
    Verdict lag = slow.deciding().get(0);
    assertThat(lag.status()).isEqualTo(Status.LAGGING);
    assertThat(lag.detector()).isEqualTo("sweep");
    assertThat(lag.decidedAtStep()).isGreaterThanOrEqualTo(5L); // the grace period
    assertThat(lag.evidence()).containsKeys("sweep_threshold", "sweep_margin", "sweep_siblings");
    assertThat((double) lag.evidence().get("sweep_threshold")).isLessThan(3.5);
    assertThat(lag.reason()).contains("behind its sweep", "median of 7 siblings");
    assertThat(j.transitions)
        .anyMatch(v -> v.experiment().equals("sweep-1/slow") && v.status() == Status.LAGGING);
    assertThat(j.judge.standing("sweep-1/slow", "val_loss").lagging()).isTrue();
  }

  @Test
  void laggingIsInformationalByDefaultAndAStopWhenConfigured() throws Exception {
    assertThat(DetectionConfig.defaults().stops().stops(Status.LAGGING)).isFalse();
    DetectionConfig stop = config("detection:\n  lagging: stop\n");
    assertThat(stop.stops().stops(Status.LAGGING)).isTrue();
    Judged j = new Judged(stop);
    feed(j, "val_loss", sweep("s", "slow"), false);
    assertThat(j.statuses().get("s/slow")).isEqualTo(Status.LAGGING);
  }

  @Test
  void runsInAnotherDirectoryAreNotSiblings() throws Exception {
    Map<String, Double> floors = sweep("a", "fine");
    floors.remove("a/fine");
    floors.put("b/slow", 3.5);
    Judged j = new Judged(DetectionConfig.defaults());
    feed(j, "val_loss", floors, false);
    assertThat(j.statuses().get("b/slow")).isNotEqualTo(Status.LAGGING);
    assertThat(j.judge.standing("b/slow", "val_loss")).isNull();
  }

  @Test
  void configuredSweepGlobsGroupRunsAcrossDirectories() throws Exception {
    Map<String, Double> floors = sweep("a", "fine");
    floors.remove("a/fine");
    floors.put("b/slow", 3.5);
    Judged j = new Judged(config("detection:\n  sweeps: ['*']\n"));
    feed(j, "val_loss", floors, false);
    assertThat(j.statuses().get("b/slow")).isEqualTo(Status.LAGGING);
  }

  @Test
  void aMaximisedMetricLagsWhenItIsLower() throws Exception {
    Judged j = new Judged(DetectionConfig.defaults());
    feed(j, "val_accuracy", sweep("s", "slow"), true);
    assertThat(j.statuses().get("s/slow")).isEqualTo(Status.LAGGING);
    assertThat(j.statuses().get("s/lr-0")).isNotEqualTo(Status.LAGGING);
  }

  @Test
  void trainingAndValidationSplitsAreComparedWithTheirLikeOnly() throws Exception {
    // Keras layout: EXP/train and EXP/validation log the same tag; training losses are far lower.
    Map<String, Double> floors = new TreeMap<>();
    for (int i = 0; i < 8; i++) {
      floors.put("s/exp-" + i + "/train", 0.5 + 0.0001 * i);
      floors.put("s/exp-" + i + "/validation", 2.0 + 0.0001 * i);
    }
    Judged j = new Judged(DetectionConfig.defaults());
    feed(j, "epoch_loss", floors, false);
    // Within their noise of each other: none lags (mixed, every validation run would).
    assertThat(j.statuses()).doesNotContainValue(Status.LAGGING);
    assertThat(j.judge.standing("s/exp-0/validation", "epoch_loss").threshold()).isGreaterThan(1.9);
  }

  @Test
  void sweepsCanBeTurnedOff() throws Exception {
    Judged j = new Judged(config("detection:\n  sweep:\n    enabled: false\n"));
    feed(j, "val_loss", sweep("s", "slow"), false);
    assertThat(j.statuses()).doesNotContainValue(Status.LAGGING);
  }

  @Test
  void aLaggingRunThatCatchesUpWithTheMedianIsTrainingAgain() throws Exception {
    Judged j = new Judged(DetectionConfig.defaults());
    Map<String, Double> floors = sweep("s", "late");
    Random noise = new Random(3);
    for (int epoch = 1; epoch <= EPOCHS; epoch++) {
      for (Map.Entry<String, Double> run : floors.entrySet()) {
        boolean late = run.getKey().endsWith("late");
        // The late run starts far behind, then from epoch 12 on is the best of the sweep.
        double v = late ? (epoch < 12 ? 4.5 : 1.5) : loss(run.getValue(), epoch, noise);
        j.judge.observe(new ScalarPoint(run.getKey(), "", "val_loss", epoch, epoch, v));
      }
    }
    List<Status> lateStatuses =
        j.transitions.stream()
            .filter(v -> v.experiment().equals("s/late"))
            .map(ExperimentVerdict::status)
            .toList();
    assertThat(lateStatuses).contains(Status.LAGGING);
    assertThat(j.statuses().get("s/late")).isNotEqualTo(Status.LAGGING);
  }

  @Test
  void aRunReadBeforeItsSiblingsIsComparedOnceTheyAreRead() throws Exception {
    // A daemon reading a finished sweep file by file: "a-slow" first, whole, with no sibling yet.
    Map<String, Double> floors = sweep("s", "a-slow");
    Judged j = new Judged(DetectionConfig.defaults());
    Random noise = new Random(5);
    for (Map.Entry<String, Double> run : floors.entrySet()) {
      for (int epoch = 1; epoch <= EPOCHS; epoch++) {
        double v = loss(run.getValue(), epoch, noise);
        j.judge.observe(new ScalarPoint(run.getKey(), "", "val_loss", epoch, epoch, v));
      }
    }
    assertThat(j.judge.standing("s/a-slow", "val_loss")).isNull();
    j.judge.atTime(EPOCHS + 1); // the end of a daemon's round, or of check and replay
    assertThat(j.judge.standing("s/a-slow", "val_loss").lagging()).isTrue();
    assertThat(j.statuses().get("s/a-slow")).isEqualTo(Status.LAGGING);
    assertThat(j.transitions)
        .anyMatch(v -> v.experiment().equals("s/a-slow") && v.status() == Status.LAGGING);
  }

  @Test
  void aConfigurationWithUnknownSweepKeysOrValuesIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> config("detection:\n  sweep:\n    median: 50\n"))
        .hasMessageContaining("median");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> config("detection:\n  sweep:\n    align: epochs\n"))
        .hasMessageContaining("wall_time");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> config("detection:\n  lagging: kill\n"))
        .hasMessageContaining("stop");
  }
}
