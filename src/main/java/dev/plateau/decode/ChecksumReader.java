package dev.plateau.decode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.zip.CRC32C;

/**
 * The least work any decoding of a file must do: read every byte, in windows of the size {@link
 * RecordReader} reads in ({@link DecodeLimits#readBufferSize()}), and compute CRC32C over all of
 * them, nothing else. Its speed over the same bytes is the limit decoding speed is measured against
 * ({@code plateau bench decode}).
 */
public final class ChecksumReader {
  private ChecksumReader() {}

  /**
   * What was read.
   *
   * @param bytes how many bytes the channel gave until its end
   * @param crc32c the (unmasked) CRC32C of all of them, which also keeps the work from being
   *     optimised away
   */
  public record Checksum(long bytes, int crc32c) {}

  /** Reads {@code channel} from its position to its end. */
  public static Checksum read(ReadableByteChannel channel, DecodeLimits limits) throws IOException {
    ByteBuffer window = ByteBuffer.allocate(limits.readBufferSize());
    CRC32C crc = new CRC32C();
    long total = 0;
    while (true) {
      window.clear();
      int read = channel.read(window);
      if (read < 0) {
        return new Checksum(total, (int) crc.getValue());
      }
      crc.update(window.array(), 0, read);
      total += read;
    }
  }
}
