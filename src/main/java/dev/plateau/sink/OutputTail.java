package dev.plateau.sink;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The last bytes a command wrote, at most a fixed number, however much it writes: a command's
 * reason to fail is usually at the end of what it says, and a chatty one must not grow the daemon.
 * Filled by one reading thread, read by another.
 */
final class OutputTail {
  private final byte[] ring;
  private long written;

  /** Keeps the last {@code max} bytes (0 keeps nothing). */
  OutputTail(int max) {
    this.ring = new byte[max];
  }

  /** Reads {@code in} to its end, keeping the tail; an I/O error ends the reading quietly. */
  void drain(InputStream in) {
    byte[] buffer = new byte[8192];
    try (in) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        append(buffer, n);
      }
    } catch (IOException closed) {
      // The pipe broke: what was read is kept.
    }
  }

  synchronized void append(byte[] bytes, int length) {
    if (ring.length == 0) {
      written += length;
      return;
    }
    for (int i = 0; i < length; i++) {
      ring[(int) (written++ % ring.length)] = bytes[i];
    }
  }

  /**
   * What was kept, as UTF-8 (a character cut at the start is replaced), with a note of how much
   * came before it when the output was longer.
   */
  synchronized String text() {
    int kept = (int) Math.min(written, ring.length);
    byte[] out = new byte[kept];
    long start = written - kept;
    for (int i = 0; i < kept; i++) {
      out[i] = ring[(int) ((start + i) % ring.length)];
    }
    String text = new String(out, StandardCharsets.UTF_8).strip();
    return start == 0 ? text : "[" + start + " bytes before] " + text;
  }
}
