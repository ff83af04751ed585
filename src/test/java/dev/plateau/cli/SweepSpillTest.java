package dev.plateau.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.config.ConfigLoader;
import dev.plateau.config.DetectionConfig;
import dev.plateau.series.RunSeries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The temporary files of a sweep's points: written on several threads, merged as {@link Backtest}
 * merges series (wall time, then run name, then the tag's place in its run), gone once closed.
 */
class SweepSpillTest {
  @Test
  void pointsWrittenOnTwoThreadsComeBackInWallTimeOrderAndTheFilesAreGoneOnceClosed()
      throws Exception {
    DetectionConfig config = ConfigLoader.load(null, Map.of()).detection();
    SweepSpill spill = SweepSpill.create();
    List<String> merged = new ArrayList<>();
    try (spill) {
      // Run b on another thread, written first; both runs write at the same wall times.
      Thread other = new Thread(() -> write(spill, config, run("b", 500)));
      other.start();
      other.join();
      write(spill, config, run("a", 500));
      assertThat(spill.directory()).isDirectory();
      spill.replay((run, tag, step, wallTime, value) -> merged.add(run + " " + tag + " " + step));
    }
    assertThat(Files.exists(spill.directory())).as("temporary directory deleted").isFalse();
    assertThat(merged).hasSize(2_000);
    assertThat(merged.subList(0, 5))
        .containsExactly("a loss 1", "a val_loss 1", "b loss 1", "b val_loss 1", "a loss 2");
    assertThat(merged.get(1_999)).isEqualTo("b val_loss 500");
  }

  private static void write(SweepSpill spill, DetectionConfig config, RunSeries run) {
    try {
      spill.write(List.of(run), config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static RunSeries run(String name, int points) {
    RunSeries run = new RunSeries(name);
    for (int i = 1; i <= points; i++) {
      run.add("loss", i, 1.7e9 + i, 1.0 / i);
      run.add("val_loss", i, 1.7e9 + i, 1.5 / i);
    }
    return run;
  }
}
