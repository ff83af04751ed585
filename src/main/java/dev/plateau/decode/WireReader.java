package dev.plateau.decode;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads protobuf wire primitives from a byte array, as protobuf's own parser reads them (a varint
 * of up to 10 bytes, the tenth only as writers write it; 32-bit values are its low 32 bits), but
 * without exceptions: a method that finds malformed input returns -1 and the caller gives the
 * record to the generated classes, which report it.
 */
final class WireReader {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LENGTH_DELIMITED = 2;
  static final int FIXED32 = 5;

  private static final int MAX_VARINT_BYTES = 10;

  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle SHORT_LE =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

  /** The varint or length read by the last call of {@link #varint} or {@link #length}. */
  long value;

  /** The wire tag of field {@code number} with {@code wireType}. */
  static int key(int number, int wireType) {
    return number << 3 | wireType;
  }

  /** Reads a varint at {@code at} into {@link #value}; the position after it, or -1. */
  int varint(byte[] array, int at, int end) {
    if (end - at >= 3) {
      // Up to three bytes (values below 2^21: tags, lengths, most steps) without a loop.
      int b0 = array[at];
      if (b0 >= 0) {
        value = b0;
        return at + 1;
      }
      int b1 = array[at + 1];
      if (b1 >= 0) {
        value = (b0 & 0x7f) | b1 << 7;
        return at + 2;
      }
      int b2 = array[at + 2];
      if (b2 >= 0) {
        value = (b0 & 0x7f) | (b1 & 0x7f) << 7 | b2 << 14;
        return at + 3;
      }
    }
    long result = 0;
    for (int i = 0; i < MAX_VARINT_BYTES - 1; i++) {
      if (at >= end) {
        return -1;
      }
      byte b = array[at++];
      result |= (long) (b & 0x7f) << (7 * i);
      if (b >= 0) {
        value = result;
        return at;
      }
    }
    // A tenth byte. Writers write 1 there (bit 63 of a negative value). protobuf's readers
    // disagreed on any other (up to 4.32 at least): its array decoder took the ninth byte's
    // continuation bit as bit 63, its byte-by-byte path added the tenth's bits.
    // Such a varint is left to the generated classes (the reference), which decide.
    if (at >= end || array[at] != 1) {
      return -1;
    }
    value = result | Long.MIN_VALUE;
    return at + 1;
  }

  /**
   * Reads the length of a length-delimited field into {@link #value}; the position of its first
   * byte, or -1 when the length is negative as a 32-bit number or runs past {@code end}.
   */
  int length(byte[] array, int at, int end) {
    int next = varint(array, at, end);
    if (next < 0) {
      return -1;
    }
    int length = (int) value;
    if (length < 0 || length > end - next) {
      return -1;
    }
    value = length;
    return next;
  }

  /**
   * How many bits of {@code word} (8 bytes read little-endian) the varint at its start takes: 8
   * times its length in bytes, or -1 when it is longer than 8 bytes.
   */
  static int varintBits(long word) {
    long ends = ~word & 0x8080808080808080L;
    return ends == 0 ? -1 : Long.numberOfTrailingZeros(ends) + 1;
  }

  /**
   * The value of the varint at the start of {@code word} that takes {@code bits} bits ({@link
   * #varintBits}), as {@link #varint} reads it: its bytes' low 7 bits, least significant first.
   */
  static long varintOfWord(long word, int bits) {
    long v = bits == 64 ? word : word & ((1L << bits) - 1);
    return (v & 0x7fL)
        | (v & 0x7f00L) >>> 1
        | (v & 0x7f0000L) >>> 2
        | (v & 0x7f000000L) >>> 3
        | (v & 0x7f00000000L) >>> 4
        | (v & 0x7f0000000000L) >>> 5
        | (v & 0x7f000000000000L) >>> 6
        | (v & 0x7f00000000000000L) >>> 7;
  }

  static long fixed64(byte[] array, int at) {
    return (long) LONG_LE.get(array, at);
  }

  static int fixed32(byte[] array, int at) {
    return (int) INT_LE.get(array, at);
  }

  static int fixed16(byte[] array, int at) {
    return (short) SHORT_LE.get(array, at) & 0xffff;
  }
}
