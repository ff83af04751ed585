package dev.plateau.detect;

import java.util.Map;

/**
 * The state of one watched series: what Plateau says about it, and the checkpoint to keep.
 *
 * @param run the run's name
 * @param tag the tag
 * @param mode the metric's direction
 * @param status the status
 * @param detector the detector whose judgement this is
 * @param decidedAtStep the step at which the series entered this status (null while TRAINING from
 *     the start)
 * @param bestStep the checkpoint to keep (null when no finite point yet)
 * @param bestValue its value (NaN when none)
 * @param lastStep the last step seen
 * @param points the number of points seen
 * @param evidence the detector's statistics, thresholds and window, in the detector's order (kept
 *     as an immutable copy; a judgement's evidence is shared, not copied)
 * @param reason one line a person can read
 */
public record Verdict(
    String run,
    String tag,
    Mode mode,
    Status status,
    String detector,
    Long decidedAtStep,
    Long bestStep,
    double bestValue,
    long lastStep,
    long points,
    Map<String, Object> evidence,
    String reason) {

  public Verdict {
    evidence = Evidence.of(evidence);
  }
}
