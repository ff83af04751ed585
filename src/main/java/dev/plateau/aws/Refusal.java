package dev.plateau.aws;

import dev.plateau.objectstore.ObjectStoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * What an SDK failure was: worth another attempt or not, the outcome it is counted as, and the kind
 * of {@link ObjectStoreException} it becomes.
 *
 * @param retry whether another attempt may do better (throttling, 5xx, resets, timeouts)
 * @param outcome the outcome counted ({@code throttled}, {@code server_error}, ...)
 * @param kind what the request ends as when it is not retried (or retries ran out)
 * @param detail the service's error code and status, or the client's reason
 */
record Refusal(boolean retry, String outcome, ObjectStoreException.Kind kind, String detail) {

  static Refusal of(SdkException e) {
    if (e instanceof AwsServiceException service) {
      int status = service.statusCode();
      String code =
          service.awsErrorDetails() == null || service.awsErrorDetails().errorCode() == null
              ? ""
              : service.awsErrorDetails().errorCode();
      String detail = (code.isEmpty() ? "HTTP " : code + ", HTTP ") + status;
      if (status == 503 || status == 429 || code.equals("SlowDown") || code.equals("Throttling")) {
        return new Refusal(true, "throttled", ObjectStoreException.Kind.UNREACHABLE, detail);
      }
      if (status >= 500) {
        return new Refusal(true, "server_error", ObjectStoreException.Kind.UNREACHABLE, detail);
      }
      if (code.equals("NoSuchBucket")) {
        return new Refusal(false, "not_found", ObjectStoreException.Kind.NO_SUCH_BUCKET, detail);
      }
      if (code.equals("NoSuchKey") || status == 404) {
        return new Refusal(false, "not_found", ObjectStoreException.Kind.NO_SUCH_KEY, detail);
      }
      if (code.equals("InvalidAccessKeyId")
          || code.equals("SignatureDoesNotMatch")
          || code.equals("ExpiredToken")
          || code.equals("InvalidToken")
          || code.equals("TokenRefreshRequired")
          || status == 401) {
        return new Refusal(false, "denied", ObjectStoreException.Kind.CREDENTIALS, detail);
      }
      if (status == 403) {
        return new Refusal(false, "denied", ObjectStoreException.Kind.ACCESS_DENIED, detail);
      }
      return new Refusal(false, "other", ObjectStoreException.Kind.OTHER, detail);
    }
    String message = String.valueOf(e.getMessage());
    if (e instanceof SdkClientException && message.contains("credentials")) {
      return new Refusal(
          false, "other", ObjectStoreException.Kind.CREDENTIALS, "no credentials found");
    }
    if (ioCause(e)) {
      return new Refusal(true, "io_error", ObjectStoreException.Kind.UNREACHABLE, message);
    }
    return new Refusal(
        e.retryable(),
        "other",
        e.retryable() ? ObjectStoreException.Kind.UNREACHABLE : ObjectStoreException.Kind.OTHER,
        message);
  }

  private static boolean ioCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException || t instanceof UncheckedIOException) {
        return true;
      }
    }
    return false;
  }
}
