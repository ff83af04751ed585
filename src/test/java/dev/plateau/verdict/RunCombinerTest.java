package dev.plateau.verdict;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.config.DetectionConfig.ConvergedWhen;
import dev.plateau.detect.Mode;
import dev.plateau.detect.Status;
import dev.plateau.detect.Verdict;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunCombinerTest {
  static Verdict v(String run, String tag, Status status) {
    return new Verdict(
        run, tag, Mode.MIN, status, "d", 1L, 1L, 0.5, 10, 10, Map.of(), status.jsonName());
  }

  private static final Verdict TRAIN_CONVERGED = v("exp/train", "epoch_loss", Status.CONVERGED);
  private static final Verdict TRAIN_TRAINING = v("exp/train", "epoch_loss", Status.TRAINING);
  private static final Verdict VAL_TRAINING = v("exp/validation", "epoch_loss", Status.TRAINING);
  private static final Verdict VAL_CONVERGED = v("exp/validation", "epoch_loss", Status.CONVERGED);

  @Test
  void noSeriesIsTraining() {
    assertThat(RunCombiner.combine("exp", List.of(), ConvergedWhen.AUTO).status())
        .isEqualTo(Status.TRAINING);
  }

  @Test
  void anyDivergedSeriesMakesTheRunDivergedWhateverElse() {
    for (ConvergedWhen when : ConvergedWhen.values()) {
      ExperimentVerdict r =
          RunCombiner.combine(
              "exp",
              List.of(
                  VAL_CONVERGED,
                  v("exp/validation", "epoch_acc", Status.TARGET_REACHED),
                  v("exp/train", "epoch_loss", Status.DIVERGED)),
              when);
      assertThat(r.status()).as("%s", when).isEqualTo(Status.DIVERGED);
      assertThat(r.deciding()).extracting(Verdict::tag).containsExactly("epoch_loss");
    }
  }

  @Test
  void targetReachedWinsOverConvergenceAndTraining() {
    ExperimentVerdict r =
        RunCombiner.combine(
            "exp",
            List.of(VAL_TRAINING, v("exp/train", "epoch_acc", Status.TARGET_REACHED)),
            ConvergedWhen.AUTO);
    assertThat(r.status()).isEqualTo(Status.TARGET_REACHED);
  }

  @Test
  void autoDecidesOnValidationSeriesWhenThereAreAny() {
    assertThat(
            RunCombiner.combine("exp", List.of(TRAIN_CONVERGED, VAL_TRAINING), ConvergedWhen.AUTO)
                .status())
        .isEqualTo(Status.TRAINING);
    ExperimentVerdict r =
        RunCombiner.combine("exp", List.of(TRAIN_TRAINING, VAL_CONVERGED), ConvergedWhen.AUTO);
    assertThat(r.status()).isEqualTo(Status.CONVERGED);
    assertThat(r.deciding()).containsExactly(VAL_CONVERGED);
    assertThat(r.series()).hasSize(2);
  }

  @Test
  void autoWithoutValidationSeriesNeedsAllToStop() {
    Verdict loss = v("run", "loss", Status.CONVERGED);
    Verdict acc = v("run", "acc", Status.TRAINING);
    assertThat(RunCombiner.combine("run", List.of(loss, acc), ConvergedWhen.AUTO).status())
        .isEqualTo(Status.TRAINING);
    assertThat(
            RunCombiner.combine(
                    "run", List.of(loss, v("run", "acc", Status.CONVERGED)), ConvergedWhen.AUTO)
                .status())
        .isEqualTo(Status.CONVERGED);
  }

  @Test
  void anyStopsWhenOneSeriesStopsAndAllNeedsEverySeries() {
    assertThat(
            RunCombiner.combine("exp", List.of(TRAIN_CONVERGED, VAL_TRAINING), ConvergedWhen.ANY)
                .status())
        .isEqualTo(Status.CONVERGED);
    assertThat(
            RunCombiner.combine("exp", List.of(TRAIN_TRAINING, VAL_CONVERGED), ConvergedWhen.ALL)
                .status())
        .isEqualTo(Status.TRAINING);
  }

  @Test
  void theStrongestStopStatusIsTaken() {
    Verdict overfit = v("exp/validation", "epoch_acc", Status.OVERFITTING);
    assertThat(
            RunCombiner.combine("exp", List.of(VAL_CONVERGED, overfit), ConvergedWhen.AUTO)
                .status())
        .isEqualTo(Status.OVERFITTING);
  }

  @Test
  void stalledOnlyWhenEveryDecidingSeriesIsStalled() {
    Verdict stalledVal = v("exp/validation", "epoch_loss", Status.STALLED);
    assertThat(
            RunCombiner.combine("exp", List.of(TRAIN_TRAINING, stalledVal), ConvergedWhen.AUTO)
                .status())
        .isEqualTo(Status.STALLED);
    assertThat(
            RunCombiner.combine(
                    "exp",
                    List.of(stalledVal, v("exp/validation", "epoch_acc", Status.TRAINING)),
                    ConvergedWhen.AUTO)
                .status())
        .isEqualTo(Status.TRAINING);
  }
}
