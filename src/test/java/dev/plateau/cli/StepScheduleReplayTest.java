package dev.plateau.cli;

import dev.plateau.config.ConfigLoader;
import dev.plateau.config.DetectionConfig;
import dev.plateau.detect.Verdict;
import dev.plateau.series.SeriesKey;
import dev.plateau.testing.StepScheduleTraining;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepScheduleReplayTest {
  @TempDir Path dir;

  @Test
  void explore() throws Exception {
    for (long seed = 1; seed <= 2; seed++) {
      Path with = dir.resolve("with-" + seed);
      Path without = dir.resolve("without-" + seed);
      double[] v = StepScheduleTraining.write(with.resolve("run"), seed, 90, true, 30, 60);
      StepScheduleTraining.write(without.resolve("run"), seed, 90, false, 30, 60);
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < v.length; i += 3) sb.append(String.format("%.3f ", v[i]));
      System.out.println("seed " + seed + ": " + sb);
      for (Path p : new Path[] {with, without}) {
        DetectionConfig config = ConfigLoader.parse("", "t.yaml").detection();
        Backtest.Result r = Backtest.run(p, config, new PrintWriter(new StringWriter()), "replay");
        for (Verdict last : r.judge().seriesVerdicts()) {
          System.out.println(
              "  last "
                  + last.run()
                  + " "
                  + last.tag()
                  + " "
                  + last.status()
                  + " "
                  + last.reason());
        }
        for (String tag : new String[] {"val_loss", "train_loss"}) {
          Verdict first = r.firstSeriesStop().get(new SeriesKey("run", tag));
          System.out.println(
              p.getFileName()
                  + " "
                  + tag
                  + " first stop: "
                  + (first == null ? "none" : first.decidedAtStep() / 25 + " " + first.reason()));
        }
      }
    }
  }
}
