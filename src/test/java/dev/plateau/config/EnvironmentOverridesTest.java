package dev.plateau.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PLATEAU_... variables override single keys of the file; bad values name the variable. */
class EnvironmentOverridesTest {
  @Test
  void variableOverridesTheFilesValue() throws Exception {
    PlateauConfig config =
        ConfigLoader.parse(
            "detection:\n  stalled:\n    after: 2h\nwebhook:\n  statuses: [converged]\n",
            "f.yaml",
            Map.of(
                "PLATEAU_DETECTION_STALLED_AFTER", "15m",
                "PLATEAU_WEBHOOK_STATUSES", "converged, diverged",
                "PLATEAU_WEBHOOK_SECRET", "whsec_abc",
                "PLATEAU_FLAGS_ENABLED", "false"));
    assertThat(
            DetectorSpecs.stalled(
                    config.detection().plan("r", "val_loss").orElseThrow().params().get("stalled"))
                .afterSeconds())
        .isEqualTo(900);
    assertThat(config.alerts().webhookStatuses()).containsExactly("converged", "diverged");
    assertThat(config.alerts().webhookSecret()).isEqualTo("whsec_abc");
    assertThat(config.alerts().flagsEnabled()).isFalse();
  }

  @Test
  void badValueFromAVariableNamesTheVariableAndTheKey() {
    assertThatThrownBy(
            () -> ConfigLoader.parse("", "f.yaml", Map.of("PLATEAU_DETECTION_PLATEAU_Z", "lots")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("PLATEAU_DETECTION_PLATEAU_Z")
        .hasMessageContaining("detection.plateau.z")
        .hasMessageContaining("'lots' is not a number");
  }

  @Test
  void unrelatedVariablesAreNotTakenForKeys() throws Exception {
    PlateauConfig config =
        ConfigLoader.parse(
            "", "f.yaml", Map.of("PLATEAU_CONFIG", "/x.yaml", "PLATEAU_STATE_DIR", "/s"));
    assertThat(config.alerts()).isEqualTo(AlertsConfig.defaults());
  }

  @Test
  void everyDetectorKeyHasAVariable() {
    Map<String, Boolean> paths = EnvironmentOverrides.keyPaths();
    assertThat(paths)
        .containsKeys(
            "detection.plateau.min_delta",
            "detection.patience.patience",
            "webhook.urls",
            "slack.url",
            "flags.dir");
    assertThat(EnvironmentOverrides.variableFor("detection.plateau.min_delta"))
        .isEqualTo("PLATEAU_DETECTION_PLATEAU_MIN_DELTA");
    assertThat(paths.get("webhook.urls")).isTrue();
    assertThat(List.of(paths.get("webhook.secret"), paths.get("slack.url"))).containsOnly(false);
  }
}
