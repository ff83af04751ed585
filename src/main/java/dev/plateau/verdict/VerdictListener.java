package dev.plateau.verdict;

import dev.plateau.detect.Verdict;
import org.jspecify.annotations.Nullable;

/** Receives verdict transitions from a {@link LogdirJudge}, on the thread that feeds it. */
public interface VerdictListener {
  /** A series entered a new status ({@code previous} is what it was). */
  void seriesTransition(Verdict previous, Verdict current);

  /** An experiment's combined status changed ({@code previous} is null at its first verdict). */
  default void experimentTransition(
      @Nullable ExperimentVerdict previous, ExperimentVerdict current) {}

  /** A series could not be watched (a configuration that only it meets is incomplete). */
  default void problem(String message) {}

  /**
   * A run rewound (a training restart) into points read before Plateau itself restarted, which only
   * its files still hold: the run must be read again from its files' start.
   */
  default void rereadNeeded(String run) {}
}
