package dev.plateau.cli;

import dev.plateau.aws.S3ClientSettings;
import dev.plateau.aws.S3Stores;
import dev.plateau.aws.Sleeper;
import dev.plateau.config.ObjectStoreConfig;
import dev.plateau.decode.DecodeLimits;
import dev.plateau.objectstore.ObjectLogdirTailer;
import dev.plateau.objectstore.ObjectRequestCounts;
import dev.plateau.objectstore.ObjectStore;
import dev.plateau.objectstore.ObjectStoreException;
import dev.plateau.objectstore.ObjectTailLimits;
import dev.plateau.objectstore.ObjectUrl;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The process's access to object stores: the {@code object_store} settings a command loaded, one
 * store per bucket, and the request counts {@code /metrics} shows. A command sets the settings once
 * it has read its configuration, before it opens a logdir.
 */
final class ObjectStoreAccess {
  private static volatile ObjectStoreConfig config = ObjectStoreConfig.defaults();
  private static final Map<String, ObjectStore> STORES = new ConcurrentHashMap<>();

  /** Every request of this process to an object store. */
  static final ObjectRequestCounts COUNTS = new ObjectRequestCounts();

  private ObjectStoreAccess() {}

  /** The settings of the configuration loaded (before any store is opened). */
  static void configure(ObjectStoreConfig loaded) {
    config = loaded;
  }

  static ObjectStoreConfig config() {
    return config;
  }

  /** The store of {@code url}'s bucket, opened once. */
  static ObjectStore store(ObjectUrl url) throws ObjectStoreException {
    ObjectStore open = STORES.get(url.bucket());
    if (open != null) {
      return open;
    }
    ObjectStoreConfig c = config;
    S3ClientSettings settings =
        S3ClientSettings.defaults()
            .withEndpoint(c.endpoint())
            .withRegion(c.region())
            .withPathStyle(c.pathStyle())
            .withRequestTimeout(c.requestTimeout());
    ObjectStore made =
        S3Stores.open(url.bucket(), settings, COUNTS, System.getenv(), Sleeper.THREAD);
    ObjectStore raced = STORES.putIfAbsent(url.bucket(), made);
    return raced != null ? raced : made;
  }

  /** A tailer of the logdir at {@code url}. */
  static ObjectLogdirTailer tailer(ObjectUrl url, DecodeLimits limits, Clock clock)
      throws ObjectStoreException {
    return new ObjectLogdirTailer(
        store(url),
        url,
        limits,
        ObjectTailLimits.DEFAULTS.withParallelism(config.getParallelism()),
        clock);
  }
}
