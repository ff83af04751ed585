package dev.plateau.verdict;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.series.SeriesKey;
import java.util.List;
import org.junit.jupiter.api.Test;

class TwinFinderTest {

  @Test
  void kerasValidationRunPairsWithTheTrainRunFirst() {
    List<SeriesKey> c = TwinFinder.candidates("x/validation", "epoch_loss");
    assertThat(c.get(0)).isEqualTo(new SeriesKey("x/train", "epoch_loss"));
    assertThat(c).contains(new SeriesKey("x/training", "epoch_loss"));
  }

  @Test
  void topLevelValidationRunPairsWithTopLevelTrain() {
    assertThat(TwinFinder.candidates("validation", "epoch_loss").get(0))
        .isEqualTo(new SeriesKey("train", "epoch_loss"));
  }

  @Test
  void valPrefixedTagPairsWithTrainPrefixedTagAndTheBareTag() {
    List<SeriesKey> c = TwinFinder.candidates(".", "val_loss");
    assertThat(c).contains(new SeriesKey(".", "train_loss"), new SeriesKey(".", "loss"));
    assertThat(c.indexOf(new SeriesKey(".", "train_loss")))
        .isLessThan(c.indexOf(new SeriesKey(".", "loss")));
  }

  @Test
  void suffixAndPrefixValidationWordsAreReplacedByTrain() {
    assertThat(TwinFinder.candidates("r", "loss/val"))
        .first()
        .isEqualTo(new SeriesKey("r", "loss/train"));
    assertThat(TwinFinder.candidates("r", "eval/loss"))
        .first()
        .isEqualTo(new SeriesKey("r", "train/loss"));
    assertThat(TwinFinder.candidates("r", "valid_acc")).contains(new SeriesKey("r", "train_acc"));
    assertThat(TwinFinder.candidates("r", "loss/val")).contains(new SeriesKey("r", "loss"));
  }

  @Test
  void trainingSeriesHaveNoCandidates() {
    assertThat(TwinFinder.candidates("x/train", "epoch_loss")).isEmpty();
    assertThat(TwinFinder.candidates(".", "interval_loss")).isEmpty();
  }

  @Test
  void resolveRunHandlesParentAndCurrentDirectories() {
    assertThat(TwinFinder.resolveRun("a/b/validation", "../train")).isEqualTo("a/b/train");
    assertThat(TwinFinder.resolveRun("validation", "../train")).isEqualTo("train");
    assertThat(TwinFinder.resolveRun(".", "train")).isEqualTo("train");
    assertThat(TwinFinder.resolveRun("a/val", "..")).isEqualTo("a");
    assertThat(TwinFinder.resolveRun("val", "..")).isEqualTo(".");
    assertThat(TwinFinder.resolveRun("a/b", "./c")).isEqualTo("a/b/c");
    assertThat(TwinFinder.resolveRun("a/b", null)).isEqualTo("a/b");
  }

  @Test
  void experimentsGroupKerasSplitRuns() {
    assertThat(Experiments.of("exp/train")).isEqualTo("exp");
    assertThat(Experiments.of("exp/validation")).isEqualTo("exp");
    assertThat(Experiments.of("a/b/eval")).isEqualTo("a/b");
    assertThat(Experiments.of("train")).isEqualTo(".");
    assertThat(Experiments.of("exp")).isEqualTo("exp");
    assertThat(Experiments.of("exp/Validation")).isEqualTo("exp");
    assertThat(Experiments.of("exp/trainer")).isEqualTo("exp/trainer");
  }

  @Test
  void aValidationRunAndTheTwinRunTwinFinderPicksBelongToOneExperiment() {
    for (String validation : List.of("x/valid", "x/dev", "x/evaluation")) {
      for (SeriesKey twin : TwinFinder.candidates(validation, "loss")) {
        assertThat(Experiments.of(twin.run())).as(twin.run()).isEqualTo(Experiments.of(validation));
      }
    }
  }
}
