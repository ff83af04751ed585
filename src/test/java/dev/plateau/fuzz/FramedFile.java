package dev.plateau.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import dev.plateau.decode.MaskedCrc32c;
import dev.plateau.write.RecordWriter;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A TFRecord file built from fuzzer data out of pieces a coverage-guided fuzzer could not produce
 * by mutating bytes alone: whole frames with valid checksums (CRC32C is out of a fuzzer's reach),
 * headers with a valid length checksum around any 64-bit length (2^63, 2^40 ...), frames with one
 * byte flipped, zero-filled blocks, and raw bytes.
 *
 * @param bytes the file's content
 * @param intactPayloads the payloads of the whole, valid frames, in order
 * @param onlyIntactFrames whether the file is nothing but valid frames (then reading it must give
 *     exactly {@code intactPayloads})
 */
record FramedFile(byte[] bytes, List<byte[]> intactPayloads, boolean onlyIntactFrames) {
  /** At most this many pieces, so that one input stays cheap to run. */
  static final int MAX_PIECES = 48;

  /** The longest payload of one piece. */
  static final int MAX_PAYLOAD = 2048;

  /** Reads a file description from the fuzzer's data (consumes all but what the caller left). */
  static FramedFile from(FuzzedDataProvider data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RecordWriter writer = new RecordWriter(out);
    List<byte[]> intact = new ArrayList<>();
    boolean onlyIntact = true;
    int pieces = data.consumeInt(0, MAX_PIECES);
    for (int i = 0; i < pieces && data.remainingBytes() > 0; i++) {
      int kind = data.consumeInt(0, 5);
      switch (kind) {
        case 0, 1 -> {
          byte[] payload = data.consumeBytes(data.consumeInt(0, MAX_PAYLOAD));
          intact.add(payload);
          out.writeBytes(writer.frame(payload));
        }
        case 2 -> {
          // A header whose length checksum checks, around a length the fuzzer picks.
          long length = data.consumeBoolean() ? 1L << data.consumeInt(0, 63) : data.consumeLong();
          out.writeBytes(header(length));
          out.writeBytes(data.consumeBytes(data.consumeInt(0, MAX_PAYLOAD)));
          onlyIntact = false;
        }
        case 3 -> {
          byte[] frame = writer.frame(data.consumeBytes(data.consumeInt(0, MAX_PAYLOAD)));
          int at = data.consumeInt(0, frame.length - 1);
          frame[at] ^= (byte) data.consumeInt(1, 255);
          out.writeBytes(frame);
          onlyIntact = false;
        }
        case 4 -> {
          out.writeBytes(new byte[data.consumeInt(1, MAX_PAYLOAD)]);
          onlyIntact = false;
        }
        default -> {
          out.writeBytes(data.consumeBytes(data.consumeInt(1, MAX_PAYLOAD)));
          onlyIntact = false;
        }
      }
    }
    return new FramedFile(out.toByteArray(), intact, onlyIntact);
  }

  /** A 12-byte header for any 64-bit {@code length}, with a valid length checksum. */
  static byte[] header(long length) {
    ByteBuffer h = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    h.putLong(0, length);
    h.putInt(8, new MaskedCrc32c().of(h.array(), 0, 8));
    return h.array();
  }
}
