package dev.plateau.decode;

import java.nio.ByteBuffer;

/** What {@link RecordReader#next()} found at the reader's position. */
public sealed interface ReadResult {

  /**
   * What ends a run of records in {@link RecordReader#readAll}: the file ends inside a frame, or a
   * frame is corrupt.
   */
  sealed interface Stop extends ReadResult {}

  /**
   * A complete record whose length and data checksums both check.
   *
   * @param offset where the record's header starts
   * @param nextOffset where the next record starts (offset + 16 + data length)
   * @param data the payload: a view of the reader's own buffer (so decoding needs no copy), valid
   *     until the next call to the reader; callers must not write to it
   */
  record Record(long offset, long nextOffset, ByteBuffer data) implements ReadResult {}

  /**
   * The file ends before the record at {@code offset} is complete: the writer has not finished it.
   * The reader stays at {@code offset}; calling again after the file has grown continues.
   *
   * @param offset where the incomplete record starts; also the reader's position
   * @param available how many bytes of it are in the file now
   * @param zeroFilled true when the header read as all zero bytes, as network filesystems show
   *     blocks that are allocated but not written yet
   */
  record IncompleteTail(long offset, long available, boolean zeroFilled) implements Stop {}

  /**
   * Bytes at {@code offset} are not a valid record. The reader has already scanned forward for the
   * next position where a whole record checks ({@code resumeOffset}); when {@code resynced} is
   * false, none was found yet and scanning goes on from {@code resumeOffset} on the next calls
   * (without reporting this corruption again).
   *
   * @param offset where the bad record starts
   * @param problem what was wrong
   * @param resumeOffset where reading goes on
   * @param resynced whether {@code resumeOffset} is the start of a verified record
   */
  record Corrupt(long offset, Problem problem, long resumeOffset, boolean resynced)
      implements Stop {

    /** How many bytes were (or so far are) skipped. */
    public long skippedBytes() {
      return resumeOffset - offset;
    }

    /** A sentence for a log line (the caller adds the file name). */
    public String describe() {
      String what = problem.describe();
      if (resynced) {
        return String.format(
            "corrupt record at offset %d (%s); skipped %d bytes to the next valid record at offset %d",
            offset, what, skippedBytes(), resumeOffset);
      }
      return String.format(
          "corrupt record at offset %d (%s); no valid record follows yet, scanning goes on from offset %d",
          offset, what, resumeOffset);
    }
  }

  /** The kinds of corruption the framing can show. */
  sealed interface Problem {
    String describe();

    /** The masked CRC32C of the 8 length bytes does not match. */
    record BadLengthChecksum(int expected, int actual) implements Problem {
      @Override
      public String describe() {
        return String.format(
            "bad length checksum: stored 0x%08x, computed 0x%08x", expected, actual);
      }
    }

    /** The masked CRC32C of the data does not match. */
    record BadDataChecksum(long length, int expected, int actual) implements Problem {
      @Override
      public String describe() {
        return String.format(
            "bad data checksum over %d bytes: stored 0x%08x, computed 0x%08x",
            length, expected, actual);
      }
    }

    /**
     * A header of zero bytes with a valid record after it: a block that was never written (a crash
     * can leave one, and the writer went on after it), found by {@link
     * RecordReader#skipZeroFilled()}.
     */
    record ZeroFilled() implements Problem {
      @Override
      public String describe() {
        return "zero bytes where a record should start: a block that was never written";
      }
    }

    /** The length field checks but is above the configured cap. */
    record LengthOverLimit(long length, long limit) implements Problem {
      @Override
      public String describe() {
        return String.format(
            "record length %s is above the limit of %d bytes",
            Long.toUnsignedString(length), limit);
      }
    }
  }
}
