package dev.plateau.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TuneCommandTest {
  @Test
  void aGridIsTheProductOfItsKeysValuesUnderDetection() {
    List<Map<String, String>> settings =
        TuneCommand.settings(
            List.of("plateau.min_delta=0.01,0.02", "detection.patience.patience=5,10,20"));
    assertThat(settings).hasSize(6);
    assertThat(settings.get(0))
        .containsExactly(
            Map.entry("detection.plateau.min_delta", "0.01"),
            Map.entry("detection.patience.patience", "5"));
    assertThat(settings.get(5))
        .containsEntry("detection.plateau.min_delta", "0.02")
        .containsEntry("detection.patience.patience", "20");
  }

  @Test
  void aMalformedOrRepeatedGridKeyIsRefusedNamingIt() {
    assertThatThrownBy(() -> TuneCommand.settings(List.of("plateau.min_delta")))
        .hasMessageContaining("plateau.min_delta");
    assertThatThrownBy(() -> TuneCommand.settings(List.of("a=1", "detection.a=2")))
        .hasMessageContaining("twice");
    assertThatThrownBy(() -> TuneCommand.settings(List.of("a=1,,2"))).hasMessageContaining("empty");
  }

  @Test
  void theYamlOfASettingNestsItsKeysOnce() {
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put("detection.plateau.min_delta", "0.02");
    keys.put("detection.patience.patience", "10");
    keys.put("detection.plateau.horizon", "1");
    assertThat(TuneCommand.yaml(keys))
        .isEqualTo(
            "detection:\n  patience:\n    patience: 10\n  plateau:\n    horizon: 1\n    min_delta: 0.02\n");
  }

  @Test
  void aFalseStopBudgetIsAPercentOrAFraction() {
    assertThat(TuneCommand.rate("5%")).isEqualTo(0.05);
    assertThat(TuneCommand.rate("0.1")).isEqualTo(0.1);
    assertThatThrownBy(() -> TuneCommand.rate("lots")).hasMessageContaining("lots");
    assertThatThrownBy(() -> TuneCommand.rate("150%")).hasMessageContaining("150%");
  }
}
