package dev.plateau.sink;

/**
 * A sink's settings cannot be used: a secret that is missing or malformed, a URL that is not HTTP,
 * an unknown status. The message names where the bad value came from (the sink, an environment
 * variable, a file) and what is allowed, but never a secret's content.
 */
public final class SinkConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SinkConfigException(String message) {
    super(message);
  }

  public SinkConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
