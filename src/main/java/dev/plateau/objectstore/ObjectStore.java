package dev.plateau.objectstore;

import org.jspecify.annotations.Nullable;

/**
 * A bucket of an object store, as the tailer and the flags use it. Implementations retry what is
 * worth retrying (throttling, server errors, resets, timeouts) before they throw, and count every
 * attempt.
 */
public interface ObjectStore {

  /** The bucket, as {@code s3://bucket}, for messages. */
  String describe();

  /**
   * One page of the objects whose key starts with {@code prefix}, in key order.
   *
   * @param continuation the token of the previous page, or null for the first
   */
  ObjectPage list(String prefix, @Nullable String continuation) throws ObjectStoreException;

  /**
   * The bytes of {@code key} from {@code from} (inclusive) to {@code to} (exclusive); fewer when
   * the object is shorter now.
   */
  byte[] read(String key, long from, long to) throws ObjectStoreException;

  /** Writes {@code content} as the object {@code key}, replacing it. */
  void write(String key, byte[] content) throws ObjectStoreException;

  /** Deletes {@code key}; deleting what is not there is no error. */
  void delete(String key) throws ObjectStoreException;
}
