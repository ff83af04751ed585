package dev.plateau.decode;

/**
 * The arithmetic that lets {@link RecordReader} check the data checksums of many frames with one
 * CRC32C pass instead of one per frame (each pass over a few dozen bytes costs about as much as
 * reading them did).
 *
 * <p>CRC32C over a message followed by its own CRC (little-endian) always ends in the same register
 * value, {@link #REGISTER_AFTER_CHECKED_DATA}. A frame whose footer is unmasked in place ({@link
 * #unmask}) is such a message exactly when its data checksum checks. Between two frames stand the
 * next frame's 8 length bytes and its 4-byte length checksum; writing {@link #link(int)} over the
 * latter (the stored value having been compared first) brings the register back to its initial
 * value, so the next frame's data starts as if alone. One pass from the first frame's data to the
 * last frame's footer then ends in {@link #REGISTER_AFTER_CHECKED_DATA} when every frame checks.
 *
 * <p>When one frame does not, the pass ends elsewhere: what that frame left in the register is
 * carried to the end by an invertible map, so a single bad frame is always found. Two or more bad
 * frames in one pass are missed only if what they left cancels out in 32 bits, as unlikely as one
 * damaged frame matching its own checksum (2<sup>-32</sup> for random damage), and the reader then
 * checks frame by frame to name the first bad one.
 */
final class ChainedFrames {
  /** Castagnoli's polynomial, bit-reversed, as CRC32C processes bits (least significant first). */
  private static final int POLYNOMIAL = 0x82F63B78;

  private static final int MASK_DELTA = 0xa282ead8;

  private static final int INITIAL_REGISTER = 0xFFFFFFFF;

  /**
   * The register after any data followed by its own CRC32C, from the initial register: the CRC is
   * the complement of the register r the data left, and 4 bytes v take a register r to what 32 zero
   * bits make of r ^ v, here all ones.
   */
  static final int REGISTER_AFTER_CHECKED_DATA = zeroBits(0xFFFFFFFF, 32);

  /**
   * {@link java.util.zip.CRC32C#getValue()} (as an int) after a pass over frames that all check:
   * the class reports the complement of its register.
   */
  static final int VALUE_AFTER_CHECKED_FRAMES = ~REGISTER_AFTER_CHECKED_DATA;

  /** The register that 4 zero bytes turn into the initial register. */
  private static final int BEFORE_FOUR_ZEROS_TO_INITIAL = undoZeroBits(INITIAL_REGISTER, 32);

  private static final int[] BYTE_TABLE = new int[256];

  static {
    for (int b = 0; b < 256; b++) {
      BYTE_TABLE[b] = zeroBits(b, 8);
    }
  }

  /** Links for data lengths below this are remembered: event files repeat a few lengths. */
  private static final int REMEMBERED = 1024;

  /** Per length: 1 in bit 32 once known, the link below. */
  private final long[] links = new long[REMEMBERED];

  /**
   * The 4 bytes (as a little-endian int) which, in place of the length checksum of a frame whose
   * data is {@code dataLength} bytes, bring the register from {@link #REGISTER_AFTER_CHECKED_DATA}
   * (the previous frame checked) back to the initial register at the start of this frame's data.
   */
  int link(int dataLength) {
    if (dataLength < REMEMBERED) {
      long known = links[dataLength];
      if (known != 0) {
        return (int) known;
      }
      int computed = computeLink(dataLength);
      links[dataLength] = (1L << 32) | (computed & 0xffffffffL);
      return computed;
    }
    return computeLink(dataLength);
  }

  private static int computeLink(long dataLength) {
    int register = REGISTER_AFTER_CHECKED_DATA;
    for (int i = 0; i < 8; i++) {
      int b = (int) (dataLength >>> (8 * i)) & 0xff;
      register = (register >>> 8) ^ BYTE_TABLE[(register ^ b) & 0xff];
    }
    // Four bytes v take register r to zeroBytes(r ^ v, 4); that must be the initial register.
    return register ^ BEFORE_FOUR_ZEROS_TO_INITIAL;
  }

  /** The CRC32C a masked checksum was made from (the inverse of {@link MaskedCrc32c#mask}). */
  static int unmask(int masked) {
    int rotated = masked - MASK_DELTA;
    return (rotated >>> 17) | (rotated << 15);
  }

  private static int zeroBits(int register, int count) {
    int r = register;
    for (int i = 0; i < count; i++) {
      r = (r >>> 1) ^ (POLYNOMIAL & -(r & 1));
    }
    return r;
  }

  /**
   * The register that {@code count} zero bits turn into {@code register}. A step shifts right and
   * adds the polynomial (whose top bit is set) exactly when the bit shifted out was 1, so the top
   * bit tells which.
   */
  private static int undoZeroBits(int register, int count) {
    int r = register;
    for (int i = 0; i < count; i++) {
      r = r < 0 ? ((r ^ POLYNOMIAL) << 1) | 1 : r << 1;
    }
    return r;
  }
}
