package dev.plateau.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.detect.Mode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The documented config/plateau.yaml loads and says exactly what the built-in defaults are. */
class DocumentedConfigTest {
  private static final Path DOCUMENTED = Path.of("config/plateau.yaml");

  static Map<String, ConfigNode> section(String detector) throws Exception {
    ConfigNode root =
        new ConfigNode(
            "plateau.yaml",
            "",
            new org.snakeyaml.engine.v2.api.Load(
                    org.snakeyaml.engine.v2.api.LoadSettings.builder().build())
                .loadFromString(java.nio.file.Files.readString(DOCUMENTED)));
    return root.get("detection").get(detector).entries();
  }

  @Test
  void everyDocumentedDetectorValueIsTheBuiltInDefault() throws Exception {
    assertThat(PlateauParamsBinder.bind(section("plateau")))
        .isEqualTo(PlateauParamsBinder.bind(Map.of()));
    assertThat(DetectorSpecs.patience(section("patience")))
        .isEqualTo(DetectorSpecs.patience(Map.of()));
    // Records compare doubles with Double.compare, so NaN (no threshold) equals NaN.
    assertThat(DetectorSpecs.divergence(section("divergence")))
        .isEqualTo(DetectorSpecs.divergence(Map.of()));
    assertThat(OverfittingParamsBinder.bind(section("overfitting")))
        .isEqualTo(OverfittingParamsBinder.bind(Map.of()));
    assertThat(DetectorSpecs.stalled(section("stalled")))
        .isEqualTo(DetectorSpecs.stalled(Map.of()));
  }

  @Test
  void documentedFilePlansLikeTheBuiltInDefaults() throws Exception {
    PlateauConfig file = ConfigLoader.load(DOCUMENTED);
    PlateauConfig builtIn = PlateauConfig.defaults();
    for (String tag : new String[] {"val_loss", "epoch_accuracy", "learning_rate", "hp_metric"}) {
      var a = file.detection().plan("run", tag);
      var b = builtIn.detection().plan("run", tag);
      assertThat(a.isPresent()).as(tag).isEqualTo(b.isPresent());
      if (a.isPresent()) {
        assertThat(a.get().mode()).isEqualTo(b.get().mode());
        assertThat(a.get().detectors()).isEqualTo(b.get().detectors());
      }
    }
    assertThat(file.detection().convergedWhen()).isEqualTo(builtIn.detection().convergedWhen());
    assertThat(file.detection().sweep()).isEqualTo(builtIn.detection().sweep());
    assertThat(file.detection().stops()).isEqualTo(builtIn.detection().stops());
    assertThat(file.alerts()).isEqualTo(AlertsConfig.defaults());
    assertThat(file.detection().plan("run", "val_loss").orElseThrow().mode()).isEqualTo(Mode.MIN);
  }
}
