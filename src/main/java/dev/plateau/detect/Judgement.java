package dev.plateau.detect;

import java.util.Map;

/**
 * What one detector says after a point: a status, the checkpoint to keep, the evidence and a
 * sentence for people.
 *
 * @param status the detector's status
 * @param bestStep the step of the checkpoint to keep (-1 when no point counted yet)
 * @param bestValue its value (NaN when none)
 * @param evidence statistic names and values, in a stable order, for JSON and logs (kept as an
 *     immutable copy; the evidence of another judgement or verdict is shared, not copied)
 * @param reason one line a person can read
 */
public record Judgement(
    Status status, long bestStep, double bestValue, Map<String, Object> evidence, String reason) {

  public Judgement {
    evidence = Evidence.of(evidence);
  }

  /** A TRAINING judgement with no best yet. */
  public static Judgement waiting(String reason) {
    return new Judgement(Status.TRAINING, -1, Double.NaN, Map.of(), reason);
  }

  public boolean hasBest() {
    return bestStep >= 0 || !Double.isNaN(bestValue);
  }
}
