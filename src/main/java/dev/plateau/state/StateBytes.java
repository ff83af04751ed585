package dev.plateau.state;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The primitives of the binary detector-state format: variable-length integers (zigzag, so small
 * negative numbers stay short), doubles as their 8 raw bytes (exact, NaN payloads and -0.0 kept),
 * UTF-8 strings with their length, and arrays with theirs; {@code long} arrays as differences from
 * the previous element, since the steps and point indexes a detector keeps mostly grow by small
 * amounts. A {@link Writer} grows its buffer and is reused; a {@link Reader} checks every length
 * against what is left, so a damaged state fails with a message instead of a huge allocation.
 */
final class StateBytes {
  private StateBytes() {}

  /** Appends to a growing buffer; {@link #reset} to reuse it. Not thread-safe. */
  static final class Writer {
    private byte[] buf = new byte[1024];
    private int size;

    void reset() {
      size = 0;
    }

    byte[] toByteArray() {
      return Arrays.copyOf(buf, size);
    }

    private void room(int n) {
      if (size + n > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
      }
    }

    void writeByte(int b) {
      room(1);
      buf[size++] = (byte) b;
    }

    void writeBoolean(boolean b) {
      writeByte(b ? 1 : 0);
    }

    /** Unsigned LEB128. */
    void writeVarLong(long v) {
      room(10);
      while ((v & ~0x7FL) != 0) {
        buf[size++] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      buf[size++] = (byte) v;
    }

    void writeZigZag(long v) {
      writeVarLong((v << 1) ^ (v >> 63));
    }

    void writeInt(int v) {
      room(4);
      for (int i = 0; i < 4; i++) {
        buf[size++] = (byte) (v >>> (8 * i));
      }
    }

    void writeDouble(double d) {
      room(8);
      long bits = Double.doubleToRawLongBits(d);
      for (int i = 0; i < 8; i++) {
        buf[size++] = (byte) (bits >>> (8 * i));
      }
    }

    /** A nullable string: its UTF-8 length plus one (0 for null), then the bytes. */
    void writeString(String s) {
      if (s == null) {
        writeVarLong(0);
        return;
      }
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      writeVarLong(utf8.length + 1L);
      room(utf8.length);
      System.arraycopy(utf8, 0, buf, size, utf8.length);
      size += utf8.length;
    }

    /** Length plus one (0 for null) before the elements of each array kind. */
    void writeLength(Object array, int length) {
      writeVarLong(array == null ? 0 : length + 1L);
    }

    void writeDoubles(double[] a) {
      writeLength(a, a == null ? 0 : a.length);
      if (a != null) {
        for (double d : a) {
          writeDouble(d);
        }
      }
    }

    void writeInts(int[] a) {
      writeLength(a, a == null ? 0 : a.length);
      if (a != null) {
        for (int v : a) {
          writeZigZag(v);
        }
      }
    }

    void writeLongs(long[] a) {
      writeLength(a, a == null ? 0 : a.length);
      if (a != null) {
        long previous = 0;
        for (long v : a) {
          writeZigZag(v - previous);
          previous = v;
        }
      }
    }
  }

  /** Reads what a {@link Writer} wrote. Not thread-safe. */
  static final class Reader {
    private final byte[] buf;
    private int at;

    Reader(byte[] buf) {
      this.buf = buf;
    }

    boolean atEnd() {
      return at == buf.length;
    }

    int offset() {
      return at;
    }

    int remaining() {
      return buf.length - at;
    }

    private IllegalArgumentException truncated(String what) {
      return new IllegalArgumentException(
          "saved state ends early: " + what + " at byte " + at + " of " + buf.length);
    }

    int readByte() {
      if (at >= buf.length) {
        throw truncated("a byte");
      }
      return buf[at++] & 0xFF;
    }

    boolean readBoolean() {
      int b = readByte();
      if (b > 1) {
        throw new IllegalArgumentException("saved state: " + b + " is not a boolean, at byte " + (at - 1));
      }
      return b == 1;
    }

    long readVarLong() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        int b = readByte();
        if (shift == 63 && b > 1) {
          throw new IllegalArgumentException("saved state: a number beyond 64 bits at byte " + (at - 1));
        }
        v |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          return v;
        }
      }
      throw new IllegalArgumentException("saved state: a number longer than 10 bytes at byte " + at);
    }

    long readZigZag() {
      long v = readVarLong();
      return (v >>> 1) ^ -(v & 1);
    }

    int readZigZagInt() {
      long v = readZigZag();
      if (v != (int) v) {
        throw new IllegalArgumentException("saved state: " + v + " does not fit an int, at byte " + at);
      }
      return (int) v;
    }

    int readInt() {
      if (buf.length - at < 4) {
        throw truncated("an int");
      }
      int v = 0;
      for (int i = 0; i < 4; i++) {
        v |= (buf[at++] & 0xFF) << (8 * i);
      }
      return v;
    }

    double readDouble() {
      if (buf.length - at < 8) {
        throw truncated("a double");
      }
      long bits = 0;
      for (int i = 0; i < 8; i++) {
        bits |= (long) (buf[at++] & 0xFF) << (8 * i);
      }
      return Double.longBitsToDouble(bits);
    }

    String readString() {
      long n = readVarLong();
      if (n == 0) {
        return null;
      }
      int length = checkedLength(n - 1, 1, "a string");
      String s = new String(buf, at, length, StandardCharsets.UTF_8);
      at += length;
      return s;
    }

    /** An array's length (-1 for null), checked against the bytes left at {@code minBytes} each. */
    int readLength(int minBytes, String what) {
      long n = readVarLong();
      return n == 0 ? -1 : checkedLength(n - 1, minBytes, what);
    }

    private int checkedLength(long n, int minBytes, String what) {
      if (n < 0 || n > (buf.length - at) / minBytes) {
        throw new IllegalArgumentException(
            "saved state: " + what + " of " + n + " elements at byte " + at + " is longer than the "
                + (buf.length - at) + " bytes left");
      }
      return (int) n;
    }

    double[] readDoubles() {
      int n = readLength(8, "an array of doubles");
      if (n < 0) {
        return null;
      }
      double[] a = new double[n];
      for (int i = 0; i < n; i++) {
        a[i] = readDouble();
      }
      return a;
    }

    int[] readInts() {
      int n = readLength(1, "an array of ints");
      if (n < 0) {
        return null;
      }
      int[] a = new int[n];
      for (int i = 0; i < n; i++) {
        a[i] = readZigZagInt();
      }
      return a;
    }

    long[] readLongs() {
      int n = readLength(1, "an array of longs");
      if (n < 0) {
        return null;
      }
      long[] a = new long[n];
      long previous = 0;
      for (int i = 0; i < n; i++) {
        previous += readZigZag();
        a[i] = previous;
      }
      return a;
    }
  }
}
