package dev.plateau.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.detect.Mode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The documented config/plateau.yaml loads and means exactly the built-in defaults. */
class DocumentedConfigTest {
  @Test
  void documentedDefaultFileLoadsAndPlansLikeTheBuiltInDefaults() throws Exception {
    PlateauConfig file = ConfigLoader.load(Path.of("config/plateau.yaml"));
    PlateauConfig builtIn = PlateauConfig.defaults();
    for (String tag : new String[] {"val_loss", "epoch_accuracy", "learning_rate", "hp_metric"}) {
      var a = file.detection().plan("run", tag);
      var b = builtIn.detection().plan("run", tag);
      assertThat(a.isPresent()).as(tag).isEqualTo(b.isPresent());
      if (a.isPresent()) {
        assertThat(a.get().mode()).isEqualTo(b.get().mode());
        assertThat(a.get().detectors()).isEqualTo(b.get().detectors());
        assertThat(a.get().build()).hasSameSizeAs(b.get().build());
      }
    }
    assertThat(file.detection().plan("run", "val_loss").orElseThrow().mode()).isEqualTo(Mode.MIN);
  }
}
