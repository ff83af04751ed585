package dev.plateau.verdict;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.config.ConfigLoader;
import dev.plateau.config.DetectionConfig;
import dev.plateau.series.SeriesKey;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Twin pairing on its own: which validation series waits for, and then has, which twin. */
class TwinPairingTest {
  private final Set<SeriesKey> known = new HashSet<>();
  private final TwinPairing twins = new TwinPairing();

  private static WatchedSeries watched(String run, String tag) throws Exception {
    DetectionConfig config = ConfigLoader.parse("", "test.yaml").detection();
    WatchedSeries w =
        new WatchedSeries(new SeriesKey(run, tag), config.plan(run, tag).orElseThrow());
    w.buildJudge();
    return w;
  }

  private WatchedSeries appears(String run, String tag) throws Exception {
    WatchedSeries w = watched(run, tag);
    known.add(w.key);
    twins.watching(w);
    return w;
  }

  @Test
  void aValidationSeriesWaitsForItsTwinAndIsPairedWhenItAppears() throws Exception {
    WatchedSeries validation = appears("e1/validation", "loss");
    assertThat(twins.appeared(validation.key, known::contains)).isEmpty();
    assertThat(twins.notSelfContained())
        .as("waiting: its twin may appear anywhere")
        .containsExactly("e1");

    WatchedSeries training = appears("e1/train", "loss");
    assertThat(training.overfitting).as("a training series waits for nothing").isNull();
    assertThat(twins.appeared(training.key, known::contains)).containsExactly(validation);
    assertThat(validation.twin).isEqualTo(training.key);
    assertThat(twins.validationsOf(training.key)).containsExactly(validation);
    assertThat(twins.runsPairedWith("e1/train")).containsExactly("e1/validation");
    assertThat(twins.notSelfContained()).as("paired inside its own experiment").isEmpty();
  }

  @Test
  void aTwinAlreadyKnownIsFoundWhenTheValidationSeriesAppears() throws Exception {
    known.add(new SeriesKey("e1", "train_loss"));
    WatchedSeries validation = appears("e1", "val_loss");
    assertThat(twins.appeared(validation.key, known::contains)).containsExactly(validation);
    assertThat(validation.twin).isEqualTo(new SeriesKey("e1", "train_loss"));
  }

  @Test
  void evictingTheTwinsRunLeavesNoPairingBehind() throws Exception {
    appears("e1/validation", "loss");
    WatchedSeries training = appears("e1/train", "loss");
    twins.appeared(training.key, known::contains);

    twins.evict(Set.of("e1/train", "e1/validation"));
    assertThat(twins.validationsOf(training.key)).isNull();
    assertThat(twins.runsPairedWith("e1/train")).isEmpty();
    assertThat(twins.notSelfContained()).isEmpty();
  }
}
