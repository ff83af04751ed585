package dev.plateau.verdict;

import dev.plateau.detect.Status;
import dev.plateau.detect.Verdict;
import java.util.List;

/**
 * The combined status of an experiment (a run, or the parent of {@code train}/{@code validation}
 * runs) over its watched series.
 *
 * @param experiment the experiment's name
 * @param status the combined status
 * @param deciding the series verdicts that decided it (those considered)
 * @param series every watched series of the experiment
 * @param reason one line a person can read
 */
public record ExperimentVerdict(
    String experiment, Status status, List<Verdict> deciding, List<Verdict> series, String reason) {
  public ExperimentVerdict {
    deciding = List.copyOf(deciding);
    series = List.copyOf(series);
  }
}
