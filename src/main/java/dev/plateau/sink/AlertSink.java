package dev.plateau.sink;

import dev.plateau.detect.Status;
import java.time.Duration;

/**
 * Somewhere alerts go over the network (a webhook, Slack). A sink sends one alert per call and
 * reports the outcome; queueing, retries and pacing are the delivery worker's, which calls a sink
 * from one thread at a time.
 *
 * <p>An alert sink or a flag? An alert is news: one message per committed transition, recorded in
 * the outbox with the round that decided it and delivered at least once, in order, however long the
 * receiver is down. A flag file ({@link FlagSink}, applied by the daemon's {@code FlagApplier}) is
 * a state: it mirrors an experiment's current committed status for a job that polls for it, is
 * rewritten until it holds and brought in line again at start-up, and a missed intermediate status
 * does not matter. A new output that tells someone something happened is an {@code AlertSink}; one
 * that must show what holds now is a {@code FlagApplier}.
 */
public interface AlertSink {

  /**
   * A stable name for the outbox and metrics, e.g. {@code webhook-1} or {@code slack}; never the
   * URL (URLs of incoming webhooks are secrets).
   */
  String name();

  /** Whether alerts with this status go to this sink. */
  boolean accepts(Status status);

  /**
   * The shortest time between two sends, for receivers that limit rates (Slack: about one message
   * per second per webhook URL); zero for none.
   */
  default Duration minInterval() {
    return Duration.ZERO;
  }

  /**
   * How many of this sink's alerts may be in delivery at once, each on a thread of its own; 1 (the
   * default) delivers them one after another, in order. More suits a sink whose deliveries are
   * independent and may be slow, such as a command ({@link HookSink}).
   */
  default int parallelism() {
    return 1;
  }

  /** Tries once to deliver. Never throws for a receiver's failure: that is an outcome. */
  DeliveryOutcome deliver(Alert alert) throws InterruptedException;
}
