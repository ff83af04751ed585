package dev.plateau.decode;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The checksum of the TFRecord framing: CRC32C (Castagnoli), masked so that a CRC stored inside
 * data that is itself checksummed does not produce degenerate values.
 *
 * <p>mask(crc) = ((crc &gt;&gt;&gt; 15) | (crc &lt;&lt; 17)) + 0xa282ead8, computed in 32 bits.
 */
public final class MaskedCrc32c {
  private static final int MASK_DELTA = 0xa282ead8;

  private final CRC32C crc = new CRC32C();

  /** Masked CRC32C of {@code length} bytes of {@code array} starting at {@code offset}. */
  public int of(byte[] array, int offset, int length) {
    crc.reset();
    crc.update(array, offset, length);
    return mask((int) crc.getValue());
  }

  /** Masked CRC32C of the remaining bytes of {@code buffer}; its position is left unchanged. */
  public int of(ByteBuffer buffer) {
    crc.reset();
    int position = buffer.position();
    crc.update(buffer);
    buffer.position(position);
    return mask((int) crc.getValue());
  }

  /** Applies TensorFlow's mask to an unmasked CRC32C value. */
  public static int mask(int crc) {
    return ((crc >>> 15) | (crc << 17)) + MASK_DELTA;
  }
}
