package dev.plateau.verdict;

import dev.plateau.detect.Verdict;

/** Receives verdict transitions from a {@link LogdirJudge}, on the thread that feeds it. */
public interface VerdictListener {
  /** A series entered a new status ({@code previous} is what it was). */
  void seriesTransition(Verdict previous, Verdict current);

  /** An experiment's combined status changed. */
  default void runTransition(RunVerdict previous, RunVerdict current) {}
}
