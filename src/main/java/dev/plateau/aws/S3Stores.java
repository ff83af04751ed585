package dev.plateau.aws;

import dev.plateau.objectstore.ObjectRequestCounts;
import dev.plateau.objectstore.ObjectStoreException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Opens buckets of S3-compatible services: one SDK client per bucket, on the JDK's URL connection
 * (no Netty, no Apache client), with the SDK's own retries off (the store retries and counts).
 */
public final class S3Stores {
  /** Keys per ListObjectsV2 page: the most the service gives. */
  public static final int PAGE_SIZE = 1000;

  private S3Stores() {}

  /**
   * The bucket {@code bucket} as an object store. Nothing is sent yet.
   *
   * @param environment the process's variables ({@code AWS_ENDPOINT_URL_S3}, {@code
   *     AWS_ENDPOINT_URL}); the SDK's chains read the rest themselves
   * @throws ObjectStoreException when no region can be found or the endpoint is not a URL
   */
  public static S3ObjectStore open(
      String bucket,
      S3ClientSettings settings,
      ObjectRequestCounts counts,
      Map<String, String> environment,
      Sleeper sleeper)
      throws ObjectStoreException {
    return open(bucket, settings, counts, environment, sleeper, PAGE_SIZE);
  }

  /**
   * As {@link #open(String, S3ClientSettings, ObjectRequestCounts, Map, Sleeper)}, smaller pages.
   */
  public static S3ObjectStore open(
      String bucket,
      S3ClientSettings settings,
      ObjectRequestCounts counts,
      Map<String, String> environment,
      Sleeper sleeper,
      int pageSize)
      throws ObjectStoreException {
    String endpoint = settings.endpointIn(environment);
    Region region = region(bucket, settings.region(), endpoint);
    AwsCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
    Duration timeout = settings.requestTimeout();
    var builder =
        S3Client.builder()
            .region(region)
            .credentialsProvider(credentials)
            .httpClient(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(
                        timeout.compareTo(Duration.ofSeconds(10)) < 0
                            ? timeout
                            : Duration.ofSeconds(10))
                    .socketTimeout(timeout)
                    .build())
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
            // Checksums only where the API requires them: S3-compatible services differ in the
            // newer trailing checksums, and event files are checked record by record anyway.
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .forcePathStyle(settings.pathStyle() != null ? settings.pathStyle() : endpoint != null);
    if (endpoint != null) {
      try {
        builder.endpointOverride(new URI(endpoint));
      } catch (URISyntaxException e) {
        throw new ObjectStoreException(
            ObjectStoreException.Kind.OTHER,
            "s3://" + bucket + ": endpoint '" + endpoint + "' is not a URL: " + e.getMessage(),
            e);
      }
    }
    return new S3ObjectStore(
        builder.build(),
        bucket,
        settings,
        counts,
        sleeper,
        () -> CredentialSource.describe(credentials),
        pageSize);
  }

  private static Region region(String bucket, @Nullable String given, @Nullable String endpoint)
      throws ObjectStoreException {
    if (given != null && !given.isBlank()) {
      return Region.of(given.strip());
    }
    try {
      return new DefaultAwsRegionProviderChain().getRegion();
    } catch (SdkException e) {
      if (endpoint != null) {
        return Region.US_EAST_1; // S3-compatible services take any region; SigV4 needs one
      }
      throw new ObjectStoreException(
          ObjectStoreException.Kind.OTHER,
          "s3://"
              + bucket
              + ": no region found (set AWS_REGION, a profile's region, or object_store.region)",
          e);
    }
  }
}
