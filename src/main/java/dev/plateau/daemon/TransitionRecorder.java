package dev.plateau.daemon;

import dev.plateau.detect.Status;
import dev.plateau.detect.Verdict;
import dev.plateau.sink.Alert;
import dev.plateau.sink.AlertSink;
import dev.plateau.verdict.ExperimentVerdict;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an experiment's net change between commits into what the next commit records: a verdict (an
 * {@link Alert}), the sinks it goes to, the experiment's status and its flag. A change undone
 * before it is committed (a run read again passes through its old status) records and sends
 * nothing, and a second change replaces the first, so what is recorded is the net change from the
 * committed status. Holds each experiment's status (committed or pending) and its transition count,
 * which numbers its verdicts.
 */
final class TransitionRecorder {
  // Logs as the watcher, whose part this is: its lines keep the logger name people filter on.
  private static final Logger log = LoggerFactory.getLogger(Watcher.class);

  private final String logdir;
  private final AlertFactory alerts;
  private final List<AlertSink> sinks;
  private final Clock clock;
  private final PendingRound pending;
  private final NewsFilter news;
  private final Map<String, Status> statuses = new HashMap<>();
  private final Map<String, Long> transitionCounts = new HashMap<>();

  TransitionRecorder(
      String logdir,
      AlertFactory alerts,
      List<AlertSink> sinks,
      Clock clock,
      PendingRound pending) {
    this(logdir, alerts, sinks, clock, pending, NewsFilter.everything());
  }

  /** With {@code news} saying which changes are sent ({@code alerts.ignore_older}). */
  TransitionRecorder(
      String logdir,
      AlertFactory alerts,
      List<AlertSink> sinks,
      Clock clock,
      PendingRound pending,
      NewsFilter news) {
    this.logdir = logdir;
    this.alerts = alerts;
    this.sinks = List.copyOf(sinks);
    this.clock = clock;
    this.pending = pending;
    this.news = news;
  }

  /** An experiment's committed status and transition count, as the store had them at a restart. */
  void restored(String experiment, Status status, long transitions) {
    statuses.put(experiment, status);
    transitionCounts.put(experiment, transitions);
  }

  /** The experiment's combined verdict changed status: records the net change, if any. */
  void record(ExperimentVerdict current) {
    String experiment = current.experiment();
    Status before = statuses.getOrDefault(experiment, Status.TRAINING);
    if (before == current.status() || current.series().isEmpty()) {
      return;
    }
    PendingRound.Transition open = pending.withdraw(experiment);
    if (open != null) {
      // Changed already since the last commit: the change recorded is from the committed status.
      transitionCounts.put(experiment, open.committedSequence());
      before = open.previous();
      if (before == current.status()) {
        statuses.put(experiment, before);
        pending.unchanged(experiment);
        log.debug(
            "{} {}: back to {} before the change was committed; nothing recorded",
            logdir,
            experiment,
            before.jsonName());
        return;
      }
    }
    statuses.put(experiment, current.status());
    long sequenceBefore = transitionCounts.getOrDefault(experiment, 0L);
    long sequence = transitionCounts.merge(experiment, 1L, Long::sum);
    Alert alert = alerts.alert(current, before, sequence, clock.instant());
    Verdict deciding = AlertFactory.deciding(current);
    List<String> to = new ArrayList<>();
    for (AlertSink sink : sinks) {
      if (sink.accepts(current.status())) {
        to.add(sink.name());
      }
    }
    Duration age = news.age(current, clock.instant());
    if (!to.isEmpty() && !news.isNews(age)) {
      log.atInfo()
          .addKeyValue("logdir", logdir)
          .addKeyValue("experiment", experiment)
          .addKeyValue("previous_status", before.jsonName())
          .addKeyValue("status", current.status().jsonName())
          .log(
              "{} {}: {} -> {} recorded and flagged, not sent: its newest point is {} s old"
                  + " (alerts.ignore_older: {} s)",
              logdir,
              experiment,
              before.jsonName(),
              current.status().jsonName(),
              age.toSeconds(),
              news.ignoreOlder().toSeconds());
      to = List.of();
    }
    pending.transition(
        experiment,
        new PendingRound.Transition(alert, before, deciding.decidedAtStep(), to, sequenceBefore),
        new PendingRound.ExperimentState(current.status(), alert.payload(), sequence));
  }

  /**
   * Every experiment's status to be written again with the next commit (the store was lost), with
   * its transition count, so nothing already sent is sent again; {@code verdicts} are the
   * experiments' last published verdicts, for their flags' content.
   */
  void writeAllAgain(List<ExperimentVerdict> verdicts) {
    Map<String, ExperimentVerdict> byName = new HashMap<>();
    for (ExperimentVerdict v : verdicts) {
      byName.put(v.experiment(), v);
    }
    statuses.forEach(
        (experiment, status) ->
            pending.statusAgain(
                experiment,
                new PendingRound.ExperimentState(
                    status,
                    AlertFactory.statusPayload(experiment, status, byName.get(experiment)),
                    transitionCounts.getOrDefault(experiment, 0L))));
  }
}
