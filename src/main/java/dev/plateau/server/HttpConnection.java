package dev.plateau.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/**
 * One client connection of {@link HttpLoop}, touched only by the loop's thread: where it stands,
 * since when, until when, and the bytes of its request head so far.
 */
final class HttpConnection {
  /** Where a connection stands. */
  enum State {
    /** Waiting for (the rest of) a request head. */
    READING,
    /** A whole request came; its response is being computed. Never closed to make room. */
    ANSWERING,
    /** Sending a response. */
    WRITING,
    /** Response sent, output shut; discarding what the client still sends until it closes. */
    CLOSING
  }

  private static final int FIRST_BUFFER = 1024;

  final SocketChannel channel;
  final String client;
  final HeadScanner scanner;
  private final int maxBuffer;
  SelectionKey key;
  State state = State.READING;

  /** When the current state (or, kept alive, the next request's first byte) began, in nanos. */
  long since;

  /** When the connection is closed if still in this state, in nanos. */
  long deadline;

  /** Responses sent on this connection. */
  int served;

  /** The request being answered, while ANSWERING and WRITING. */
  RequestHead request;

  ByteBuffer out;
  boolean closeAfterWriting;
  long discarded;
  private byte[] in = new byte[FIRST_BUFFER];
  private int length;

  HttpConnection(SocketChannel channel, String client, HttpLimits limits, long now) {
    this.channel = channel;
    this.client = client;
    this.scanner = new HeadScanner(limits);
    this.maxBuffer = limits.maxHeaderBytes() + 1; // one over: enough to see a head is too large
    this.since = now;
    this.deadline = now + limits.maxRequestTime().toNanos();
  }

  /** Reads what has come, up to one byte over the head limit: bytes read, or -1 at the end. */
  int read() throws IOException {
    if (length == in.length && in.length < maxBuffer) {
      in = Arrays.copyOf(in, Math.min(maxBuffer, in.length * 2));
    }
    if (length == in.length) {
      return 0;
    }
    int n = channel.read(ByteBuffer.wrap(in, length, in.length - length));
    if (n > 0) {
      length += n;
    }
    return n;
  }

  HeadResult scan() {
    return scanner.scan(in, length);
  }

  /**
   * Drops the first {@code count} bytes (a request head taken); what follows is the next request.
   */
  void consume(int count) {
    System.arraycopy(in, count, in, 0, length - count);
    length -= count;
    scanner.reset();
  }

  /** Bytes of the next request already received. */
  int buffered() {
    return length;
  }

  /** Whether this connection is kept alive between requests with nothing of the next one yet. */
  boolean idle() {
    return state == State.READING && served > 0 && length == 0;
  }

  /**
   * Which connection to close first to make room for a new one: lower first. Closing ones are done;
   * idle ones lose nothing (the client opens another); then whichever has waited longest.
   */
  int shedRank() {
    return switch (state) {
      case CLOSING -> 0;
      case READING -> idle() ? 1 : 2;
      case WRITING -> 2;
      case ANSWERING -> Integer.MAX_VALUE;
    };
  }
}
