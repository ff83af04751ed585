package dev.plateau.server;

/** What the bytes received so far on a connection hold ({@link HeadScanner#scan}). */
sealed interface HeadResult {
  /** Not a whole request head yet, and within the limits so far: read more. */
  record Incomplete() implements HeadResult {}

  /**
   * A whole request head, {@code length} bytes of the buffer; bytes after it are the next request.
   */
  record Complete(RequestHead head, int length) implements HeadResult {}

  /** Not a request this server can take: answer {@code status} with {@code reason}, then close. */
  record Malformed(int status, String reason) implements HeadResult {}
}
