package dev.plateau.aws;

import dev.plateau.objectstore.ObjectPage;
import dev.plateau.objectstore.ObjectRequestCounts;
import dev.plateau.objectstore.ObjectStore;
import dev.plateau.objectstore.ObjectStoreException;
import dev.plateau.objectstore.StoredObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A bucket of an S3-compatible service. Every attempt is counted by kind and outcome; throttling
 * (503 SlowDown), 5xx answers, resets and timeouts are tried again after a delay drawn at random
 * below a doubling bound (full jitter), up to {@link S3ClientSettings#attempts}; anything else, or
 * the last failure, becomes an {@link ObjectStoreException} naming the bucket, the operation and
 * where the credentials came from.
 */
public final class S3ObjectStore implements ObjectStore {
  private static final Logger log = LoggerFactory.getLogger(S3ObjectStore.class);

  private final S3Client client;
  private final String bucket;
  private final S3ClientSettings settings;
  private final ObjectRequestCounts counts;
  private final Sleeper sleeper;
  private final Supplier<String> credentialSource;
  private final int pageSize;

  S3ObjectStore(
      S3Client client,
      String bucket,
      S3ClientSettings settings,
      ObjectRequestCounts counts,
      Sleeper sleeper,
      Supplier<String> credentialSource,
      int pageSize) {
    this.client = client;
    this.bucket = bucket;
    this.settings = settings;
    this.counts = counts;
    this.sleeper = sleeper;
    this.credentialSource = credentialSource;
    this.pageSize = pageSize;
  }

  @Override
  public String describe() {
    return "s3://" + bucket;
  }

  @Override
  public ObjectPage list(String prefix, @Nullable String continuation) throws ObjectStoreException {
    ListObjectsV2Response page =
        attempt(
            "list",
            "ListObjectsV2 of prefix '" + prefix + "'",
            () ->
                client.listObjectsV2(
                    b ->
                        b.bucket(bucket)
                            .prefix(prefix.isEmpty() ? null : prefix)
                            .maxKeys(pageSize)
                            .continuationToken(continuation)));
    List<StoredObject> objects = new ArrayList<>(page.contents().size());
    for (S3Object o : page.contents()) {
      objects.add(new StoredObject(o.key(), o.size() == null ? 0 : o.size(), etag(o.eTag())));
    }
    return new ObjectPage(
        objects, Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null);
  }

  @Override
  public byte[] read(String key, long from, long to) throws ObjectStoreException {
    if (to <= from) {
      return new byte[0];
    }
    try {
      byte[] bytes =
          attempt(
              "get",
              "GetObject of '" + key + "'",
              () ->
                  client
                      .getObjectAsBytes(
                          b -> b.bucket(bucket).key(key).range("bytes=" + from + "-" + (to - 1)))
                      .asByteArray());
      counts.read(bytes.length);
      return bytes;
    } catch (ObjectStoreException e) {
      if (e.getMessage() != null && e.getMessage().contains("InvalidRange")) {
        return new byte[0]; // the object is shorter than `from` now
      }
      throw e;
    }
  }

  @Override
  public void write(String key, byte[] content) throws ObjectStoreException {
    attempt(
        "put",
        "PutObject of '" + key + "'",
        () -> client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content)));
  }

  @Override
  public void delete(String key) throws ObjectStoreException {
    attempt(
        "delete",
        "DeleteObject of '" + key + "'",
        () -> client.deleteObject(b -> b.bucket(bucket).key(key)));
  }

  private <T> T attempt(String kind, String operation, Supplier<T> request)
      throws ObjectStoreException {
    for (int attempt = 1; ; attempt++) {
      Refusal refusal;
      SdkException failure;
      try {
        T answer = request.get();
        counts.attempt(kind, "ok");
        return answer;
      } catch (SdkException e) {
        failure = e;
        refusal = Refusal.of(e);
        counts.attempt(kind, refusal.outcome());
      }
      if (!refusal.retry() || attempt >= settings.attempts()) {
        throw new ObjectStoreException(
            refusal.kind(), message(operation, refusal, attempt), failure);
      }
      counts.retried();
      Duration delay = delay(attempt);
      log.debug(
          "s3://{}: {} failed ({}); attempt {} in {} ms",
          bucket,
          operation,
          refusal.detail(),
          attempt + 1,
          delay.toMillis());
      try {
        sleeper.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ObjectStoreException(
            ObjectStoreException.Kind.UNREACHABLE,
            "s3://" + bucket + ": " + operation + " interrupted",
            e);
      }
    }
  }

  /** Full jitter: a delay drawn below the base doubled per attempt made, capped. */
  private Duration delay(int attemptsMade) {
    long bound =
        Math.min(
            settings.retryCap().toMillis(),
            settings.retryBase().toMillis() << Math.min(20, attemptsMade - 1));
    return Duration.ofMillis(ThreadLocalRandom.current().nextLong(Math.max(1, bound) + 1));
  }

  private String message(String operation, Refusal refusal, int attempts) {
    String base = "s3://" + bucket + ": " + operation + " refused (" + refusal.detail() + ")";
    return switch (refusal.kind()) {
      case NO_SUCH_BUCKET -> base + ": the bucket does not exist at this endpoint";
      case CREDENTIALS ->
          base
              + ": the credentials were not accepted or not found; credentials from "
              + credentialSource.get();
      case ACCESS_DENIED ->
          base
              + ": the credentials are not allowed this operation (see docs/object-storage.md for"
              + " the least permissions); credentials from "
              + credentialSource.get();
      case UNREACHABLE ->
          "s3://"
              + bucket
              + ": "
              + operation
              + " failed "
              + attempts
              + " times, the last with "
              + refusal.detail();
      default -> base;
    };
  }

  private static String etag(@Nullable String etag) {
    return etag == null ? "" : etag;
  }
}
