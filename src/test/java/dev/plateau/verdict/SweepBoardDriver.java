package dev.plateau.verdict;

import dev.plateau.config.SweepConfig;
import dev.plateau.detect.Mode;
import dev.plateau.series.SeriesKey;

/**
 * A {@link SweepBoard} for code outside its package (the benchmarks in {@code dev.plateau.bench}):
 * points in, whether a run's lagging changed out.
 */
public final class SweepBoardDriver {
  private final SweepBoard board;

  /** A board with the default cached positions, as the daemon and {@code check} build it. */
  public SweepBoardDriver(SweepConfig config) {
    this.board = new SweepBoard(config);
  }

  /**
   * A board caching {@code cachedPositions} positions per group (0: every comparison visits every
   * sibling).
   */
  public SweepBoardDriver(SweepConfig config, int cachedPositions) {
    this.board = new SweepBoard(config, cachedPositions);
  }

  /** Adds a point of a minimised series; true when whether it lags changed. */
  public boolean observe(SeriesKey key, long step, double wallTime, double value) {
    return board.observe(key, Mode.MIN, step, wallTime, value);
  }

  /** Compares again the runs read before their siblings; how many changed. */
  public int compareStale() {
    return board.compareStale().size();
  }
}
