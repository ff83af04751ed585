package dev.plateau.bench;

import dev.plateau.config.SweepConfig;
import dev.plateau.series.SeriesKey;
import dev.plateau.verdict.SweepBoardDriver;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The sweep comparison's cost per point (issue 24): nanoseconds of one point fed to the sweep
 * board, which adds it to its run's trace and compares the run with its {@code runs - 1} siblings
 * of one flat sweep, as {@code check} and the daemon do for every point of a watched series.
 *
 * <p>{@code inTurn}: the runs write each step in turn (parallel jobs; {@code check}'s wall-time
 * order on a logdir whose runs ran together), the live load of issue 24. {@code runAfterRun}: a
 * sweep whose runs ran one after another: every sibling has finished and the last run is compared
 * at each of its steps (run again from its start when it ends). {@code cached} is the positions a
 * group caches (0: every comparison visits every sibling, the straightforward computation; 3: the
 * default).
 *
 * <p>Run: {@code ./mvnw -B -o test-compile} then {@code java -cp
 * "target/test-classes:target/classes:$(cat cp.txt)" org.openjdk.jmh.Main SweepBoardBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class SweepBoardBenchmark {
  /** Steps every sibling has written before the run measured in {@code runAfterRun}. */
  private static final int RUN_LENGTH = 500;

  /** Runs in the sweep. */
  @Param({"10", "100", "1000"})
  public int runs;

  /** The order points arrive in: {@code inTurn} or {@code runAfterRun}. */
  @Param({"inTurn", "runAfterRun"})
  public String order;

  /** Positions cached per group (0: visit every sibling). */
  @Param({"3", "0"})
  public int cached;

  private SweepBoardDriver board;
  private SeriesKey[] keys;
  private double[] floors;
  private SplittableRandom random;
  private long point;

  @Setup(Level.Trial)
  public void start() {
    board =
        cached == 3
            ? new SweepBoardDriver(SweepConfig.DEFAULTS)
            : new SweepBoardDriver(SweepConfig.DEFAULTS, cached);
    keys = new SeriesKey[runs];
    floors = new double[runs];
    random = new SplittableRandom(2026);
    for (int r = 0; r < runs; r++) {
      keys[r] = new SeriesKey(String.format("run-%05d", r), "val_loss");
      floors[r] = 0.1 + random.nextDouble();
    }
    if (order.equals("runAfterRun")) {
      for (int r = 0; r < runs - 1; r++) {
        for (long step = 0; step < RUN_LENGTH; step++) {
          board.observe(keys[r], step, 1.7e9 + step, value(r, step));
        }
      }
    } else if (!order.equals("inTurn")) {
      throw new IllegalArgumentException("no order " + order);
    }
    point = 0;
  }

  private double value(int run, long step) {
    return (floors[run] + 2 / Math.sqrt(1 + step / 10.0)) * (1 + 0.03 * random.nextDouble());
  }

  /** One point of the next run (in turn), or of the last run (run after run). */
  @Benchmark
  public boolean observe() {
    int run;
    long step;
    if (order.equals("inTurn")) {
      run = (int) (point % runs);
      step = point / runs;
    } else {
      run = runs - 1;
      step = point % RUN_LENGTH;
    }
    point++;
    return board.observe(keys[run], step, 1.7e9 + step, value(run, step));
  }
}
