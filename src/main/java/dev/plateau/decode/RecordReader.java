package dev.plateau.decode;

import dev.plateau.decode.ReadResult.Corrupt;
import dev.plateau.decode.ReadResult.IncompleteTail;
import dev.plateau.decode.ReadResult.Problem;
import dev.plateau.decode.ReadResult.Record;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * Reads TFRecord frames from a channel, one at a time, from a given byte offset.
 *
 * <p>A frame is: u64 little-endian data length, u32 masked CRC32C of those 8 bytes, the data, u32
 * masked CRC32C of the data. Both checksums are always verified.
 *
 * <p>The reader is incremental and resumable: {@link #next()} returns a complete {@link Record}, an
 * {@link IncompleteTail} when the file ends inside a frame (the writer has not finished it; the
 * position stays put and a later call continues once the file has grown), or {@link Corrupt}. On
 * corruption the reader scans forward, byte by byte, for the next position where both checksums of
 * a whole frame check, and goes on from there; corruption is reported once even when that scan has
 * to wait for more data.
 *
 * <p>Memory: a fixed read window ({@link DecodeLimits#readBufferSize()}) plus, for a frame larger
 * than the window, one buffer of that frame's exact size, allocated only once the length checksum
 * has checked, the length is within {@link DecodeLimits#maxRecordLength()} and the whole frame is
 * in the file. Files are never mapped.
 *
 * <p>{@link #readAll} gives the same records and outcomes as calling {@link #next()} until it
 * returns something other than a record, without allocating per record: frames that lie whole in
 * the window are checked in place and handed over as a range of the window's array; everything else
 * (a frame across the window's end, a large frame, corruption, the end of the data) goes through
 * {@link #next()}. The data checksums of the frames in the window are checked together, a span of
 * frames at a time, in one CRC32C pass ({@link ChainedFrames}): one pass per frame cost as much as
 * reading the file. When a span does not check, its frames are checked one by one, so the first bad
 * frame is named as {@link #next()} names it.
 *
 * <p>The reader does not own the channel: the caller opens and closes it. Not thread-safe.
 */
public final class RecordReader {
  /** Length (8 bytes) and its checksum (4 bytes). */
  public static final int HEADER_LENGTH = 12;

  /** The data checksum. */
  public static final int FOOTER_LENGTH = 4;

  /** Header plus footer: the bytes a frame adds around its data. */
  public static final int FRAME_OVERHEAD = HEADER_LENGTH + FOOTER_LENGTH;

  /** The largest data a Java array can hold with its footer. */
  private static final int MAX_ARRAY_DATA = Integer.MAX_VALUE - 64;

  private static final ByteBuffer TOO_LARGE_FOR_AN_ARRAY = ByteBuffer.allocate(0);

  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  /**
   * Lengths below this have the masked CRC32C of their 8 length bytes remembered: event files
   * repeat a few record lengths, and the checksum of the same 8 bytes is always the same value.
   */
  private static final int REMEMBERED_LENGTHS = 1024;

  /**
   * Frames are chained and checked ({@link #chainAndCheck}) in spans of about this many bytes, so
   * that they are still in the processor's first-level cache when they are handed over.
   */
  private static final int CHAIN_BYTES = 8 << 10;

  private final SeekableByteChannel channel;
  private final DecodeLimits limits;
  private final MaskedCrc32c crc = new MaskedCrc32c();
  private final CRC32C dataCrc = new CRC32C();
  private final ChainedFrames chain;
  private final ByteBuffer window;

  /** Per length below {@link #REMEMBERED_LENGTHS}: 1 in bit 32 once known, the masked CRC below. */
  private final long[] lengthChecksums;

  /**
   * A reader's read window and its remembered length checksums (a pure function of the length, so
   * valid for any file), to be reused by the readers a caller creates one after another: a daemon
   * tailing a thousand files that each grow every second otherwise allocates (and zeroes) 72 KiB
   * per file per second, most of its garbage. One reader at a time: a new reader takes them over
   * from the last, whose use ends there.
   */
  public static final class Buffers {
    private final ByteBuffer window;
    private final long[] lengthChecksums = new long[REMEMBERED_LENGTHS];
    private final ChainedFrames chain = new ChainedFrames();

    public Buffers(DecodeLimits limits) {
      this.window = ByteBuffer.allocate(limits.readBufferSize()).order(ByteOrder.LITTLE_ENDIAN);
    }
  }

  private long windowStart;
  private long position;
  private boolean resyncing;

  /**
   * A reader positioned at {@code startOffset}, which must be the start of a frame (0 for a new
   * file, or an offset that an earlier reader returned as {@link #position()}).
   */
  public RecordReader(SeekableByteChannel channel, long startOffset, DecodeLimits limits) {
    this(channel, startOffset, limits, false);
  }

  /**
   * A reader at {@code startOffset}; with {@code resyncing} true it starts by scanning for a valid
   * frame, silently, as a reader that reported corruption there and stopped before finding one
   * ({@link #isResyncing()}) would have gone on.
   */
  public RecordReader(
      SeekableByteChannel channel, long startOffset, DecodeLimits limits, boolean resyncing) {
    this(channel, startOffset, limits, resyncing, new Buffers(limits));
  }

  /**
   * A reader at {@code startOffset} that reads through {@code buffers} (see {@link Buffers}): a
   * caller that reads many files in turn allocates its window once, not once per file.
   */
  public RecordReader(
      SeekableByteChannel channel,
      long startOffset,
      DecodeLimits limits,
      boolean resyncing,
      Buffers buffers) {
    if (startOffset < 0) {
      throw new IllegalArgumentException("startOffset must not be negative: " + startOffset);
    }
    if (buffers.window.capacity() != limits.readBufferSize()) {
      throw new IllegalArgumentException(
          "buffers of "
              + buffers.window.capacity()
              + " bytes for a read window of "
              + limits.readBufferSize());
    }
    this.channel = channel;
    this.limits = limits;
    this.window = buffers.window;
    this.lengthChecksums = buffers.lengthChecksums;
    this.chain = buffers.chain;
    this.window.clear();
    this.window.limit(0);
    this.windowStart = startOffset;
    this.position = startOffset;
    this.resyncing = resyncing;
  }

  /**
   * Where the next frame starts: after the last complete record, or where an incomplete tail or the
   * resynchronisation scan stands. Storing this offset and passing it to a new reader resumes
   * without reading anything twice.
   */
  public long position() {
    return position;
  }

  /**
   * Whether the reader is still looking for a valid frame after corruption. Pass it, with {@link
   * #position()}, to the next reader of the file so the same corruption is not reported again.
   */
  public boolean isResyncing() {
    return resyncing;
  }

  /**
   * Reads the frame at {@link #position()}.
   *
   * @throws IOException when the channel cannot be read; the position is unchanged
   */
  public ReadResult next() throws IOException {
    if (resyncing) {
      long found = scanFrom(position);
      if (found < 0) {
        return incomplete(new IncompleteTail(position, available(position), false));
      }
      resyncing = false;
      position = found;
    }
    long start = position;
    Attempt attempt = readAt(start);
    if (attempt.result != null) {
      if (attempt.result instanceof Record record) {
        position = record.nextOffset();
        return record;
      }
      return incomplete((IncompleteTail) attempt.result);
    }
    // Corruption: look for the next frame that checks, starting one byte further.
    resyncing = true;
    long found = scanFrom(start + 1);
    if (found >= 0) {
      resyncing = false;
      position = found;
      return new Corrupt(start, attempt.problem, found, true);
    }
    return new Corrupt(start, attempt.problem, position, false);
  }

  /**
   * Reads records from {@link #position()} on, handing each complete one to {@code sink}, until the
   * file ends inside a frame or a frame is corrupt, and returns that outcome. The records and the
   * outcome are those that calls of {@link #next()} would return; the position moves past each
   * record before the sink is called.
   *
   * @throws IOException when the channel cannot be read; the position is after the last record
   *     handed over
   */
  public ReadResult.Stop readAll(RecordSink sink) throws IOException {
    while (true) {
      if (!resyncing) {
        readInWindow(sink);
      }
      ReadResult result = next();
      if (result instanceof ReadResult.Stop stop) {
        return stop;
      }
      Record record = (Record) result;
      ByteBuffer data = record.data();
      sink.record(
          record.offset(), data.array(), data.arrayOffset() + data.position(), data.remaining());
    }
  }

  /**
   * Hands over the frames that lie whole in the window from {@link #position()} on and check. Stops
   * at the first frame that does not, leaving it to {@link #next()}: a header of zero bytes fails
   * its checksum (the masked CRC32C of eight zero bytes is not zero), so it is left there too.
   *
   * <p>The frames' data checksums are checked together first, in one CRC32C pass ({@link
   * ChainedFrames}); only when that fails are they checked one by one, which finds the first bad
   * frame.
   */
  private void readInWindow(RecordSink sink) {
    byte[] array = window.array();
    int end = window.limit();
    long relative = position - windowStart;
    if (relative < 0 || relative > end) {
      return;
    }
    int at = (int) relative;
    while (true) {
      int checked = chainAndCheck(array, at, end);
      if (checked == at) {
        break;
      }
      handOverChecked(sink, array, at, checked);
      at = checked;
    }
    readOneByOne(sink, array, at, end);
  }

  /**
   * Chains the frames that lie whole in {@code array[from, end)} with valid lengths and length
   * checksums ({@link ChainedFrames}: their footers unmasked and all but the first length checksum
   * replaced by a link, in place) and checks all their data in one pass. Returns where the checked
   * frames end; when the pass fails, the frames are restored as they were and {@code from} is
   * returned.
   */
  private int chainAndCheck(byte[] array, int from, int end) {
    int maxLength = Math.min(limits.maxRecordLength(), array.length);
    int at = from;
    while (end - at >= HEADER_LENGTH && at - from < CHAIN_BYTES) {
      long length = (long) LONG_LE.get(array, at);
      if (length < 0 || length > maxLength || end - at - FRAME_OVERHEAD < length) {
        break;
      }
      int dataLength = (int) length;
      if ((int) INT_LE.get(array, at + 8) != lengthChecksum(dataLength, array, at)) {
        break;
      }
      if (at > from) {
        INT_LE.set(array, at + 8, chain.link(dataLength));
      }
      int footer = at + HEADER_LENGTH + dataLength;
      INT_LE.set(array, footer, ChainedFrames.unmask((int) INT_LE.get(array, footer)));
      at = footer + FOOTER_LENGTH;
    }
    if (at == from) {
      return from;
    }
    int dataStart = from + HEADER_LENGTH;
    dataCrc.reset();
    dataCrc.update(array, dataStart, at - dataStart);
    if ((int) dataCrc.getValue() == ChainedFrames.VALUE_AFTER_CHECKED_FRAMES) {
      return at;
    }
    restore(array, from, at);
    return from;
  }

  /** Puts back the length checksums and masked footers of the chained frames in [from, end). */
  private void restore(byte[] array, int from, int end) {
    for (int at = from; at < end; ) {
      int dataLength = (int) (long) LONG_LE.get(array, at);
      INT_LE.set(array, at + 8, lengthChecksum(dataLength, array, at));
      int footer = at + HEADER_LENGTH + dataLength;
      INT_LE.set(array, footer, MaskedCrc32c.mask((int) INT_LE.get(array, footer)));
      at = footer + FOOTER_LENGTH;
    }
  }

  /**
   * Hands over the frames in [from, checked), which {@link #chainAndCheck} checked. Should the sink
   * throw, the frames not handed over yet are restored, so that the window reads as the file.
   */
  private void handOverChecked(RecordSink sink, byte[] array, int from, int checked) {
    long base = windowStart;
    int at = from;
    try {
      while (at < checked) {
        int dataLength = (int) (long) LONG_LE.get(array, at);
        int next = at + FRAME_OVERHEAD + dataLength;
        position = base + next;
        int frame = at;
        at = next;
        sink.record(base + frame, array, frame + HEADER_LENGTH, dataLength);
      }
    } finally {
      if (at < checked) {
        restore(array, at, checked);
      }
    }
  }

  /**
   * Hands over, one by one, the frames from {@code from} that lie whole in the window and check.
   */
  private void readOneByOne(RecordSink sink, byte[] array, int from, int end) {
    int at = from;
    int maxLength = Math.min(limits.maxRecordLength(), array.length);
    while (end - at >= HEADER_LENGTH) {
      long length = (long) LONG_LE.get(array, at);
      if (length < 0 || length > maxLength || end - at - FRAME_OVERHEAD < length) {
        return;
      }
      int dataLength = (int) length;
      int dataStart = at + HEADER_LENGTH;
      if ((int) INT_LE.get(array, at + 8) != lengthChecksum(dataLength, array, at)
          || (int) INT_LE.get(array, dataStart + dataLength)
              != crc.of(array, dataStart, dataLength)) {
        return;
      }
      long offset = windowStart + at;
      at = dataStart + dataLength + FOOTER_LENGTH;
      position = windowStart + at;
      sink.record(offset, array, dataStart, dataLength);
    }
  }

  private int lengthChecksum(int length, byte[] array, int at) {
    if (length >= REMEMBERED_LENGTHS) {
      return crc.of(array, at, 8);
    }
    long known = lengthChecksums[length];
    if (known != 0) {
      return (int) known;
    }
    int computed = crc.of(array, at, 8);
    lengthChecksums[length] = (1L << 32) | (computed & 0xffffffffL);
    return computed;
  }

  /**
   * At a zero-filled tail ({@link IncompleteTail#zeroFilled()}), looks past the zeros for the next
   * whole record that checks. Zeros with valid records after them may be a block that will never be
   * written (a crash can leave one, and the writer carried on after it): when such a record is
   * found, the zeros are returned as {@link Corrupt} and reading goes on at that record. Returns
   * null, and stays put, when nothing valid follows. The caller decides when zeros have waited long
   * enough to be judged so, since a network filesystem can show a block as zeros for a moment while
   * later blocks have already arrived.
   *
   * @throws IOException when the channel cannot be read; the position is unchanged
   */
  public Corrupt skipZeroFilled() throws IOException {
    long start = position;
    if (resyncing
        || ensure(start, HEADER_LENGTH) < HEADER_LENGTH
        || !allZero((int) (start - windowStart), HEADER_LENGTH)) {
      return null;
    }
    long found;
    try {
      found = scanFrom(start + 1);
    } finally {
      position = start;
    }
    if (found < 0) {
      window.limit(0); // as at any tail: the zeros may yet be written in place
      windowStart = start;
      return null;
    }
    position = found;
    return new Corrupt(start, new Problem.ZeroFilled(), found, true);
  }

  /**
   * Forgets the window before reporting the end of the data: the bytes past it may be rewritten in
   * place (a zero-filled block of a network filesystem) rather than appended.
   */
  private IncompleteTail incomplete(IncompleteTail tail) {
    window.limit(0);
    windowStart = position;
    return tail;
  }

  /** The outcome of reading at one offset: a result, or a problem that calls for a resync. */
  private record Attempt(ReadResult result, Problem problem) {}

  private Attempt readAt(long offset) throws IOException {
    int have = ensure(offset, HEADER_LENGTH);
    int at = (int) (offset - windowStart);
    if (have < HEADER_LENGTH) {
      return new Attempt(new IncompleteTail(offset, have, have > 0 && allZero(at, have)), null);
    }
    if (allZero(at, HEADER_LENGTH)) {
      return new Attempt(new IncompleteTail(offset, available(offset), true), null);
    }
    long length = window.getLong(at);
    int storedLengthCrc = window.getInt(at + 8);
    int lengthCrc = crc.of(window.array(), at, 8);
    if (lengthCrc != storedLengthCrc) {
      return new Attempt(null, new Problem.BadLengthChecksum(storedLengthCrc, lengthCrc));
    }
    if (length < 0 || length > limits.maxRecordLength()) {
      return new Attempt(null, new Problem.LengthOverLimit(length, limits.maxRecordLength()));
    }
    int dataLength = (int) length;
    long frameLength = FRAME_OVERHEAD + length;
    ByteBuffer data = frameData(offset, dataLength);
    if (data == null) {
      return new Attempt(new IncompleteTail(offset, available(offset), false), null);
    }
    if (data == TOO_LARGE_FOR_AN_ARRAY) {
      return new Attempt(null, new Problem.LengthOverLimit(length, MAX_ARRAY_DATA));
    }
    int storedDataCrc = data.getInt(dataLength);
    data.limit(dataLength);
    int dataCrc = crc.of(data);
    if (dataCrc != storedDataCrc) {
      return new Attempt(null, new Problem.BadDataChecksum(length, storedDataCrc, dataCrc));
    }
    return new Attempt(new Record(offset, offset + frameLength, data), null);
  }

  /**
   * The data and footer of the frame at {@code offset} with the given data length, as a buffer
   * positioned at the data (limit after the footer), or null when the file does not hold it all.
   */
  private @Nullable ByteBuffer frameData(long offset, int dataLength) throws IOException {
    long needed = (long) HEADER_LENGTH + dataLength + FOOTER_LENGTH;
    if (needed <= window.capacity()) {
      if (ensure(offset, (int) needed) < needed) {
        return null;
      }
      int at = (int) (offset - windowStart) + HEADER_LENGTH;
      return window.slice(at, dataLength + FOOTER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    }
    // A frame larger than the window: check the file holds it before allocating its buffer.
    long dataStart = offset + HEADER_LENGTH;
    if (channel.size() - dataStart < (long) dataLength + FOOTER_LENGTH) {
      return null;
    }
    if (dataLength > MAX_ARRAY_DATA) {
      return TOO_LARGE_FOR_AN_ARRAY;
    }
    ByteBuffer big = ByteBuffer.allocate(dataLength + FOOTER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    channel.position(dataStart);
    while (big.hasRemaining()) {
      if (channel.read(big) < 0) {
        return null;
      }
    }
    big.flip();
    return big;
  }

  /**
   * Scans from {@code from} for the first offset where a whole frame checks. Returns it, or -1 when
   * none is found before the end of the file; then {@link #position} is where the scan must go on
   * once more bytes have arrived.
   */
  private long scanFrom(long from) throws IOException {
    long offset = from;
    while (true) {
      int have = ensure(offset, HEADER_LENGTH);
      if (have < HEADER_LENGTH) {
        position = offset;
        return -1;
      }
      int at = (int) (offset - windowStart);
      long length = window.getLong(at);
      if (length >= 0
          && length <= limits.maxRecordLength()
          && crc.of(window.array(), at, 8) == window.getInt(at + 8)
          && !allZero(at, HEADER_LENGTH)) {
        ByteBuffer data = frameData(offset, (int) length);
        if (data == null) {
          // A header that checks, with its data still being written: wait for it here.
          position = offset;
          return offset;
        }
        if (data == TOO_LARGE_FOR_AN_ARRAY) {
          offset++;
          continue;
        }
        int stored = data.getInt((int) length);
        data.limit((int) length);
        if (crc.of(data) == stored) {
          return offset;
        }
      }
      offset++;
    }
  }

  /**
   * Makes the window hold {@code count} bytes from {@code offset} when the file has them; returns
   * how many it holds (fewer at the end of the file). {@code count} must fit the window.
   */
  private int ensure(long offset, int count) throws IOException {
    long windowEnd = windowStart + window.limit();
    if (offset >= windowStart && offset + count <= windowEnd) {
      return count;
    }
    if (offset >= windowStart && offset < windowEnd) {
      // Keep the bytes already read from offset on, then fill the rest.
      int keep = (int) (windowEnd - offset);
      window.position((int) (offset - windowStart));
      window.compact();
      window.position(keep);
    } else {
      window.clear();
    }
    windowStart = offset;
    window.limit(window.capacity());
    channel.position(windowStart + window.position());
    while (window.position() < count) {
      int read = channel.read(window);
      if (read < 0) {
        break;
      }
      if (read == 0 && window.hasRemaining()) {
        break;
      }
    }
    window.flip();
    return Math.min(count, window.limit());
  }

  private long available(long offset) throws IOException {
    return Math.max(0, channel.size() - offset);
  }

  private boolean allZero(int at, int count) {
    byte[] array = window.array();
    for (int i = at; i < at + count; i++) {
      if (array[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
