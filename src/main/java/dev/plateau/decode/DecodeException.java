package dev.plateau.decode;

/**
 * A record's bytes are not a valid TensorFlow event. The message says what was wrong; the caller
 * adds the file and offset. Decoding goes on with the next record.
 */
public final class DecodeException extends Exception {
  private static final long serialVersionUID = 1L;

  public DecodeException(String message, Throwable cause) {
    super(message, cause);
  }

  public DecodeException(String message) {
    super(message);
  }
}
