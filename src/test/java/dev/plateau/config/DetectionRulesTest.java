package dev.plateau.config;

import static dev.plateau.config.ConfigLoaderTest.parse;
import static dev.plateau.config.ConfigLoaderTest.patienceOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plateau.detect.Detector;
import dev.plateau.detect.DivergenceDetector;
import dev.plateau.detect.Mode;
import dev.plateau.detect.PatienceDetector;
import dev.plateau.detect.SmoothedDetector;
import dev.plateau.detect.Span;
import dev.plateau.detect.StalledDetector;
import dev.plateau.detect.TargetDetector;
import java.util.List;
import org.junit.jupiter.api.Test;

class DetectionRulesTest {

  @Test
  void laterRulesOverrideEarlierOnesKeyByKey() throws Exception {
    PlateauConfig c =
        parse(
            """
            rules:
              - tag: "*loss*"
                detectors: [patience]
                patience: {patience: 5, min_delta: 0.1}
              - tag: val_loss
                patience: {patience: 7}
            """);
    PatienceDetector.Params val = patienceOf(c, "r", "val_loss");
    assertThat(val.patience()).isEqualTo(Span.points(7));
    assertThat(val.minDelta().amount())
        .as("merged key by key from the earlier rule")
        .isEqualTo(0.1);
    PatienceDetector.Params train = patienceOf(c, "r", "train_loss");
    assertThat(train.patience()).isEqualTo(Span.points(5));
    assertThat(c.detection().plan("r", "val_loss").orElseThrow().detectors())
        .containsExactly("patience");
  }

  @Test
  void ruleOrderDecidesWhenRulesConflict() throws Exception {
    PlateauConfig c =
        parse(
            """
            rules:
              - tag: val_loss
                mode: max
              - tag: "*"
                mode: min
            """);
    assertThat(c.detection().plan("r", "val_loss").orElseThrow().mode()).isEqualTo(Mode.MIN);
  }

  @Test
  void rulesMatchOnRunAndTagGlobs() throws Exception {
    PlateauConfig c =
        parse(
            """
            rules:
              - run: "exp*/validation"
                tag: epoch_*
                detectors: [patience]
            """);
    assertThat(c.detection().plan("exp1/validation", "epoch_loss").orElseThrow().detectors())
        .containsExactly("patience");
    assertThat(c.detection().plan("exp1/train", "epoch_loss").orElseThrow().detectors())
        .isEqualTo(DetectionConfig.DEFAULT_DETECTORS);
  }

  @Test
  void watchFalseRuleHidesATag() throws Exception {
    PlateauConfig c = parse("rules:\n  - tag: val_loss\n    watch: false\n");
    assertThat(c.detection().plan("r", "val_loss")).isEmpty();
    assertThat(c.detection().plan("r", "train_loss")).isPresent();
  }

  @Test
  void watchTrueRuleWatchesAnUnclassifiedTagAsMinByDefault() throws Exception {
    PlateauConfig c = parse("rules:\n  - tag: custom_metric\n    watch: true\n");
    assertThat(c.detection().plan("r", "custom_metric").orElseThrow().mode()).isEqualTo(Mode.MIN);
  }

  @Test
  void modeMaxRuleOverridesTheInferredDirection() throws Exception {
    PlateauConfig c = parse("rules:\n  - tag: reward_loss\n    mode: max\n");
    assertThat(c.detection().plan("r", "reward_loss").orElseThrow().mode()).isEqualTo(Mode.MAX);
    assertThat(c.detection().plan("r", "loss").orElseThrow().mode()).isEqualTo(Mode.MIN);
  }

  @Test
  void watchAllAndNonePolicies() throws Exception {
    assertThat(parse("detection:\n  watch: all\n").detection().plan("r", "learning_rate"))
        .isPresent();
    PlateauConfig none =
        parse("detection:\n  watch: none\nrules:\n  - tag: val_loss\n    watch: true\n");
    assertThat(none.detection().plan("r", "loss")).isEmpty();
    assertThat(none.detection().plan("r", "val_loss")).isPresent();
  }

