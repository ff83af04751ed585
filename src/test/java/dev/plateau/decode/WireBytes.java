package dev.plateau.decode;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes protobuf wire format by hand, so tests can build what no generated class writes: fields
 * out of order, repeated singular fields, unknown fields, non-minimal varints, bad lengths.
 */
final class WireBytes {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  static int key(int field, int wireType) {
    return field << 3 | wireType;
  }

  WireBytes varint(long value) {
    while ((value & ~0x7fL) != 0) {
      out.write((int) (value & 0x7f) | 0x80);
      value >>>= 7;
    }
    out.write((int) value);
    return this;
  }

  /** A varint with {@code extra} more 7-bit groups of zeros than needed (at most 10 in all). */
  WireBytes paddedVarint(long value, int extra) {
    List<Integer> groups = new ArrayList<>();
    do {
      groups.add((int) (value & 0x7f));
      value >>>= 7;
    } while (value != 0);
    for (int i = 0; i < extra && groups.size() < 10; i++) {
      groups.add(0);
    }
    for (int i = 0; i < groups.size(); i++) {
      out.write(i < groups.size() - 1 ? groups.get(i) | 0x80 : groups.get(i));
    }
    return this;
  }

  WireBytes fixed32(int value) {
    for (int i = 0; i < 4; i++) {
      out.write(value >>> (8 * i));
    }
    return this;
  }

  WireBytes fixed64(long value) {
    for (int i = 0; i < 8; i++) {
      out.write((int) (value >>> (8 * i)));
    }
    return this;
  }

  WireBytes raw(byte[] bytes) {
    out.writeBytes(bytes);
    return this;
  }

  WireBytes field(int field, int wireType) {
    return varint(key(field, wireType));
  }

  WireBytes lengthDelimited(int field, byte[] bytes) {
    return field(field, 2).varint(bytes.length).raw(bytes);
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  int size() {
    return out.size();
  }
}
