package dev.plateau.tail;

import dev.plateau.decode.MaskedCrc32c;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import org.jspecify.annotations.Nullable;

/**
 * Identifies an event file by its first record: the frame's length and its CRC32C. The first record
 * of an event file holds the writer's start time, so two files, or a file and its replacement under
 * the same name, differ in it.
 *
 * @param length the first frame's length in bytes, header and footer included
 * @param crc masked CRC32C of those bytes
 */
public record FileFingerprint(int length, int crc) {

  /**
   * The fingerprint of the frame at the start of {@code channel} spanning {@code length} bytes, or
   * null when the file is shorter than that.
   */
  public static @Nullable FileFingerprint read(SeekableByteChannel channel, int length)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    channel.position(0);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        return null;
      }
    }
    return new FileFingerprint(length, new MaskedCrc32c().of(buffer.array(), 0, length));
  }

  /** Whether {@code channel} still starts with the same first frame. */
  public boolean matches(SeekableByteChannel channel) throws IOException {
    return this.equals(read(channel, length));
  }
}