  @Test
  void targetRuleWithoutValueFailsAtLoadTimeNamingTargetAndValue() {
    assertThatThrownBy(() -> parse("rules:\n  - tag: val_acc\n    detectors: [target]\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("target")
        .hasMessageContaining("value");
    assertThatThrownBy(() -> parse("detection:\n  detectors: [target]\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("value");
  }

  @Test
  void targetWithoutValueMessageNamesTheFileAndTheRule() {
    assertThatThrownBy(() -> parse("rules:\n  - tag: val_acc\n    detectors: [target]\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("test.yaml")
        .hasMessageContaining("rules[0]");
  }

  @Test
  void targetValueFromAnEarlierMatchingRuleSatisfiesALaterRuleListingTarget() throws Exception {
    PlateauConfig c =
        parse(
            """
            rules:
              - target: {value: 0.9}
              - tag: val_acc
                detectors: [divergence, target]
            """);
    assertThat(c.detection().plan("r", "val_acc").orElseThrow().build()).hasSize(2);
  }

  @Test
  void targetWithValueBuildsATargetDetector() throws Exception {
    PlateauConfig c =
        parse("rules:\n  - tag: val_acc\n    detectors: [target]\n    target: {value: 0.9}\n");
    List<Detector> built = c.detection().plan("r", "val_acc").orElseThrow().build();
    assertThat(built).singleElement().isInstanceOf(TargetDetector.class);
  }

  @Test
  void smoothingWrapsOnlySmoothableDetectors() throws Exception {
    PlateauConfig c =
        parse("detection:\n  detectors: [divergence, patience, stalled]\n  smoothing: 0.6\n");
    List<Detector> built = c.detection().plan("r", "loss").orElseThrow().build();
    assertThat(built.get(0)).isInstanceOf(DivergenceDetector.class);
    assertThat(built.get(1)).isInstanceOf(SmoothedDetector.class);
    assertThat(built.get(1).name()).isEqualTo("patience");
    assertThat(built.get(2)).isInstanceOf(StalledDetector.class);
  }

  @Test
  void detectorOwnSmoothingKeyOverridesTheSeriesDefault() throws Exception {
    PlateauConfig c =
        parse(
            "detection:\n  detectors: [patience]\n  smoothing: 0.6\n  patience: {smoothing: 0}\n");
    assertThat(c.detection().plan("r", "loss").orElseThrow().build().get(0))
        .isInstanceOf(PatienceDetector.class);
  }

  @Test
  void buildGivesFreshIndependentDetectors() throws Exception {
    SeriesPlan plan = parse("").detection().plan("r", "loss").orElseThrow();
    List<Detector> a = plan.build();
    List<Detector> b = plan.build();
    for (int i = 0; i < a.size(); i++) {
      assertThat(a.get(i)).isNotSameAs(b.get(i));
    }
  }

  @Test
  void overfittingTwinKeysAreExposedOnThePlan() throws Exception {
    PlateauConfig c =
        parse(
            "rules:\n  - tag: val_metric\n    watch: true\n    overfitting: {twin_tag: trn_metric, twin_run: ../train}\n");
    SeriesPlan plan = c.detection().plan("x/validation", "val_metric").orElseThrow();
    assertThat(plan.twinTag()).isEqualTo("trn_metric");
    assertThat(plan.twinRun()).isEqualTo("../train");
    assertThat(parse("").detection().plan("r", "val_loss").orElseThrow().twinTag()).isNull();
  }

  @Test
  void convergedWhenIsParsed() throws Exception {
    assertThat(parse("detection:\n  converged_when: any\n").detection().convergedWhen())
        .isEqualTo(DetectionConfig.ConvergedWhen.ANY);
    assertThat(parse("detection:\n  converged_when: ALL\n").detection().convergedWhen())
        .isEqualTo(DetectionConfig.ConvergedWhen.ALL);
  }

  @Test
  void unknownRuleKeyIsRejectedWithItsPath() {
    assertThatThrownBy(() -> parse("rules:\n  - tag: x\n  - tags: y\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("rules[1].tags");
  }

  @Test
  void unclosedGlobClassIsRejectedNamingTheRule() {
    assertThatThrownBy(() -> parse("rules:\n  - tag: \"val_[ab\"\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("rules[0].tag");
  }
}
