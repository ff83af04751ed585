package dev.plateau.daemon;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plateau.detect.Status;

/**
 * Brings an experiment's flag file in line with its committed status. Called after each commit
 * and at start-up; {@link #retry} is called every round, so that a flag that could not be written
 * (a full disk, permission denied) is written once it can be.
 */
public interface FlagApplier {
  FlagApplier NONE = (experiment, status, content) -> {};

  void apply(String experiment, Status status, ObjectNode content);

  /** Tries again the flags that could not be written and are due at {@code nowMillis}. */
  default void retry(long nowMillis) {}

  /** Flags waiting to be written again. */
  default int pending() {
    return 0;
  }

  /** Flag writes that failed, since start. */
  default long failures() {
    return 0;
  }
}
