package dev.plateau.decode;

import dev.plateau.write.RecordWriter;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Builds TFRecord frames and payloads for tests, independently of the reader under test. */
public final class Frames {
  private Frames() {}

  /** A frame around {@code data}, as the project's writer makes it. */
  public static byte[] frame(byte[] data) {
    return new RecordWriter(new ByteArrayOutputStream()).frame(data);
  }

  /**
   * A frame written by hand (not with RecordWriter): lets tests cross-check the writer and build
   * headers with any 64-bit length.
   */
  public static byte[] handFrame(byte[] data) {
    byte[] header = header(data.length);
    ByteBuffer out = ByteBuffer.allocate(data.length + 16).order(ByteOrder.LITTLE_ENDIAN);
    out.put(header).put(data).putInt(new MaskedCrc32c().of(data, 0, data.length));
    return out.array();
  }

  /** A 12-byte header for {@code length} (any 64-bit value) with a VALID length checksum. */
  public static byte[] header(long length) {
    ByteBuffer h = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    h.putLong(0, length);
    h.putInt(8, new MaskedCrc32c().of(h.array(), 0, 8));
    return h.array();
  }

  /** A payload of {@code length} bytes whose content names its index (never all zero). */
  public static byte[] payload(int index, int length) {
    byte[] data = new byte[length];
    Random random = new Random(index * 7919L + length);
    random.nextBytes(data);
    if (length > 0) {
      data[0] = (byte) (index + 1);
    }
    return data;
  }

  public static byte[] concat(List<byte[]> parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  public static byte[] concat(byte[]... parts) {
    return concat(List.of(parts));
  }

  /** Offsets where each frame starts, plus the total length at the end. */
  public static long[] offsets(List<byte[]> frames) {
    long[] offsets = new long[frames.size() + 1];
    for (int i = 0; i < frames.size(); i++) {
      offsets[i + 1] = offsets[i] + frames.get(i).length;
    }
    return offsets;
  }

  public static List<byte[]> frames(List<byte[]> payloads) {
    List<byte[]> frames = new ArrayList<>();
    for (byte[] p : payloads) {
      frames.add(frame(p));
    }
    return frames;
  }

  /** The payload bytes of a record, copied out of the reader's buffer. */
  public static byte[] bytesOf(ReadResult.Record record) {
    ByteBuffer data = record.data().duplicate();
    byte[] out = new byte[data.remaining()];
    data.get(out);
    return out;
  }
}
