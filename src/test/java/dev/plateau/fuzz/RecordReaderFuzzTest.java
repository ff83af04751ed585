package dev.plateau.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.plateau.decode.DecodeLimits;
import dev.plateau.decode.MaskedCrc32c;
import dev.plateau.decode.ReadResult;
import dev.plateau.decode.ReadResult.Corrupt;
import dev.plateau.decode.ReadResult.IncompleteTail;
import dev.plateau.decode.ReadResult.Record;
import dev.plateau.decode.RecordReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes the TFRecord framing reader over real files: frames, frames with any 64-bit length,
 * damaged frames, zero blocks and raw bytes, with fuzzed read windows and record caps.
 *
 * <p>For every input: only complete, verified records come out (each one's bytes and both checksums
 * are checked here against the file); reading ends within one call per byte; the reader allocates
 * no more than the file's own size and its window (never a length field's claim); a file made only
 * of valid frames reads back as exactly those frames; and a file read while cut at a fuzzed offset,
 * then again after the rest was appended (by a new reader resumed from the first one's position, as
 * the tailer does), gives the same records as reading it whole.
 */
class RecordReaderFuzzTest {
  private static final FuzzRun RUN = new FuzzRun(RecordReaderFuzzTest.class);
  private static Path file;

  @BeforeAll
  static void createFile() throws IOException {
    file = Files.createTempFile("plateau-fuzz-records", ".tfevents");
  }

  @AfterAll
  static void report() throws IOException {
    Files.deleteIfExists(file);
    RUN.report();
  }

  @FuzzTest
  void framingReaderReturnsOnlyVerifiedRecordsAndResumesAcrossAnyCut(FuzzedDataProvider data)
      throws IOException {
    RUN.count();
    DecodeLimits limits =
        DecodeLimits.DEFAULTS
            .withReadBufferSize(data.consumeInt(RecordReader.FRAME_OVERHEAD, 4096))
            .withMaxRecordLength(
                data.consumeBoolean()
                    ? data.consumeInt(1, FramedFile.MAX_PAYLOAD)
                    : data.pickValue(
                        new Integer[] {DecodeLimits.DEFAULT_MAX_RECORD_LENGTH, Integer.MAX_VALUE}));
    int cutChoice = data.consumeInt();
    FramedFile framed = FramedFile.from(data);
    byte[] bytes = framed.bytes();

    Files.write(file, bytes);
    List<Step> whole;
    long allocated;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      // Read once to warm up (class loading and first-use set-up allocate on this thread too),
      // then measure a second reading of the same file.
      readToEnd(new RecordReader(channel, 0, limits), bytes.length);
      long before = Allocations.current();
      whole = readToEnd(new RecordReader(channel, 0, limits), bytes.length);
      allocated = Allocations.current() - before;
    }
    // The window, the file's bytes once more (a frame larger than the window gets a buffer of its
    // own) plus the copies made here, and a small constant per result: nothing in proportion to
    // what a length field claims.
    Allocations.assertWithin(
        allocated,
        (1 << 16) + 2L * limits.readBufferSize() + 2L * bytes.length + 512L * whole.size(),
        "reading a " + bytes.length + "-byte file");
    List<String> records = verify(whole, bytes, limits);
    RUN.reached(records.isEmpty() ? "no record" : "records");
    if (whole.stream().anyMatch(step -> step.result() instanceof Corrupt)) {
      RUN.reached("corruption");
    }

    if (framed.onlyIntactFrames()
        && framed.intactPayloads().stream().allMatch(p -> p.length <= limits.maxRecordLength())) {
      assertThat(whole).noneMatch(step -> step.result() instanceof Corrupt);
      List<String> expected = new ArrayList<>();
      long offset = 0;
      for (byte[] payload : framed.intactPayloads()) {
        expected.add(offset + ":" + HexFormat.of().formatHex(payload));
        offset += RecordReader.FRAME_OVERHEAD + payload.length;
      }
      assertThat(records).containsExactlyElementsOf(expected);
    }

