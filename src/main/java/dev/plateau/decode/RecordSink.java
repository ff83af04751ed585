package dev.plateau.decode;

/**
 * Receives the complete records of {@link RecordReader#readAll}, one call per record, without an
 * object per record: the data is a range of the reader's own array.
 */
@FunctionalInterface
public interface RecordSink {

  /**
   * One record whose length and data checksums both check.
   *
   * @param offset where the record's frame starts in the file; the next frame starts at {@code
   *     offset + RecordReader.FRAME_OVERHEAD + length}
   * @param array holds the data; valid only during this call, and not to be written to
   * @param start where the data starts in {@code array}
   * @param length the data's length in bytes
   */
  void record(long offset, byte[] array, int start, int length);
}
