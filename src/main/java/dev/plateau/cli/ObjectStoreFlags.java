package dev.plateau.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plateau.daemon.FlagApplier;
import dev.plateau.detect.Status;
import dev.plateau.objectstore.ObjectStore;
import dev.plateau.objectstore.ObjectStoreException;
import dev.plateau.objectstore.ObjectUrl;
import dev.plateau.sink.FlagConfig;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flags as objects: the same names (the flag template under the run's prefix, or under a {@code
 * --flag-dir} of {@code s3://}) and the same content as flag files, written with PutObject; the
 * flags of the other statuses deleted. A write that fails is tried again at the next rounds,
 * waiting longer each time (up to a minute), until it holds.
 */
final class ObjectStoreFlags implements FlagApplier {
  private static final Logger log = LoggerFactory.getLogger(ObjectStoreFlags.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_DELAY_MILLIS = 60_000;

  private final ObjectStore store;
  private final ObjectUrl base;
  private final FlagConfig config;
  private final Clock clock;

  /** What each key holds as far as this process wrote it, to skip writing the same again. */
  private final Map<String, byte[]> written = new HashMap<>();

  private final Map<String, Pending> pending = new LinkedHashMap<>();
  private long failures;

  private record Pending(Status status, ObjectNode content, long dueMillis, long delayMillis) {}

  /**
   * @param base where flags go: the logdir's URL (beside the runs) or the flag directory's
   */
  ObjectStoreFlags(ObjectStore store, ObjectUrl base, FlagConfig config, Clock clock) {
    this.store = store;
    this.base = base;
    this.config = config;
    this.clock = clock;
  }

  @Override
  public synchronized void apply(String experiment, Status status, ObjectNode content) {
    pending.remove(experiment);
    try {
      applyChecked(experiment, status, content);
    } catch (ObjectStoreException | IllegalArgumentException e) {
      failures++;
      log.warn("{}: flag not written ({}); trying again", experiment, e.getMessage());
      pending.put(experiment, new Pending(status, content, clock.millis() + 1000, 1000));
    }
  }

  private void applyChecked(String experiment, Status status, ObjectNode content)
      throws ObjectStoreException {
    if (status == Status.TRAINING
        || (status == Status.NOT_LEARNING && !config.notLearningFlags())) {
      if (config.removeOnTraining()) {
        removeOthers(experiment, null);
      }
      return;
    }
    String key = keyOf(experiment, status);
    byte[] bytes;
    try {
      bytes = (JSON.writeValueAsString(content) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("content is not JSON: " + e.getMessage(), e);
    }
    if (!Arrays.equals(written.get(key), bytes)) {
      store.write(key, bytes);
      written.put(key, bytes);
      log.info("{}: flag {} written", experiment, base.urlOf(key));
    }
    removeOthers(experiment, status);
  }

  /** Deletes the flags of the statuses other than {@code kept} that this process wrote. */
  private void removeOthers(String experiment, @Nullable Status kept) throws ObjectStoreException {
    for (Status other : Status.values()) {
      if (other == Status.TRAINING || other == kept) {
        continue;
      }
      String key = keyOf(experiment, other);
      if (written.remove(key) != null) {
        store.delete(key);
        log.info("{}: flag {} removed", experiment, base.urlOf(key));
      }
    }
  }

  private String keyOf(String experiment, Status status) {
    String relative = config.template().render(experiment, status);
    return base.directoryPrefix() + relative;
  }

  @Override
  public synchronized void retry(long nowMillis) {
    if (pending.isEmpty()) {
      return;
    }
    for (Map.Entry<String, Pending> e : Map.copyOf(pending).entrySet()) {
      Pending p = e.getValue();
      if (p.dueMillis() > nowMillis) {
        continue;
      }
      try {
        applyChecked(e.getKey(), p.status(), p.content());
        pending.remove(e.getKey());
      } catch (ObjectStoreException | IllegalArgumentException failed) {
        failures++;
        long delay = Math.min(MAX_DELAY_MILLIS, 2 * p.delayMillis());
        pending.put(e.getKey(), new Pending(p.status(), p.content(), nowMillis + delay, delay));
      }
    }
  }

  @Override
  public @Nullable String flagPath(String experiment, Status status) {
    if (status == Status.TRAINING) {
      return null;
    }
    try {
      return base.urlOf(keyOf(experiment, status));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @Override
  public synchronized int pending() {
    return pending.size();
  }

  @Override
  public synchronized long failures() {
    return failures;
  }
}
