package dev.plateau.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TagClassifierTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "loss",
        "val_loss",
        "epoch_loss",
        "loss/train",
        "train/loss",
        "eval/loss",
        "top1_err",
        "perplexity",
        "ppl",
        "nll",
        "mse",
        "mae",
        "rmse",
        "Loss",
        "val/total_loss",
        "top5_error",
        "wer",
        "kl_loss"
      })
  void lossesAndErrorsAreWatchedAsMin(String tag) {
    assertThat(TagClassifier.classify(tag)).as(tag).contains(Mode.MIN);
    assertThat(TagClassifier.modeOf(tag)).isEqualTo(Mode.MIN);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "epoch_accuracy",
        "val_acc",
        "accuracy/val",
        "top1",
        "top5_accuracy",
        "mIoU",
        "mean_iou",
        "map",
        "mAP@0.5",
        "bleu",
        "rouge1",
        "rougeL",
        "f1",
        "auc",
        "precision",
        "recall",
        "episode/Return",
        "Acc@1",
        "mAP50",
        "eval/f1_macro"
      })
  void scoresAreWatchedAsMax(String tag) {
    assertThat(TagClassifier.classify(tag)).as(tag).contains(Mode.MAX);
    assertThat(TagClassifier.modeOf(tag)).isEqualTo(Mode.MAX);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "learning_rate",
        "lr",
        "epoch",
        "step",
        "hp_metric",
        "grad_norm",
        "loss_scale",
        "throughput",
        "time_per_step",
        "memory",
        "train/lr",
        "optimizer/learning_rate",
        "gpu_memory",
        "samples_per_second",
        "momentum",
        ""
      })
  void nonQualityTagsAreNotWatched(String tag) {
    assertThat(TagClassifier.classify(tag)).as(tag).isEmpty();
  }

  @Test
  void modeOfAnUnclassifiedTagDefaultsToMin() {
    assertThat(TagClassifier.modeOf("custom_metric")).isEqualTo(Mode.MIN);
  }

  @Test
  void aLossWordWinsOverAScoreWordWhateverTheOrder() {
    assertThat(TagClassifier.classify("accuracy_loss")).contains(Mode.MIN);
    assertThat(TagClassifier.classify("loss_accuracy")).contains(Mode.MIN);
  }

  @Test
  void errorRateIsAMinMetric() {
    assertThat(TagClassifier.classify("error_rate")).contains(Mode.MIN);
    assertThat(TagClassifier.classify("valid/word_error_rate")).contains(Mode.MIN);
  }

  @Test
  void validationIsRecognisedFromTheRunsLastDirectoryOrATagWord() {
    assertThat(TagClassifier.isValidation("x/validation", "epoch_loss")).isTrue();
    assertThat(TagClassifier.isValidation("validation", "epoch_loss")).isTrue();
    assertThat(TagClassifier.isValidation(".", "val_loss")).isTrue();
    assertThat(TagClassifier.isValidation("run1", "eval/acc")).isTrue();
    assertThat(TagClassifier.isValidation("run1", "loss/val")).isTrue();
    assertThat(TagClassifier.isValidation("x/eval", "loss")).isTrue();
    assertThat(TagClassifier.isValidation("x/Validation", "loss")).isTrue();
  }

  @Test
  void trainingSeriesAreNotValidation() {
    assertThat(TagClassifier.isValidation("x/train", "epoch_loss")).isFalse();
    assertThat(TagClassifier.isValidation(".", "train_loss")).isFalse();
    assertThat(TagClassifier.isValidation("validation/x", "loss"))
        .as("only the last directory")
        .isFalse();
    assertThat(TagClassifier.isValidation("run", "interval_loss")).as("whole words only").isFalse();
  }
}
