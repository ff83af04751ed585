package dev.plateau.state;

import dev.plateau.detect.Detector;
import dev.plateau.detect.SeriesJudge;
import dev.plateau.detect.Verdict;
import java.util.List;

/**
 * What a series shows while its experiment is out of memory, saved next to its detector state: its
 * verdict, when time alone could next change it, and the detectors that judged it. At a restart, an
 * experiment whose series all have a summary that fits the configuration starts parked: its verdict
 * is published from the summaries and its detector states are read only when it has a new point or
 * its time comes, so a restart's cost does not grow with history.
 *
 * @param verdict the series' verdict when it was saved
 * @param wakeAt the earliest time, in seconds since the epoch, at which time alone could change the
 *     verdict ({@link SeriesJudge#nextChangeAt}); positive infinity when it cannot
 * @param detectors the names of the detectors of the judge that was saved, in order
 */
public record SeriesSummary(Verdict verdict, double wakeAt, List<String> detectors) {
  public SeriesSummary {
    detectors = List.copyOf(detectors);
  }

  /** The summary of {@code judge} as it stands. */
  public static SeriesSummary of(SeriesJudge judge) {
    return new SeriesSummary(
        judge.verdict(),
        judge.nextChangeAt(),
        judge.detectors().stream().map(Detector::name).toList());
  }

  /**
   * Whether the saved state behind this summary was written by a judge with {@code judge}'s
   * detectors; when not (the configuration changed), the run is to be read again, not shown as it
   * was.
   */
  public boolean fits(SeriesJudge judge) {
    List<Detector> configured = judge.detectors();
    if (configured.size() != detectors.size()) {
      return false;
    }
    for (int i = 0; i < detectors.size(); i++) {
      if (!configured.get(i).name().equals(detectors.get(i))) {
        return false;
      }
    }
    return true;
  }
}
