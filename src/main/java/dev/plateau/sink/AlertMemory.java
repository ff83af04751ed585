package dev.plateau.sink;

import dev.plateau.detect.Status;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What an experiment's past transitions leave behind for its next one, kept with its status in the
 * state database so that a restart changes nothing of it.
 *
 * @param transitions how many times the experiment changed status
 * @param settled the status last recorded for it other than {@code training} ({@code training} when
 *     none): what a message calls its {@code previous_status}, so that a flap (converged, training
 *     for a while, converged again) does not read as a first convergence
 * @param lastSent the last message that went out for it, or null when none did
 */
public record AlertMemory(long transitions, Status settled, @Nullable Sent lastSent) {

  /** An experiment that never changed status. */
  public static final AlertMemory NONE = new AlertMemory(0, Status.TRAINING, null);

  /**
   * A message that went out: what it said, and when.
   *
   * @param status the status it announced
   * @param time when it was queued for the sinks (its payload's {@code time})
   * @param bestStep the best step it named, or null
   * @param bestValue the best value it named (NaN when none)
   */
  public record Sent(Status status, Instant time, @Nullable Long bestStep, double bestValue) {}

  public AlertMemory {
    if (transitions < 0) {
      throw new IllegalArgumentException("transitions must not be negative: " + transitions);
    }
  }

  /**
   * The memory after a transition to {@code status}; {@code sent} is its message when one goes out,
   * null when none does.
   */
  public AlertMemory after(Status status, @Nullable Sent sent) {
    return new AlertMemory(
        transitions + 1,
        status == Status.TRAINING ? settled : status,
        sent == null ? lastSent : sent);
  }
}
