package dev.plateau.sink;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * What every HTTP sink needs: its name, its URL (a secret: the path of an incoming webhook is its
 * credential), which statuses it takes, and its limits.
 *
 * @param name the sink's name in logs, the outbox and metrics ("webhook-1", "slack")
 * @param url where to POST; http or https
 * @param filter which statuses go to this sink
 * @param connectTimeout how long to wait for a connection (default 5 s)
 * @param requestTimeout how long to wait for the whole response once connected (default 15 s: the
 *     Standard Webhooks spec recommends giving receivers 15 to 30 s)
 * @param maxRetryAfter the cap on a receiver's Retry-After (default 1 h), so that a wrong header
 *     cannot park an alert for days
 * @param maxExcerptBytes how much of a response body to quote in a reason (default 1 KiB)
 */
public record SinkSettings(
    String name,
    Secret url,
    StatusFilter filter,
    Duration connectTimeout,
    Duration requestTimeout,
    Duration maxRetryAfter,
    int maxExcerptBytes) {

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(15);
  public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofHours(1);
  public static final int DEFAULT_MAX_EXCERPT_BYTES = 1024;

  public SinkSettings {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(filter, "filter");
    if (name.isBlank()) {
      throw new SinkConfigException("a sink needs a name (e.g. webhook-1)");
    }
    positive(name, "connect timeout", connectTimeout);
    positive(name, "request timeout", requestTimeout);
    positive(name, "max retry-after", maxRetryAfter);
    if (maxExcerptBytes < 0) {
      throw new SinkConfigException(name + ": max excerpt bytes must not be negative");
    }
    uri(name, url); // fail at startup, not at the first alert
  }

  /** Settings with the defaults: {@link StatusFilter#DEFAULT}, 5 s to connect, 15 s to answer. */
  public static SinkSettings of(String name, Secret url) {
    return new SinkSettings(
        name,
        url,
        StatusFilter.DEFAULT,
        DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_REQUEST_TIMEOUT,
        DEFAULT_MAX_RETRY_AFTER,
        DEFAULT_MAX_EXCERPT_BYTES);
  }

  public SinkSettings withFilter(StatusFilter newFilter) {
    return new SinkSettings(
        name, url, newFilter, connectTimeout, requestTimeout, maxRetryAfter, maxExcerptBytes);
  }

  public SinkSettings withTimeouts(Duration connect, Duration request) {
    return new SinkSettings(name, url, filter, connect, request, maxRetryAfter, maxExcerptBytes);
  }

  public SinkSettings withMaxRetryAfter(Duration cap) {
    return new SinkSettings(
        name, url, filter, connectTimeout, requestTimeout, cap, maxExcerptBytes);
  }

  /** The URL, checked: absolute http or https with a host. */
  public URI uri() {
    return uri(name, url);
  }

  /** {@code name (scheme://host)}: how reasons and logs identify the sink without secrets. */
  public String label() {
    return name + " (" + Secret.originOf(url.reveal()) + ")";
  }

  /**
   * A client for these settings: the connect timeout, HTTP/1.1 (no h2c upgrade dance with plain
   * http receivers; one alert at a time needs no multiplexing), redirects not followed (the
   * Standard Webhooks spec: update the URL instead).
   */
  public HttpClient newHttpClient() {
    return HttpClient.newBuilder()
        .connectTimeout(connectTimeout)
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  private static URI uri(String name, Secret url) {
    String problem;
    try {
      URI uri = new URI(url.reveal().strip());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return uri;
      }
      problem = "is not an absolute http or https URL with a host";
    } catch (URISyntaxException e) {
      // e's message quotes the input: keep only where it broke.
      problem = "is not a valid URL (error at index " + e.getIndex() + ")";
    }
    throw new SinkConfigException(name + ": the URL from " + url.source() + " " + problem);
  }

  private static void positive(String name, String what, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new SinkConfigException(name + ": " + what + " must be positive, got " + d);
    }
  }
}