    // The same file, read while it was cut at a fuzzed offset and after the rest arrived.
    int cut = Math.floorMod(cutChoice, bytes.length + 1);
    Files.write(file, Arrays.copyOf(bytes, cut));
    List<String> pieces;
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      RecordReader first = new RecordReader(channel, 0, limits);
      pieces = new ArrayList<>(verify(readToEnd(first, cut), Arrays.copyOf(bytes, cut), limits));
      channel.write(ByteBuffer.wrap(bytes, cut, bytes.length - cut), cut);
      RecordReader resumed =
          new RecordReader(channel, first.position(), limits, first.isResyncing());
      pieces.addAll(verify(readToEnd(resumed, bytes.length), bytes, limits));
    }
    assertThat(pieces).containsExactlyElementsOf(records);
  }

  /**
   * What one call to the reader gave: a record (its offset and a copy of its payload) or a
   * corruption report; {@code position} is where the reader stood before the call.
   */
  private record Step(
      long position, boolean resyncing, ReadResult result, byte[] payload, long positionAfter) {}

  /**
   * Calls the reader until it reports an incomplete tail (included last), failing if that takes
   * more calls than the file has bytes. Only copies payloads: checks come afterwards, so that the
   * allocation measured around this call is the reader's.
   */
  private static List<Step> readToEnd(RecordReader reader, long fileLength) throws IOException {
    List<Step> out = new ArrayList<>();
    while (true) {
      long position = reader.position();
      boolean resyncing = reader.isResyncing();
      ReadResult result = reader.next();
      byte[] payload = null;
      if (result instanceof Record record) {
        payload = new byte[record.data().remaining()];
        record.data().duplicate().get(payload);
      }
      out.add(new Step(position, resyncing, result, payload, reader.position()));
      if (result instanceof IncompleteTail) {
        return out;
      }
      if (out.size() > fileLength + 2) {
        throw new AssertionError(
            "the reader made no progress: " + out.size() + " calls on " + fileLength + " bytes");
      }
    }
  }

  /** Checks every step against the file's bytes; returns the records as offset:hex strings. */
  private static List<String> verify(List<Step> steps, byte[] file, DecodeLimits limits) {
    List<String> records = new ArrayList<>();
    for (Step step : steps) {
      if (step.result() instanceof IncompleteTail tail) {
        assertThat(tail.offset()).isEqualTo(step.positionAfter());
        assertThat(tail.offset() + tail.available()).isLessThanOrEqualTo(file.length);
      } else if (step.result() instanceof Record record) {
        // A reader still scanning after corruption returns the first valid frame it finds.
        if (step.resyncing()) {
          assertThat(record.offset()).isGreaterThanOrEqualTo(step.position());
        } else {
          assertThat(record.offset()).isEqualTo(step.position());
        }
        assertVerifiedFrame(file, record.offset(), step.payload(), limits);
        assertThat(record.nextOffset())
            .isEqualTo(record.offset() + RecordReader.FRAME_OVERHEAD + step.payload().length)
            .isEqualTo(step.positionAfter());
        records.add(record.offset() + ":" + HexFormat.of().formatHex(step.payload()));
      } else if (step.result() instanceof Corrupt corrupt) {
        assertThat(step.resyncing()).isFalse();
        assertThat(corrupt.offset()).isEqualTo(step.position());
        assertThat(corrupt.resumeOffset())
            .isGreaterThan(corrupt.offset())
            .isLessThanOrEqualTo(file.length);
        assertThat(corrupt.describe()).isNotBlank();
      }
    }
    return records;
  }

  /** The frame at {@code offset} of the file holds {@code payload}, and both checksums check. */
  private static void assertVerifiedFrame(
      byte[] file, long offset, byte[] payload, DecodeLimits limits) {
    int at = Math.toIntExact(offset);
    ByteBuffer frame = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(frame.getLong(at)).isEqualTo(payload.length);
    assertThat(payload.length).isLessThanOrEqualTo(limits.maxRecordLength());
    assertThat(frame.getInt(at + 8)).isEqualTo(maskedCrc(file, at, 8));
    assertThat(Arrays.copyOfRange(file, at + 12, at + 12 + payload.length)).isEqualTo(payload);
    assertThat(frame.getInt(at + 12 + payload.length))
        .isEqualTo(maskedCrc(payload, 0, payload.length));
  }

  /** CRC32C from the JDK with TensorFlow's mask: computed apart from the reader's own checksum. */
  private static int maskedCrc(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    return MaskedCrc32c.mask((int) crc.getValue());
  }
}
