package dev.plateau.state;

/**
 * The state database cannot be used: missing, unreadable, corrupt, or of another version. The
 * message names the file and says what to do (e.g. start with {@code --rebuild-state}).
 */
public final class StateException extends Exception {
  private static final long serialVersionUID = 1L;

  public StateException(String message) {
    super(message);
  }

  public StateException(String message, Throwable cause) {
    super(message, cause);
  }
}
