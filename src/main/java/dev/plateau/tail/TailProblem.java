package dev.plateau.tail;

import java.nio.file.Path;

/**
 * A problem met while tailing, with where it happened.
 *
 * @param kind what went wrong
 * @param file the file (or directory) concerned
 * @param offset the byte offset in the file, or -1 when not about a position
 * @param message a sentence for a person, naming the file and offset
 */
public record TailProblem(Kind kind, Path file, long offset, String message) {

  /** The kinds of problem. */
  public enum Kind {
    /** Framing checksums or lengths are wrong; bytes were skipped. */
    CORRUPT_RECORD,
    /** A record's framing checks but its bytes are not an Event. */
    UNDECODABLE_EVENT,
    /** Part of an event was unusable (unsupported dtype, non-UTF-8 tag ...). */
    UNUSABLE_VALUE,
    /** A file or directory could not be read; retried on the next poll. */
    UNREADABLE,
    /** The logdir tree could not be walked in part (link loop, permissions). */
    SCAN
  }
}
