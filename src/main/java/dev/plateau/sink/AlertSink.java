package dev.plateau.sink;

/**
 * Somewhere alerts go over the network (a webhook, Slack). A sink sends one alert per call and
 * reports the outcome; queueing, retries and pacing are the delivery worker's, which calls a sink
 * from one thread at a time.
 */
public interface AlertSink {

  /**
   * A stable name for the outbox and metrics, e.g. {@code webhook-1} or {@code slack}; never the
   * URL (URLs of incoming webhooks are secrets).
   */
  String name();

  /** Whether alerts with this status (e.g. "converged") go to this sink. */
  boolean accepts(String status);

  /**
   * The shortest time between two sends, for receivers that limit rates (Slack: about one message
   * per second per webhook URL); zero for none.
   */
  default java.time.Duration minInterval() {
    return java.time.Duration.ZERO;
  }

  /** Tries once to deliver. Never throws for a receiver's failure: that is an outcome. */
  DeliveryOutcome deliver(Alert alert) throws InterruptedException;
}
