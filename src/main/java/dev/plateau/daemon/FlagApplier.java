package dev.plateau.daemon;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plateau.detect.Status;
import java.nio.file.Path;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Brings an experiment's flag file in line with its committed status. Called after each commit and
 * at start-up; {@link #retry} is called every round, so that a flag that could not be written (a
 * full disk, permission denied) is written once it can be.
 *
 * <p>A flag or an alert sink? A flag is a state, not a message: it must show what holds now for a
 * job that polls for it, so it is derived from the committed status, rewritten until it holds,
 * brought in line again at every start, and a status it never showed (replaced before it was
 * written) is not missed. An {@link dev.plateau.sink.AlertSink} gets news: one message per recorded
 * transition, from the outbox, at least once and in order, retried and paced by a {@link
 * DeliveryWorker}. A new output that must mirror the current status (a file, a label, a row someone
 * polls) is a {@code FlagApplier}; one that tells someone a status changed is an {@code AlertSink}.
 */
public interface FlagApplier {
  FlagApplier NONE = (experiment, status, content) -> {};

  void apply(String experiment, Status status, ObjectNode content);

  /** Tries again the flags that could not be written and are due at {@code nowMillis}. */
  default void retry(long nowMillis) {}

  /**
   * Tells where the logdir's directories are, by their name relative to it (null when unknown), so
   * a name with no exact string (not valid in the platform's charset) still gets its flag.
   */
  default void knowDirectories(Function<String, Path> directories) {}

  /**
   * The path of the experiment's flag file for {@code status} as the status page shows it, or null
   * when there is none (no flags, or a status without a flag).
   */
  default @Nullable String flagPath(String experiment, Status status) {
    return null;
  }

  /** Flags waiting to be written again. */
  default int pending() {
    return 0;
  }

  /** Flag writes that failed, since start. */
  default long failures() {
    return 0;
  }
}
