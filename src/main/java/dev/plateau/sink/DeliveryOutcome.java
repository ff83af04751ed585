package dev.plateau.sink;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** What happened when a sink tried to deliver an alert once. */
public sealed interface DeliveryOutcome {

  /** The receiver accepted it; it is done. */
  record Delivered(int httpStatus) implements DeliveryOutcome {}

  /**
   * A passing failure (network error, timeout, 5xx, 408, 429): try again later.
   *
   * @param notBefore the receiver's own wish (Retry-After), or null to use the backoff policy
   * @param reason a sentence for the log, without secrets
   */
  record RetryLater(@Nullable Duration notBefore, String reason) implements DeliveryOutcome {}

  /**
   * A permanent failure (4xx other than 408/429, Slack's 403/404/410): give up on this alert for
   * this sink, and log why.
   *
   * @param reason a sentence for the log (with the response body), without secrets
   */
  record Rejected(String reason) implements DeliveryOutcome {}
}
