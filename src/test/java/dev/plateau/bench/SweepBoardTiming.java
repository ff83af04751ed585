package dev.plateau.bench;

import dev.plateau.config.SweepConfig;
import dev.plateau.series.SeriesKey;
import dev.plateau.verdict.SweepBoardDriver;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * The sweep comparison's cost per point in CPU time of the feeding thread (a shared machine's load
 * moves wall times, JMH's {@link SweepBoardBenchmark} among them, far more than CPU times): the
 * cases of {@link SweepBoardBenchmark}, each fed after a warm-up of the same shape.
 *
 * <p>Usage: {@code SweepBoardTiming [CACHED]}: CACHED as in the benchmark; without it, the board as
 * the daemon builds it (so that the same harness times a build from before the cache).
 */
public final class SweepBoardTiming {
  private static final int RUN_LENGTH = 500;

  private SweepBoardTiming() {}

  public static void main(String[] args) {
    @Nullable Integer cached = args.length > 0 ? Integer.valueOf(args[0]) : null;
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    for (String order : new String[] {"inTurn", "runAfterRun"}) {
      for (int runs : new int[] {10, 100, 1000}) {
        Case c = new Case(runs, order, cached);
        c.feed(200_000); // warm-up
        long points = order.equals("inTurn") ? 2_000_000 : Math.max(20_000, 20_000_000 / runs);
        long start = cpu.getCurrentThreadCpuTime();
        c.feed(points);
        long used = cpu.getCurrentThreadCpuTime() - start;
        System.out.printf(
            Locale.ROOT,
            "%-12s %5d runs  %8.0f ns/point (CPU)%n",
            order,
            runs,
            used / (double) points);
      }
    }
  }

  /** One board and the points fed to it, as {@link SweepBoardBenchmark} feeds them. */
  private static final class Case {
    final SweepBoardDriver board;
    final SeriesKey[] keys;
    final double[] floors;
    final SplittableRandom random = new SplittableRandom(2026);
    final boolean inTurn;
    long point;

    Case(int runs, String order, @Nullable Integer cached) {
      board =
          cached == null
              ? new SweepBoardDriver(SweepConfig.DEFAULTS)
              : new SweepBoardDriver(SweepConfig.DEFAULTS, cached);
      inTurn = order.equals("inTurn");
      keys = new SeriesKey[runs];
      floors = new double[runs];
      for (int r = 0; r < runs; r++) {
        keys[r] = new SeriesKey(String.format("run-%05d", r), "val_loss");
        floors[r] = 0.1 + random.nextDouble();
      }
      if (!inTurn) {
        for (int r = 0; r < runs - 1; r++) {
          for (long step = 0; step < RUN_LENGTH; step++) {
            board.observe(keys[r], step, 1.7e9 + step, value(r, step));
          }
        }
      }
    }

    double value(int run, long step) {
      return (floors[run] + 2 / Math.sqrt(1 + step / 10.0)) * (1 + 0.03 * random.nextDouble());
    }

    void feed(long points) {
      for (long i = 0; i < points; i++) {
        int run = inTurn ? (int) (point % keys.length) : keys.length - 1;
        long step = inTurn ? point / keys.length : point % RUN_LENGTH;
        point++;
        board.observe(keys[run], step, 1.7e9 + step, value(run, step));
      }
    }
  }
}
