package dev.plateau.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The {@code object_store} section: how logdirs given as {@code s3://bucket/prefix} are read.
 *
 * @param endpoint the S3-compatible service's URL ({@code object_store.endpoint}), or null: {@code
 *     AWS_ENDPOINT_URL_S3}, then {@code AWS_ENDPOINT_URL}, then AWS for the region
 * @param region the region ({@code object_store.region}), or null: the SDK's default region chain
 * @param pathStyle path-style addressing ({@code object_store.path_style}: {@code auto}, {@code
 *     true}, {@code false}); null for auto: on when an endpoint is set
 * @param pollInterval how often an object-store logdir is listed ({@code
 *     object_store.poll_interval}): each poll costs a list request per 1,000 objects
 * @param getParallelism GETs under way at once per logdir ({@code object_store.get_parallelism})
 * @param unreachableAfter how long a logdir may fail to list before {@code /readyz} says it is
 *     unreachable ({@code object_store.unreachable_after})
 * @param requestTimeout how long one attempt may wait for the service ({@code
 *     object_store.request_timeout}); failed attempts are retried with backoff and jitter
 */
public record ObjectStoreConfig(
    @Nullable String endpoint,
    @Nullable String region,
    @Nullable Boolean pathStyle,
    Duration pollInterval,
    int getParallelism,
    Duration unreachableAfter,
    Duration requestTimeout) {
  static final Set<String> KEYS =
      Set.of(
          "endpoint",
          "region",
          "path_style",
          "poll_interval",
          "get_parallelism",
          "unreachable_after",
          "request_timeout");

  /** No endpoint or region of its own, polls every 10 s, 8 GETs at once, unready after 5 min. */
  public static ObjectStoreConfig defaults() {
    return new ObjectStoreConfig(
        null, null, null, Duration.ofSeconds(10), 8, Duration.ofMinutes(5), Duration.ofSeconds(20));
  }

  static ObjectStoreConfig parse(ConfigNode node) throws ConfigException {
    node.allowOnly(KEYS);
    ObjectStoreConfig d = defaults();
    return new ObjectStoreConfig(
        blankIsNull(node.get("endpoint").string(null)),
        blankIsNull(node.get("region").string(null)),
        pathStyle(node.get("path_style")),
        duration(node.get("poll_interval"), d.pollInterval(), Duration.ofMillis(100)),
        (int) node.get("get_parallelism").integer(d.getParallelism(), 1, 64),
        duration(node.get("unreachable_after"), d.unreachableAfter(), Duration.ofSeconds(1)),
        duration(node.get("request_timeout"), d.requestTimeout(), Duration.ofMillis(100)));
  }

  private static @Nullable Boolean pathStyle(ConfigNode node) throws ConfigException {
    if (node.isMissing()) {
      return null;
    }
    if (node.raw() instanceof String text && text.strip().toLowerCase(Locale.ROOT).equals("auto")) {
      return null;
    }
    return node.bool(false);
  }

  private static Duration duration(ConfigNode node, Duration fallback, Duration least)
      throws ConfigException {
    if (node.isMissing()) {
      return fallback;
    }
    double seconds = node.durationSeconds(0);
    Duration read = Duration.ofNanos(Math.round(seconds * 1e9));
    if (!(seconds < 1e9) || read.compareTo(least) < 0) {
      throw node.error("must be at least " + least.toMillis() + "ms, got " + node.raw());
    }
    return read;
  }

  private static @Nullable String blankIsNull(@Nullable String text) {
    return text == null || text.isBlank() ? null : text.strip();
  }
}
