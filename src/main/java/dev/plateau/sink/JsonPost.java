package dev.plateau.sink;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One POST of a JSON body, with a deadline on the whole exchange (the JDK's request timeout stops
 * at the response headers; a receiver that stalls in its body would otherwise hold the delivery
 * worker) and only the first bytes of the response kept.
 */
final class JsonPost {
  static final String USER_AGENT = "plateau/" + version();

  /**
   * Bytes read past the excerpt's limit, so that a secret the receiver echoes across the limit is
   * still whole when it is redacted.
   */
  private static final int REDACTION_MARGIN = 4096;

  /** What came back from one POST. */
  sealed interface Result {}

  /** The receiver answered; {@code excerpt} is the start of the body, at most the limit. */
  record Answered(int status, HttpHeaders headers, String excerpt) implements Result {}

  /** No HTTP answer: connection refused, timeout, reset; {@code why} is free of secrets. */
  record NoAnswer(String why) implements Result {}

  /** The request could not be built (a header value with a line break): retrying cannot help. */
  record Unsendable(String why) implements Result {}

  private JsonPost() {}

  static Result send(
      HttpClient client,
      URI uri,
      byte[] body,
      Map<String, String> headers,
      Duration timeout,
      int maxExcerptBytes,
      Redactor redactor)
      throws InterruptedException {
    HttpRequest request;
    try {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(uri)
              .timeout(timeout)
              .header("Content-Type", "application/json")
              .header("User-Agent", USER_AGENT)
              .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      headers.forEach(b::header);
      request = b.build();
    } catch (IllegalArgumentException e) {
      return new Unsendable("cannot build the request: " + redactor.redact(e.getMessage()));
    }
    CompletableFuture<HttpResponse<byte[]>> future =
        client.sendAsync(request, info -> new CappedBody(maxExcerptBytes + REDACTION_MARGIN));
    HttpResponse<byte[]> response;
    try {
      response = future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      return new NoAnswer("no complete answer within " + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      future.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      return new NoAnswer(describe(e.getCause(), timeout, redactor));
    }
    return new Answered(
        response.statusCode(),
        response.headers(),
        excerpt(response.body(), maxExcerptBytes, redactor));
  }

  private static String describe(Throwable t, Duration timeout, Redactor redactor) {
    if (t instanceof HttpConnectTimeoutException) {
      return "could not connect in time";
    }
    if (t instanceof HttpTimeoutException) {
      return "no answer within " + timeout.toMillis() + " ms";
    }
    // The JDK's client wraps the cause its own way (a refused connection is a ConnectException
    // caused by a ClosedChannelException), so look along the whole chain, not at its root only.
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof ConnectException) {
        return "connection refused or unreachable";
      }
      if (c instanceof UnresolvedAddressException) {
        return "the host name does not resolve";
      }
    }
    String message = t.getMessage() == null ? "" : ": " + t.getMessage();
    if (!(t instanceof IOException)) {
      message = " (" + t.getClass().getSimpleName() + message + ")";
      return "the request failed" + redactor.redact(message);
    }
    return redactor.redact(t.getClass().getSimpleName() + message);
  }

  /**
   * The body as one line of at most {@code max} characters, secrets redacted: invalid UTF-8
   * replaced, control characters (line breaks, tabs) as spaces.
   */
  private static String excerpt(byte[] bytes, int max, Redactor redactor) {
    String s = new String(bytes, StandardCharsets.UTF_8);
    s = redactor.redact(s).replaceAll("\\p{Cntrl}+", " ").strip();
    if (s.length() <= max) {
      return s;
    }
    int end = max;
    if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end) + " …";
  }

  private static String version() {
    String v = JsonPost.class.getPackage().getImplementationVersion();
    return v == null ? "development" : v;
  }

  /**
   * Keeps the first {@code max} bytes of a body plus one (to know it was cut), then cancels the
   * rest: an endless or huge error page costs nothing.
   */
  static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final int max;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    CappedBody(int max) {
      this.max = max;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer buffer : buffers) {
        int n = Math.min(buffer.remaining(), max + 1 - kept.size());
        byte[] chunk = new byte[n];
        buffer.get(chunk);
        kept.write(chunk, 0, n);
      }
      if (kept.size() > max) {
        result.complete(kept.toByteArray());
        subscription.cancel();
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(kept.toByteArray());
    }
  }
}
