package dev.plateau.state;

import dev.plateau.detect.Status;
import dev.plateau.series.SeriesKey;
import dev.plateau.sink.AlertMemory;
import dev.plateau.tail.FileCursor;
import java.util.List;
import java.util.Map;

/**
 * Everything one round of reading changed, committed in one transaction: the files' new positions,
 * the series' new detector states, the experiments' current statuses, and the verdict transitions
 * with their deliveries. A crash before the commit loses the whole round (it is read again from the
 * old offsets and decided again the same way); a crash after it loses nothing.
 *
 * @param files cursors of files read in this round
 * @param series saved judge states by series
 * @param experiments current status and verdict JSON of experiments whose status changed
 * @param verdicts transitions to record
 * @param sinksFor names of the sinks each recorded verdict goes to, by verdict id
 * @param resetRuns runs to read again from their files' start: their files' positions and their
 *     series' states are deleted in the same transaction
 * @param summaries saved {@link SeriesSummary} forms ({@link JudgeStateCodec#summary}) by series,
 *     written with the state of the same series (a state without one is saved without a summary:
 *     its experiment is then read into memory at a restart)
 */
public record StateBatch(
    List<FileCursor> files,
    Map<SeriesKey, byte[]> series,
    Map<String, ExperimentStatus> experiments,
    List<RecordedVerdict> verdicts,
    Map<String, List<String>> sinksFor,
    List<String> resetRuns,
    Map<SeriesKey, byte[]> summaries) {

  /** A batch without series summaries. */
  public StateBatch(
      List<FileCursor> files,
      Map<SeriesKey, byte[]> series,
      Map<String, ExperimentStatus> experiments,
      List<RecordedVerdict> verdicts,
      Map<String, List<String>> sinksFor,
      List<String> resetRuns) {
    this(files, series, experiments, verdicts, sinksFor, resetRuns, Map.of());
  }

  /** A batch without runs to reset. */
  public StateBatch(
      List<FileCursor> files,
      Map<SeriesKey, byte[]> series,
      Map<String, ExperimentStatus> experiments,
      List<RecordedVerdict> verdicts,
      Map<String, List<String>> sinksFor) {
    this(files, series, experiments, verdicts, sinksFor, List.of());
  }

  /**
   * An experiment's current status, the JSON its flag file holds, and what its transitions so far
   * leave behind for the next one.
   */
  public record ExperimentStatus(Status status, String verdictJson, AlertMemory alerts) {
    public ExperimentStatus(Status status, String verdictJson) {
      this(status, verdictJson, AlertMemory.NONE);
    }

    /** How many times the experiment changed status. */
    public long transitions() {
      return alerts.transitions();
    }
  }

  public boolean isEmpty() {
    return files.isEmpty()
        && series.isEmpty()
        && experiments.isEmpty()
        && verdicts.isEmpty()
        && resetRuns.isEmpty();
  }
}
