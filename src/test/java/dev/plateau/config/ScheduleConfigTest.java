package dev.plateau.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plateau.detect.Span;
import org.junit.jupiter.api.Test;

class ScheduleConfigTest {
  static ScheduleConfig parse(String yaml) throws Exception {
    return ConfigLoader.parse(yaml, "t.yaml").detection().schedule();
  }

  @Test
  void theDefaultsKnowHowTheCommonWritersNameALearningRateAndNothingElse() throws Exception {
    ScheduleConfig defaults = parse("");
    for (String tag :
        new String[] {
          "lr",
          "LR",
          "learning_rate",
          "lr-Adam",
          "lr-SGD/pg1",
          "train/learning_rate",
          "optimizer/lr",
          "epoch_learning_rate",
          "train_lr",
          "trainer/lr-AdamW"
        }) {
      assertThat(defaults.isLearningRate(tag)).as(tag).isTrue();
    }
    for (String tag :
        new String[] {
          "lr-Adam-momentum", "lr-SGD-weight_decay", "val_loss", "clr_loss", "epoch", "hp_metric"
        }) {
      assertThat(defaults.isLearningRate(tag)).as(tag).isFalse();
    }
    assertThat(defaults.judgeParams().grace()).isEqualTo(Span.points(10));
  }

  @Test
  void patternsGraceAndTheDropRuleAreConfigurable() throws Exception {
    ScheduleConfig s =
        parse(
            """
            detection:
              schedule:
                tags: ["opt/step_size"]
                drop_factor: 5
                grace: 5000 steps
            """);
    assertThat(s.isLearningRate("opt/step_size")).isTrue();
    assertThat(s.isLearningRate("lr")).isFalse();
    assertThat(s.params().drops().dropFactor()).isEqualTo(5);
    assertThat(s.params().grace()).isEqualTo(new Span(5000, Span.Unit.STEPS));
    assertThat(parse("detection: {schedule: {enabled: false}}").judgeParams()).isNull();
    assertThat(parse("detection: {schedule: {enabled: false}}").isLearningRate("lr")).isFalse();
  }

  @Test
  void aGraceInTimeAndADropFactorOfOneAreRefusedNamingTheKey() {
    assertThatThrownBy(() -> parse("detection: {schedule: {grace: 30m}}"))
        .hasMessageContaining("detection.schedule.grace");
    assertThatThrownBy(() -> parse("detection: {schedule: {drop_factor: 1}}"))
        .hasMessageContaining("drop_factor");
  }
}
