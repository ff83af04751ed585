package dev.plateau.decode;

/**
 * Receives what {@link EventDecoder} finds in one event, in the order it stands in the event.
 * Strings passed in are shared between calls (tags are interned per decoder).
 */
public interface EventVisitor {

  /** A scalar point. {@code value} may be NaN or infinite: those are kept. */
  void scalar(String tag, long step, double wallTime, double value, ValueType type);

  /** The first event of a file names the event format, e.g. "brain.Event:2". */
  default void fileVersion(String version, double wallTime) {}

  /**
   * A {@code SessionLog} with status START: the job (re)started at {@code step}. Points of the run
   * at or after that step written before it belong to an abandoned attempt.
   */
  default void sessionStart(long step, double wallTime) {}

  /**
   * Something in the event was not usable but the rest was (a tensor scalar of an unsupported type,
   * a tag that is not UTF-8 ...). Reported once per tag and kind of problem.
   */
  default void warning(String message) {}
}
