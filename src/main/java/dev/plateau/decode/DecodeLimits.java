package dev.plateau.decode;

/**
 * Explicit limits of the decoders, in one place so that each can be configured and tested.
 *
 * @param maxRecordLength the largest record payload accepted, in bytes (default 64 MiB). A length
 *     field above it is treated as corruption: no buffer of that size is ever allocated.
 * @param readBufferSize the size of the read window over a file, in bytes (default 64 KiB). Records
 *     larger than the window are read into a buffer of their own exact size.
 * @param maxTagLength the longest tag kept, in bytes (default 4 KiB); longer tags are cut and
 *     reported.
 * @param maxTagsPerFile the most distinct tags kept from one file (default 10,000): values of
 *     further new tags are skipped and reported once per file, so one event of 100,000 tags costs
 *     neither 100,000 series nor a tag table of that size in the saved state.
 */
public record DecodeLimits(
    int maxRecordLength, int readBufferSize, int maxTagLength, int maxTagsPerFile) {
  /** 64 MiB, as the issue and TensorFlow's own readers expect for event files. */
  public static final int DEFAULT_MAX_RECORD_LENGTH = 64 << 20;

  public static final int DEFAULT_READ_BUFFER_SIZE = 64 << 10;
  public static final int DEFAULT_MAX_TAG_LENGTH = 4 << 10;
  public static final int DEFAULT_MAX_TAGS_PER_FILE = 10_000;

  public static final DecodeLimits DEFAULTS =
      new DecodeLimits(
          DEFAULT_MAX_RECORD_LENGTH,
          DEFAULT_READ_BUFFER_SIZE,
          DEFAULT_MAX_TAG_LENGTH,
          DEFAULT_MAX_TAGS_PER_FILE);

  public DecodeLimits {
    if (maxRecordLength < 1) {
      throw new IllegalArgumentException(
          "maxRecordLength must be at least 1 byte, got " + maxRecordLength);
    }
    if (readBufferSize < RecordReader.HEADER_LENGTH + RecordReader.FOOTER_LENGTH) {
      throw new IllegalArgumentException(
          "readBufferSize must be at least 16 bytes, got " + readBufferSize);
    }
    if (maxTagLength < 1) {
      throw new IllegalArgumentException("maxTagLength must be at least 1, got " + maxTagLength);
    }
    if (maxTagsPerFile < 1) {
      throw new IllegalArgumentException(
          "maxTagsPerFile must be at least 1, got " + maxTagsPerFile);
    }
  }

  /** Limits with the default number of tags per file. */
  public DecodeLimits(int maxRecordLength, int readBufferSize, int maxTagLength) {
    this(maxRecordLength, readBufferSize, maxTagLength, DEFAULT_MAX_TAGS_PER_FILE);
  }

  /** The same limits with another maximum record length. */
  public DecodeLimits withMaxRecordLength(int bytes) {
    return new DecodeLimits(bytes, readBufferSize, maxTagLength, maxTagsPerFile);
  }

  /** The same limits with another read window size. */
  public DecodeLimits withReadBufferSize(int bytes) {
    return new DecodeLimits(maxRecordLength, bytes, maxTagLength, maxTagsPerFile);
  }

  /** The same limits with another number of distinct tags kept per file. */
  public DecodeLimits withMaxTagsPerFile(int tags) {
    return new DecodeLimits(maxRecordLength, readBufferSize, maxTagLength, tags);
  }
}
