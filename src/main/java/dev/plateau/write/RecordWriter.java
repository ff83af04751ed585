package dev.plateau.write;

import dev.plateau.decode.MaskedCrc32c;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes TFRecord frames: length, masked CRC32C of the length, data, masked CRC32C of the data. The
 * inverse of {@link dev.plateau.decode.RecordReader}; used by {@code plateau demo}, the benchmarks
 * and the tests.
 */
public final class RecordWriter {
  private final OutputStream out;
  private final MaskedCrc32c crc = new MaskedCrc32c();
  private final ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
  private final ByteBuffer footer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);

  public RecordWriter(OutputStream out) {
    this.out = out;
  }

  /** Writes one frame around {@code data}. */
  public void write(byte[] data) throws IOException {
    out.write(frame(data));
  }

  /** The bytes of one frame around {@code data}, for callers that write them in pieces. */
  public byte[] frame(byte[] data) {
    header.clear();
    header.putLong(0, data.length);
    header.putInt(8, crc.of(header.array(), 0, 8));
    footer.putInt(0, crc.of(data, 0, data.length));
    byte[] frame = new byte[data.length + 16];
    System.arraycopy(header.array(), 0, frame, 0, 12);
    System.arraycopy(data, 0, frame, 12, data.length);
    System.arraycopy(footer.array(), 0, frame, 12 + data.length, 4);
    return frame;
  }

  public void flush() throws IOException {
    out.flush();
  }
}
