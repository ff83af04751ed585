package dev.plateau.daemon;

import dev.plateau.detect.Status;
import dev.plateau.detect.Verdict;
import dev.plateau.sink.Alert;
import dev.plateau.sink.AlertMemory;
import dev.plateau.sink.AlertPayload;
import dev.plateau.sink.AlertSink;
import dev.plateau.verdict.ExperimentVerdict;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
 * committed status. Holds each experiment's status (committed or pending) and its {@link
 * AlertMemory}: how many times it changed status, the status it last settled on and the last
 * message that went out for it.
 *
 * <p>A recorded change goes to the sinks that want its status unless it is history ({@link
 * NewsFilter}, {@code alerts.ignore_older}) or a repeat of the last message ({@link
 * RepeatedAlerts}, {@code alerts.cooldown}); either way it is recorded and flagged.
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
  private final RepeatedAlerts repeats;
  private final Map<String, Status> statuses = new HashMap<>();
  private final Map<String, AlertMemory> memories = new HashMap<>();

  TransitionRecorder(
      String logdir,
      AlertFactory alerts,
      List<AlertSink> sinks,
      Clock clock,
      PendingRound pending) {
    this(logdir, alerts, sinks, clock, pending, NewsFilter.everything(), RepeatedAlerts.none());
  }

  /**
   * With {@code news} saying which changes are news ({@code alerts.ignore_older}) and {@code
   * repeats} which repeat the last message ({@code alerts.cooldown}).
   */
  TransitionRecorder(
      String logdir,
      AlertFactory alerts,
      List<AlertSink> sinks,
      Clock clock,
      PendingRound pending,
      NewsFilter news,
      RepeatedAlerts repeats) {
    this.logdir = logdir;
    this.alerts = alerts;
    this.sinks = List.copyOf(sinks);
    this.clock = clock;
    this.pending = pending;
    this.news = news;
    this.repeats = repeats;
  }

  /** An experiment's committed status and alert memory, as the store had them at a restart. */
  void restored(String experiment, Status status, AlertMemory memory) {
    statuses.put(experiment, status);
    memories.put(experiment, memory);
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
      memories.put(experiment, open.committed());
      before = open.before();
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
    AlertMemory memory = memories.getOrDefault(experiment, AlertMemory.NONE);
    Instant now = clock.instant();
    Verdict deciding = AlertFactory.deciding(current);
    List<String> to = sendTo(experiment, before, current, deciding, memory, now);
    AlertMemory.Sent lastSent = memory.lastSent();
    Alert alert =
        alerts.alert(
            current,
            new AlertPayload.Change(
                memory.settled(),
                memory.transitions() + 1,
                lastSent == null ? null : lastSent.time()),
            now);
    AlertMemory next =
        memory.after(
            current.status(),
            to.isEmpty()
                ? null
                : new AlertMemory.Sent(
                    current.status(), now, deciding.bestStep(), deciding.bestValue()));
    memories.put(experiment, next);
    pending.transition(
        experiment,
        new PendingRound.Transition(alert, before, deciding.decidedAtStep(), to, memory),
        new PendingRound.ExperimentState(current.status(), alert.payload(), next));
  }

  /** The sinks {@code current}'s change goes to: none when it is history or a repeat. */
  private List<String> sendTo(
      String experiment,
      Status before,
      ExperimentVerdict current,
      Verdict deciding,
      AlertMemory memory,
      Instant now) {
    List<String> to = new ArrayList<>();
    for (AlertSink sink : sinks) {
      if (sink.accepts(current.status())) {
        to.add(sink.name());
      }
    }
    if (to.isEmpty()) {
      return to;
    }
    Duration age = news.age(current, now);
    if (!news.isNews(age)) {
      logNotSent(
          experiment,
          before,
          current.status(),
          ": its newest point is {} s old (alerts.ignore_older: {} s)",
          age.toSeconds(),
          news.ignoreOlder().toSeconds());
      return List.of();
    }
    AlertMemory.Sent last = memory.lastSent();
    if (repeats.isRepeat(last, current.status(), deciding, now)) {
      logNotSent(
          experiment,
          before,
          current.status(),
          " again: {} went out {} s ago (alerts.cooldown: {} s) and the best has not improved"
              + " beyond the noise",
          last.status().jsonName(),
          Duration.between(last.time(), now).toSeconds(),
          repeats.cooldown().toSeconds());
      return List.of();
    }
    return to;
  }

  /**
   * Logs that {@code experiment}'s change from {@code before} to {@code status} was recorded and
   * flagged but goes to no sink; {@code why} (a message tail with placeholders) and {@code
   * whyArguments} say why.
   */
  private void logNotSent(
      String experiment, Status before, Status status, String why, Object... whyArguments) {
    Object[] arguments = new Object[4 + whyArguments.length];
    arguments[0] = logdir;
    arguments[1] = experiment;
    arguments[2] = before.jsonName();
    arguments[3] = status.jsonName();
    System.arraycopy(whyArguments, 0, arguments, 4, whyArguments.length);
    log.atInfo()
        .addKeyValue("logdir", logdir)
        .addKeyValue("experiment", experiment)
        .addKeyValue("previous_status", before.jsonName())
        .addKeyValue("status", status.jsonName())
        .log("{} {}: {} -> {} recorded and flagged, not sent" + why, arguments);
  }

  /**
   * Every experiment's status to be written again with the next commit (the store was lost), with
   * its alert memory, so nothing already sent is sent again; {@code verdicts} are the experiments'
   * last published verdicts, for their flags' content.
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
                    memories.getOrDefault(experiment, AlertMemory.NONE))));
  }
}
