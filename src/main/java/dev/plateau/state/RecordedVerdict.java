package dev.plateau.state;

import dev.plateau.detect.Status;

/**
 * A verdict transition of an experiment, to record once and deliver once.
 *
 * @param id stable id derived from what the verdict says (so recomputing it gives the same id)
 * @param experiment the experiment
 * @param status the new status
 * @param previousStatus the status before, or null when none is known
 * @param decidedAtStep the step at which it was decided, or null
 * @param payload the alert JSON
 */
public record RecordedVerdict(
    String id,
    String experiment,
    Status status,
    Status previousStatus,
    Long decidedAtStep,
    String payload) {}
