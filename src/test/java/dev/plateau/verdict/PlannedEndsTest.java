package dev.plateau.verdict;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.config.ConfigLoader;
import dev.plateau.detect.SeriesJudge;
import dev.plateau.detect.Verdict;
import dev.plateau.series.ScalarPoint;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A run says its planned end with a {@code max_steps} scalar, and the forecasts of its experiment's
 * watched series predict the level there, however the scalar and the series meet: before the
 * series, after it, and across a judge restored from saved state.
 */
class PlannedEndsTest {
  private static final double T0 = 1_700_000_000;

  static LogdirJudge judge() throws Exception {
    return new LogdirJudge(ConfigLoader.parse("", "test.yaml").detection(), (a, b) -> {});
  }

  static void loss(LogdirJudge j, int from, int to) {
    for (int t = from; t < to; t++) {
      j.observe(
          new ScalarPoint(
              "exp/validation",
              "events.out.tfevents.1",
              "val_loss",
              t,
              T0 + t,
              1 + 8 * Math.exp(-(t + 1) / 8.0)));
    }
  }

  static void maxSteps(LogdirJudge j, String run, String tag, double value) {
    j.observe(new ScalarPoint(run, "events.out.tfevents.1", tag, 0, T0, value));
  }

  static Object forecastMaxSteps(LogdirJudge j) {
    Verdict v = j.seriesVerdicts().get(0);
    return ((Map<?, ?>) v.evidence().get("forecast")).get("max_steps");
  }

  @Test
  void declaresOnlyMaxStepsTags() {
    assertThat(PlannedEnds.declares("max_steps")).isTrue();
    assertThat(PlannedEnds.declares("hparams/max_steps")).isTrue();
    assertThat(PlannedEnds.declares("max_steps_per_epoch")).isFalse();
    assertThat(PlannedEnds.declares("train/max_steps/x")).isFalse();
  }

  @Test
  void aMaxStepsLoggedBeforeTheSeriesReachesItsForecast() throws Exception {
    LogdirJudge j = judge();
    maxSteps(j, "exp/validation", "max_steps", 500);
    loss(j, 0, 60);
    assertThat(forecastMaxSteps(j)).isEqualTo(500L);
  }

  @Test
  void aMaxStepsLoggedLaterByAnotherRunOfTheExperimentReachesItsForecastAtTheNextFit()
      throws Exception {
    LogdirJudge j = judge();
    loss(j, 0, 60);
    assertThat(forecastMaxSteps(j)).isNull();
    maxSteps(j, "exp/train", "trainer/max_steps", 700);
    loss(j, 60, 64);
    assertThat(forecastMaxSteps(j)).isEqualTo(700L);
  }

  @Test
  void aJudgeRestoredFromSavedStateKeepsItsEndAndTakesANewOneTheRunSaysSince() throws Exception {
    LogdirJudge before = judge();
    maxSteps(before, "exp/validation", "max_steps", 500);
    loss(before, 0, 60);
    SeriesJudge.State saved = before.judgeOf("exp/validation", "val_loss").snapshot();

    // Restarted: the max_steps point was read before the restart and is not read again.
    LogdirJudge after = judge();
    after.register("exp/validation", "val_loss").restore(saved);
    loss(after, 60, 64);
    assertThat(forecastMaxSteps(after)).isEqualTo(500L);

    // The run says another end while the judge is out of memory (parked), then comes back.
    LogdirJudge parked = judge();
    maxSteps(parked, "exp/validation", "max_steps", 900);
    parked.register("exp/validation", "val_loss").restore(saved);
    loss(parked, 60, 64);
    assertThat(forecastMaxSteps(parked)).isEqualTo(900L);
  }
}
