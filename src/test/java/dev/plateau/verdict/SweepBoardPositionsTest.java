package dev.plateau.verdict;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.config.SweepConfig;
import dev.plateau.detect.Mode;
import dev.plateau.series.SeriesKey;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A board whose groups cache positions decides exactly as one that visits every sibling at every
 * comparison: the same changes, standings (to the bit) and stale comparisons, point after point.
 */
class SweepBoardPositionsTest {
  private static SweepConfig config(SweepConfig.Align align, double percentile, int minSiblings) {
    SweepConfig d = SweepConfig.DEFAULTS;
    return new SweepConfig(
        true, d.groups(), align, percentile, d.noiseSigmas(), 3, minSiblings, 8 + minSiblings);
  }

  /** Feeds both boards the same point; asserts they answer and stand alike. */
  private static void feedBoth(
      SweepBoard visiting,
      SweepBoard cached,
      SeriesKey key,
      Mode mode,
      long step,
      double wallTime,
      double value) {
    boolean a = visiting.observe(key, mode, step, wallTime, value);
    boolean b = cached.observe(key, mode, step, wallTime, value);
    assertThat(b).as("%s at step %d", key, step).isEqualTo(a);
    assertThat(cached.standing(key)).isEqualTo(visiting.standing(key));
  }

  private static List<SeriesKey> keys(int runs, String... tags) {
    List<SeriesKey> keys = new ArrayList<>();
    for (int r = 0; r < runs; r++) {
      for (String tag : tags) {
        // Two sweeps, and the flat logdir's sweep ".", so that groups are kept apart too.
        String run = r % 3 == 0 ? "run-" + r : "grid-" + (r % 3) + "/lr-" + r;
        keys.add(new SeriesKey(run, tag));
      }
    }
    return keys;
  }

  @Test
  void runsWritingInTurnGetTheSameStandingsAsVisitingEverySibling() {
    SplittableRandom random = new SplittableRandom(5);
    for (int round = 0; round < 40; round++) {
      SweepConfig.Align align =
          round % 2 == 0 ? SweepConfig.Align.STEP : SweepConfig.Align.WALL_TIME;
      SweepConfig config = config(align, round % 4 == 1 ? 75 : 50, 2 + random.nextInt(5));
      SweepBoard visiting = new SweepBoard(config, 0);
      SweepBoard cached = new SweepBoard(config);
      List<SeriesKey> keys = keys(5 + random.nextInt(30), "val_loss", "val_accuracy");
      double[] floors = random.doubles(keys.size(), 0.5, 3).toArray();
      for (long step = 0; step < 60; step++) {
        for (int k = 0; k < keys.size(); k++) {
          if (random.nextInt(10) == 0) {
            continue; // a run that skips a step now and then
          }
          SeriesKey key = keys.get(k);
          Mode mode = key.tag().contains("acc") ? Mode.MAX : Mode.MIN;
          double level = floors[k] + 3 / Math.sqrt(1 + step) + 0.05 * random.nextGaussian();
          double value = random.nextInt(200) == 0 ? Double.NaN : mode == Mode.MAX ? -level : level;
          feedBoth(visiting, cached, key, mode, step, 1.7e9 + step + random.nextInt(2), value);
        }
        if (step % 7 == 0) {
          assertThat(cached.compareStale()).isEqualTo(visiting.compareStale());
        }
      }
      for (SeriesKey key : keys) {
        assertThat(cached.standing(key)).isEqualTo(visiting.standing(key));
      }
    }
  }

  @Test
  void runsReadOneAfterAnotherOrAtRandomGetTheSameStandingsAsVisitingEverySibling() {
    SplittableRandom random = new SplittableRandom(9);
    for (int round = 0; round < 60; round++) {
      SweepConfig config = config(SweepConfig.Align.STEP, 50, 2 + random.nextInt(4));
      SweepBoard visiting = new SweepBoard(config, 0);
      SweepBoard cached = new SweepBoard(config, 1 + random.nextInt(3));
      List<SeriesKey> keys = keys(3 + random.nextInt(15), "loss");
      long[] steps = new long[keys.size()];
      boolean inTurn = round % 2 == 0;
      for (int op = 0; op < 800; op++) {
        // One after another (a finished sweep read file by file), or any run at any time,
        // with restarts from an earlier step.
        int k = inTurn ? Math.min(keys.size() - 1, op / 40) : random.nextInt(keys.size());
        steps[k] = random.nextInt(100) == 0 ? random.nextInt(5) : steps[k] + 1;
        double value = 1 + 2.0 / (1 + steps[k]) + k * 0.01 + 0.1 * random.nextGaussian();
        feedBoth(visiting, cached, keys.get(k), Mode.MIN, steps[k], 1.7e9 + op, value);
        if (op % 13 == 0) {
          assertThat(cached.compareStale()).isEqualTo(visiting.compareStale());
          for (SeriesKey key : keys) {
            assertThat(cached.standing(key)).isEqualTo(visiting.standing(key));
          }
        }
      }
    }
  }
}
