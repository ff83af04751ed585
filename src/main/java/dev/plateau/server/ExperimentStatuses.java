package dev.plateau.server;

import dev.plateau.detect.Status;
import dev.plateau.verdict.ExperimentVerdict;
import java.util.ArrayList;
import java.util.List;

/**
 * Which experiments {@code plateau_experiment_status} exports when there are more than the limit:
 * those most in need of attention first ({@link #attentionRank}: diverged, stalled, overfitting,
 * not learning, training, then the finished ones), and within a status in logdir order, then name
 * order, so the same experiments are exported from one scrape to the next while their statuses
 * hold.
 *
 * @param exported the experiments exported, in that order
 * @param omitted how many were left out by the limit
 */
record ExperimentStatuses(List<Exported> exported, int omitted) {
  /**
   * An experiment exported.
   *
   * @param logdir the logdir as the daemon was given it
   */
  record Exported(String logdir, String experiment, Status status) {}

  /**
   * One logdir's experiments.
   *
   * @param experiments its published verdicts, in name order
   */
  record Logdir(String logdir, List<ExperimentVerdict> experiments) {}

  ExperimentStatuses {
    exported = List.copyOf(exported);
  }

  /** At most {@code limit} experiments of {@code logdirs}, the most in need of attention first. */
  static ExperimentStatuses select(List<Logdir> logdirs, int limit) {
    int total = 0;
    for (Logdir logdir : logdirs) {
      total += logdir.experiments().size();
    }
    List<Exported> exported = new ArrayList<>(Math.min(total, limit));
    // One pass per rank keeps each logdir's name order without sorting every experiment.
    for (int rank = 0; rank < Status.values().length && exported.size() < limit; rank++) {
      for (Logdir logdir : logdirs) {
        for (ExperimentVerdict e : logdir.experiments()) {
          if (attentionRank(e.status()) != rank) {
            continue;
          }
          if (exported.size() == limit) {
            break;
          }
          exported.add(new Exported(logdir.logdir(), e.experiment(), e.status()));
        }
      }
    }
    return new ExperimentStatuses(exported, total - exported.size());
  }

  /**
   * 0 for the status that most needs someone to look, up to 7: a job that blew up, then one that
   * may have died, then one past its best, one not learning, one lagging behind its sweep, one
   * still training, and last the finished ones.
   */
  static int attentionRank(Status status) {
    return switch (status) {
      case DIVERGED -> 0;
      case STALLED -> 1;
      case OVERFITTING -> 2;
      case NOT_LEARNING -> 3;
      case LAGGING -> 4;
      case TRAINING -> 5;
      case TARGET_REACHED -> 6;
      case CONVERGED -> 7;
    };
  }
}
