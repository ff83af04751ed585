package dev.plateau.sink;

import java.time.Duration;
import java.time.Instant;

/**
 * How an HTTP answer maps to a {@link DeliveryOutcome}, the same for every sink: 2xx delivered;
 * 408, 429 and 5xx try again (after Retry-After when given); 3xx rejected (redirects are not
 * followed: the Standard Webhooks spec asks senders to have the URL updated instead); any other
 * status rejected, quoting the start of the body.
 */
final class HttpOutcomes {
  private HttpOutcomes() {}

  static DeliveryOutcome classify(
      JsonPost.Result result, SinkSettings settings, Instant now, String hint) {
    String label = settings.label();
    if (result instanceof JsonPost.NoAnswer none) {
      return new DeliveryOutcome.RetryLater(null, label + ": " + none.why());
    }
    if (result instanceof JsonPost.Unsendable unsendable) {
      return new DeliveryOutcome.Rejected(label + ": " + unsendable.why());
    }
    JsonPost.Answered answer = (JsonPost.Answered) result;
    int status = answer.status();
    if (status >= 200 && status < 300) {
      return new DeliveryOutcome.Delivered(status);
    }
    String said = answer.excerpt().isEmpty() ? "" : ": " + answer.excerpt();
    String more = hint == null ? "" : " (" + hint + ")";
    if (isTransient(status)) {
      Duration retryAfter =
          RetryAfter.parse(
              answer.headers().firstValue("Retry-After").orElse(null),
              now,
              settings.maxRetryAfter());
      String when = retryAfter == null ? "" : ", retry after " + retryAfter.toSeconds() + " s";
      return new DeliveryOutcome.RetryLater(
          retryAfter, label + ": HTTP " + status + when + said + more);
    }
    if (status >= 300 && status < 400) {
      return new DeliveryOutcome.Rejected(
          label
              + ": HTTP "
              + status
              + ", a redirect; redirects are not followed, configure the final URL");
    }
    return new DeliveryOutcome.Rejected(label + ": HTTP " + status + said + more);
  }

  static boolean isTransient(int status) {
    return status == 408 || status == 429 || status >= 500;
  }
}
