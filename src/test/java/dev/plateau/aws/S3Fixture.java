package dev.plateau.aws;

import dev.plateau.objectstore.ObjectRequestCounts;
import dev.plateau.objectstore.ObjectStoreException;
import dev.plateau.testing.S3ProxyServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/** What the object-store tests share: a store on an {@link S3ProxyServer}, and event files. */
final class S3Fixture {
  private S3Fixture() {}

  /** The credentials of the server, where the SDK's default chain looks first. */
  static void useServerCredentials() {
    System.setProperty("aws.accessKeyId", S3ProxyServer.ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", S3ProxyServer.SECRET_KEY);
  }

  static S3ClientSettings settings(String endpoint) {
    return S3ClientSettings.defaults()
        .withEndpoint(endpoint)
        .withRegion("us-east-1")
        .withRequestTimeout(Duration.ofSeconds(5));
  }

  /** A store of {@code bucket} that does not wait between attempts. */
  static S3ObjectStore store(String endpoint, String bucket, ObjectRequestCounts counts)
      throws ObjectStoreException {
    return S3Stores.open(bucket, settings(endpoint), counts, Map.of(), d -> {});
  }

  /** An event file of one run: {@code points} steps of {@code tag}, written by the real writer. */
  static byte[] eventFile(double wallTime, String tag, int points) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (dev.plateau.write.EventFileWriter writer =
        new dev.plateau.write.EventFileWriter(out, wallTime)) {
      for (int step = 0; step < points; step++) {
        writer.simpleValue(tag, step, wallTime + step, 1.0f / (step + 1));
      }
    }
    return out.toByteArray();
  }
}
