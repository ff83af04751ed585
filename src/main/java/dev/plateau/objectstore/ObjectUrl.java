package dev.plateau.objectstore;

import java.util.Locale;
import java.util.Optional;

/**
 * A logdir or file in an object store: {@code s3://bucket/prefix}. The prefix is the key of an
 * event file, or a "directory" whose objects, at any depth, are the logdir's files.
 *
 * @param bucket the bucket
 * @param prefix the key prefix, without a leading or trailing slash; empty for the whole bucket
 */
public record ObjectUrl(String bucket, String prefix) {
  /** The scheme of S3-compatible object stores. */
  public static final String S3 = "s3";

  public ObjectUrl {
    if (bucket.isEmpty() || bucket.contains("/")) {
      throw new IllegalArgumentException("not a bucket name: '" + bucket + "'");
    }
    prefix = strip(prefix);
  }

  /**
   * The URL {@code text} names, if it is an {@code s3://} URL. Also takes the form a path makes of
   * it ({@code s3:/bucket/prefix}, one slash, as {@code Path.of} folds the two).
   *
   * @throws IllegalArgumentException for {@code gs://}, Azure and other object-store URLs, with a
   *     message naming the S3-compatible route, and for an {@code s3} URL without a bucket
   */
  public static Optional<ObjectUrl> parse(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.startsWith("s3:/")) {
      String rest = text.substring(4);
      while (rest.startsWith("/")) {
        rest = rest.substring(1);
      }
      int slash = rest.indexOf('/');
      String bucket = slash < 0 ? rest : rest.substring(0, slash);
      if (bucket.isEmpty()) {
        throw new IllegalArgumentException(text + ": an s3 URL names a bucket: s3://BUCKET/PREFIX");
      }
      return Optional.of(new ObjectUrl(bucket, slash < 0 ? "" : rest.substring(slash + 1)));
    }
    for (String other : new String[] {"gs:/", "gcs:/"}) {
      if (lower.startsWith(other)) {
        throw new IllegalArgumentException(
            text
                + ": Google Cloud Storage is read through its S3-compatible XML API: create HMAC"
                + " keys for a service account, set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to"
                + " them and AWS_ENDPOINT_URL_S3=https://storage.googleapis.com, and give the logdir"
                + " as s3://BUCKET/PREFIX (docs/object-storage.md)");
      }
    }
    for (String other : new String[] {"az:/", "abfs:/", "abfss:/", "wasb:/", "wasbs:/"}) {
      if (lower.startsWith(other) || lower.contains(".blob.core.windows.net")) {
        throw new IllegalArgumentException(
            text
                + ": Azure Blob Storage has no S3 API of its own; serve the container through an"
                + " S3-compatible gateway (such as S3Proxy's azureblob backend), set"
                + " AWS_ENDPOINT_URL_S3 to the gateway and give the logdir as s3://BUCKET/PREFIX"
                + " (docs/object-storage.md)");
      }
    }
    return Optional.empty();
  }

  /** The URL of the object {@code key} of this bucket. */
  public String urlOf(String key) {
    return S3 + "://" + bucket + "/" + key;
  }

  /** The prefix under which the logdir's objects lie: the prefix and a slash, or nothing. */
  public String directoryPrefix() {
    return prefix.isEmpty() ? "" : prefix + "/";
  }

  @Override
  public String toString() {
    return S3 + "://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
  }

  private static String strip(String prefix) {
    String p = prefix;
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }
}
