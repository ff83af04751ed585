package dev.plateau.aws;

import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How Plateau talks to an S3-compatible service.
 *
 * @param endpoint the service's URL, or null: {@code AWS_ENDPOINT_URL_S3}, then {@code
 *     AWS_ENDPOINT_URL}, then AWS's own endpoint for the region
 * @param region the region, or null: the SDK's default region chain ({@code AWS_REGION}, the
 *     profile, the instance), {@code us-east-1} when an endpoint is set and no region is found
 * @param pathStyle path-style addressing ({@code https://host/bucket/key}), or null: on when an
 *     endpoint is set (MinIO, Ceph RGW, R2 and Google's XML API want it), off for AWS
 * @param requestTimeout how long one attempt may wait for the service's bytes before it is given up
 *     and retried
 * @param attempts attempts per request (throttling, 5xx answers, resets and timeouts are retried)
 * @param retryBase the first retry's largest delay; each further one doubles it, up to {@code
 *     retryCap}, and the delay is drawn at random below it (full jitter)
 * @param retryCap the largest delay between attempts
 */
public record S3ClientSettings(
    @Nullable String endpoint,
    @Nullable String region,
    @Nullable Boolean pathStyle,
    Duration requestTimeout,
    int attempts,
    Duration retryBase,
    Duration retryCap) {

  /** No endpoint or region given, 20 s per attempt, 6 attempts, 100 ms doubling up to 10 s. */
  public static S3ClientSettings defaults() {
    return new S3ClientSettings(
        null,
        null,
        null,
        Duration.ofSeconds(20),
        6,
        Duration.ofMillis(100),
        Duration.ofSeconds(10));
  }

  public S3ClientSettings withEndpoint(@Nullable String url) {
    return new S3ClientSettings(
        url, region, pathStyle, requestTimeout, attempts, retryBase, retryCap);
  }

  public S3ClientSettings withRegion(@Nullable String name) {
    return new S3ClientSettings(
        endpoint, name, pathStyle, requestTimeout, attempts, retryBase, retryCap);
  }

  public S3ClientSettings withPathStyle(@Nullable Boolean on) {
    return new S3ClientSettings(
        endpoint, region, on, requestTimeout, attempts, retryBase, retryCap);
  }

  public S3ClientSettings withRequestTimeout(Duration timeout) {
    return new S3ClientSettings(
        endpoint, region, pathStyle, timeout, attempts, retryBase, retryCap);
  }

  /** The endpoint to use: this one, else the SDKs' standard variables of {@code environment}. */
  public @Nullable String endpointIn(Map<String, String> environment) {
    if (endpoint != null && !endpoint.isBlank()) {
      return endpoint;
    }
    for (String variable : new String[] {"AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"}) {
      String value = environment.get(variable);
      if (value != null && !value.isBlank()) {
        return value.strip();
      }
    }
    return null;
  }
}
