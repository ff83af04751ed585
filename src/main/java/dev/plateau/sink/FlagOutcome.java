package dev.plateau.sink;

import java.nio.file.Path;

/**
 * What happened to an experiment's flag files in one call of {@link FlagSink}. Failures are
 * outcomes, never exceptions, so that one bad experiment cannot stop the daemon loop.
 */
public sealed interface FlagOutcome {

  /**
   * The flag file was written (created, or replaced with new content); a stale flag of another
   * status, if there was one, is gone.
   *
   * @param path the flag file
   */
  record Written(Path path) implements FlagOutcome {}

  /**
   * A flag file was removed (the status went back to {@code training}, or a stale flag of another
   * status was removed while the current one already had the right bytes).
   *
   * @param path the removed file (the first, if a crash had left several)
   */
  record Removed(Path path) implements FlagOutcome {}

  /** Nothing to do: the flag already had these exact bytes, or there was no flag to remove. */
  record Unchanged() implements FlagOutcome {}

  /**
   * Nothing was written, or not all that was due: a name that would leave the base directory, a
   * read-only or full filesystem, a file where a directory is expected ...
   *
   * @param reason a sentence for the log that names the path and the cause
   */
  record Failed(String reason) implements FlagOutcome {}

  /**
   * Nothing was written: the experiment's own directory in the logdir is gone (the run was deleted
   * or renamed), and Plateau never creates it. Not a failure: nothing is tried again.
   *
   * @param directory the missing directory
   */
  record RunGone(Path directory) implements FlagOutcome {}
}
