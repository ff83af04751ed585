package dev.plateau.detect;

import java.util.ArrayList;
import java.util.List;

/** Test helper: feeds values to a detector at steps 0, 1, 2 ... one minute apart. */
final class Feeding {
  private Feeding() {}

  static final double T0 = 1_700_000_000.0;

  static List<Judgement> feed(Detector d, double... values) {
    List<Judgement> out = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      out.add(d.observe(i, T0 + 60.0 * i, values[i]));
    }
    return out;
  }

  /** The index of the first judgement with {@code status}, or -1. */
  static int firstIndexOf(List<Judgement> judgements, Status status) {
    for (int i = 0; i < judgements.size(); i++) {
      if (judgements.get(i).status() == status) {
        return i;
      }
    }
    return -1;
  }

  static PatienceDetector patience(Mode mode, int points) {
    return new PatienceDetector(
        mode,
        new PatienceDetector.Params(
            Span.points(points), MinDelta.ZERO, Long.MIN_VALUE, Double.NaN));
  }
}
