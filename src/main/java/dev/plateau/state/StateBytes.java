package dev.plateau.state;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The primitives of the binary detector-state format, on protobuf's wire encoding (the project
 * already depends on it): variable-length integers (zigzag, so small negative numbers stay short),
 * doubles and ints as little-endian fixed bytes (exact: NaN payloads and -0.0 kept), nullable UTF-8
 * strings and arrays with their length plus one (0 for null), and {@code long} arrays as
 * differences from the previous element, since the steps and point indexes a detector keeps mostly
 * grow by small amounts. A {@link Reader} checks every length against the bytes left, so a damaged
 * state fails with an {@link IllegalArgumentException} naming the byte, never with a huge
 * allocation.
 */
final class StateBytes {
  private StateBytes() {}

  /** Appends to a growing buffer; {@link #reset} to reuse it. Not thread-safe. */
  static final class Writer {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
    private final CodedOutputStream out = CodedOutputStream.newInstance(bytes, 1024);

    void reset() {
      flush();
      bytes.reset();
    }

    byte[] toByteArray() {
      flush();
      return bytes.toByteArray();
    }

    private void flush() {
      try {
        out.flush();
      } catch (IOException e) {
        throw failed(e);
      }
    }

    private static UncheckedIOException failed(IOException e) {
      return new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }

    void writeByte(int b) {
      try {
        out.writeRawByte((byte) b);
      } catch (IOException e) {
        throw failed(e);
      }
    }

    void writeBoolean(boolean b) {
      writeByte(b ? 1 : 0);
    }

    void writeVarLong(long v) {
      try {
        out.writeUInt64NoTag(v);
      } catch (IOException e) {
        throw failed(e);
      }
    }

    void writeZigZag(long v) {
      try {
        out.writeSInt64NoTag(v);
      } catch (IOException e) {
        throw failed(e);
      }
    }

    void writeInt(int v) {
      try {
        out.writeFixed32NoTag(v);
      } catch (IOException e) {
        throw failed(e);
      }
    }

    void writeDouble(double d) {
      try {
        out.writeFixed64NoTag(Double.doubleToRawLongBits(d));
      } catch (IOException e) {
        throw failed(e);
      }
    }

    /** A nullable string: its UTF-8 length plus one (0 for null), then the bytes. */
    void writeString(@Nullable String s) {
      if (s == null) {
        writeVarLong(0);
        return;
      }
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      writeVarLong(utf8.length + 1L);
      try {
        out.writeRawBytes(utf8);
      } catch (IOException e) {
        throw failed(e);
      }
    }

    /** The length plus one, or 0 for a null array. */
    private boolean writeLength(Object array, int length) {
      writeVarLong(array == null ? 0 : length + 1L);
      return array != null;
    }

    void writeDoubles(double[] a) {
      if (writeLength(a, a == null ? 0 : a.length)) {
        for (double d : a) {
          writeDouble(d);
        }
      }
    }

    void writeInts(int[] a) {
      if (writeLength(a, a == null ? 0 : a.length)) {
        for (int v : a) {
          writeZigZag(v);
        }
      }
    }

    void writeLongs(long[] a) {
      if (writeLength(a, a == null ? 0 : a.length)) {
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
    private final int length;
    private final CodedInputStream in;

    Reader(byte[] buf) {
      length = buf.length;
      in = CodedInputStream.newInstance(buf);
    }

    boolean atEnd() {
      return remaining() == 0;
    }

    int offset() {
      return in.getTotalBytesRead();
    }

    int remaining() {
      return length - offset();
    }

    /** A damaged or short state, as an IllegalArgumentException naming the byte. */
    private IllegalArgumentException damaged(String what, int at, IOException e) {
      return new IllegalArgumentException(
          "saved state: cannot read "
              + what
              + " at byte "
              + at
              + " of "
              + length
              + " ("
              + e.getMessage()
              + ")",
          e);
    }

    int readByte() {
      int at = offset();
      try {
        return in.readRawByte() & 0xFF;
      } catch (IOException e) {
        throw damaged("a byte", at, e);
      }
    }

    boolean readBoolean() {
      int b = readByte();
      if (b > 1) {
        throw new IllegalArgumentException(
            "saved state: " + b + " is not a boolean, at byte " + (offset() - 1));
      }
      return b == 1;
    }

    long readVarLong() {
      int at = offset();
      try {
        return in.readUInt64();
      } catch (IOException e) {
        throw damaged("a number", at, e);
      }
    }

    long readZigZag() {
      int at = offset();
      try {
        return in.readSInt64();
      } catch (IOException e) {
        throw damaged("a number", at, e);
      }
    }

    int readZigZagInt() {
      long v = readZigZag();
      if (v != (int) v) {
        throw new IllegalArgumentException(
            "saved state: " + v + " does not fit an int, at byte " + offset());
      }
      return (int) v;
    }

    int readInt() {
      int at = offset();
      try {
        return in.readFixed32();
      } catch (IOException e) {
        throw damaged("an int", at, e);
      }
    }

    double readDouble() {
      int at = offset();
      try {
        return Double.longBitsToDouble(in.readFixed64());
      } catch (IOException e) {
        throw damaged("a double", at, e);
      }
    }

    @Nullable String readString() {
      int n = readLength(1, "a string");
      if (n < 0) {
        return null;
      }
      int at = offset();
      try {
        return new String(in.readRawBytes(n), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw damaged("a string", at, e);
      }
    }

    /** An array's length (-1 for null), checked against the bytes left at {@code minBytes} each. */
    int readLength(int minBytes, String what) {
      long stored = readVarLong();
      if (stored == 0) {
        return -1;
      }
      long n = stored - 1;
      if (n < 0 || n > remaining() / minBytes) {
        throw new IllegalArgumentException(
            "saved state: "
                + what
                + " of "
                + n
                + " elements at byte "
                + offset()
                + " is longer than the "
                + remaining()
                + " bytes left");
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
