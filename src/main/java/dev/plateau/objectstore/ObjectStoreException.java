package dev.plateau.objectstore;

import java.io.IOException;

/**
 * A request to an object store failed for good (after the retries worth making), with what kind of
 * refusal it was and a message a user can act on: the bucket, the operation refused and, for
 * refusals of the credentials, where they came from (never a secret).
 */
public final class ObjectStoreException extends IOException {
  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Kind {
    /** The bucket does not exist. */
    NO_SUCH_BUCKET,
    /** No credentials were found, or they are not valid (unknown key, bad signature, expired). */
    CREDENTIALS,
    /** The credentials are valid but not allowed this operation. */
    ACCESS_DENIED,
    /** The object is not there (any more). */
    NO_SUCH_KEY,
    /** The store could not be reached or kept failing (resets, timeouts, 5xx, throttling). */
    UNREACHABLE,
    /** Anything else the store answered. */
    OTHER
  }

  private final Kind kind;

  public ObjectStoreException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public ObjectStoreException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  /** Whether this refusal will not go away by itself (a start-up should stop on it). */
  public boolean isConfigurationProblem() {
    return kind == Kind.NO_SUCH_BUCKET || kind == Kind.CREDENTIALS || kind == Kind.ACCESS_DENIED;
  }
}
