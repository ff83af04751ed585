package dev.plateau.decode;

import static dev.plateau.decode.Frames.bytesOf;
import static dev.plateau.decode.Frames.concat;
import static dev.plateau.decode.Frames.frame;
import static dev.plateau.decode.Frames.frames;
import static dev.plateau.decode.Frames.header;
import static dev.plateau.decode.Frames.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plateau.decode.ReadResult.Corrupt;
import dev.plateau.decode.ReadResult.IncompleteTail;
import dev.plateau.decode.ReadResult.Problem;
import dev.plateau.decode.ReadResult.Record;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RecordReaderTest {
  private static final DecodeLimits SMALL_WINDOW = DecodeLimits.DEFAULTS.withReadBufferSize(64);

  // ---------------------------------------------------------------- helpers

  /** Reads until something other than a record comes; returns the records' payloads. */
  private static List<byte[]> readRecords(RecordReader reader, List<ReadResult> sink)
      throws IOException {
    List<byte[]> out = new ArrayList<>();
    while (true) {
      ReadResult r = reader.next();
      sink.add(r);
      if (!(r instanceof Record record)) {
        return out;
      }
      out.add(bytesOf(record));
    }
  }

  /** Every result until an IncompleteTail, which is included last. */
  private static List<ReadResult> drain(RecordReader reader) throws IOException {
    List<ReadResult> out = new ArrayList<>();
    for (int guard = 0; guard < 100_000; guard++) {
      ReadResult r = reader.next();
      if (r instanceof Record record) {
        // Copy the payload out: the view is only valid until the next call.
        out.add(new Record(record.offset(), record.nextOffset(), ByteBuffer.wrap(bytesOf(record))));
      } else {
        out.add(r);
      }
      if (r instanceof IncompleteTail) {
        return out;
      }
    }
    throw new AssertionError("reader never reached the end of the data");
  }

  private static List<byte[]> payloadsOf(List<ReadResult> results) {
    List<byte[]> out = new ArrayList<>();
    for (ReadResult r : results) {
      if (r instanceof Record record) {
        out.add(bytesOf(record));
      }
    }
    return out;
  }

  private static List<Corrupt> corruptionsOf(List<ReadResult> results) {
    return results.stream().filter(Corrupt.class::isInstance).map(Corrupt.class::cast).toList();
  }

  /** Payload sizes chosen so that no length is a multiple of 256 (see zero-filled handling). */
  private static List<byte[]> somePayloads() {
    return List.of(payload(0, 1), payload(1, 37), payload(2, 0), payload(3, 100), payload(4, 5));
  }

  private static int le32(byte[] bytes, int at) {
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(at);
  }

  // ---------------------------------------------------------------- checksums and framing

  /**
   * Readers that share one set of buffers, one after another over different files, read each as a
   * reader with its own would: nothing of the last file's window (a torn tail, corruption, more
   * bytes than this file has) shows in the next one's records.
   */
  @ParameterizedTest
  @ValueSource(ints = {64, 100, 4096})
  void readersSharingBuffersOneAfterAnotherReadEachFileAsAFreshReader(int window)
      throws IOException {
    DecodeLimits limits = DecodeLimits.DEFAULTS.withReadBufferSize(window);
    java.util.Random random = new java.util.Random(window);
    List<byte[]> files = new ArrayList<>();
    for (int f = 0; f < 40; f++) {
      List<byte[]> payloads = new ArrayList<>();
      for (int i = random.nextInt(6); i > 0; i--) {
        payloads.add(payload(f * 10 + i, random.nextInt(window + 40)));
      }
      byte[] bytes = concat(frames(payloads));
      if (f % 3 == 1 && bytes.length > 20) {
        bytes = Arrays.copyOf(bytes, bytes.length - 1 - random.nextInt(12)); // a torn tail
      }
      if (f % 5 == 2 && bytes.length > 30) {
        bytes[random.nextInt(bytes.length)] ^= 0x10; // corruption somewhere
      }
      files.add(bytes);
    }
    RecordReader.Buffers shared = new RecordReader.Buffers(limits);
    for (int f = 0; f < files.size(); f++) {
      List<ReadResult> fresh = drain(new RecordReader(new MemoryChannel(files.get(f)), 0, limits));
      List<ReadResult> reused =
          drain(new RecordReader(new MemoryChannel(files.get(f)), 0, limits, false, shared));
      assertThat(reused).as("file %d", f).hasSameSizeAs(fresh);
      for (int i = 0; i < fresh.size(); i++) {
        if (fresh.get(i) instanceof Record a) {
          assertThat(reused.get(i)).isInstanceOf(Record.class);
          assertThat(bytesOf((Record) reused.get(i)))
              .as("file %d record %d", f, i)
              .isEqualTo(bytesOf(a));
          assertThat(reused.get(i).toString()).isEqualTo(a.toString());
        } else {
          assertThat(reused.get(i)).as("file %d result %d", f, i).isEqualTo(fresh.get(i));
        }
      }
    }
    assertThatThrownBy(
            () ->
                new RecordReader(
                    new MemoryChannel(), 0, limits.withReadBufferSize(window * 2), false, shared))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("read window");
  }

  @Test
  void maskedCrcOfStandardCheckStringMatchesTensorFlowMask() {
    // CRC32C("123456789") is the standard check value 0xE3069283; TensorFlow masks it as
    // ((crc >>> 15) | (crc << 17)) + 0xa282ead8 = 0xc78ab0e5.
    byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
    assertThat(new MaskedCrc32c().of(check, 0, check.length)).isEqualTo(0xc78ab0e5);
    assertThat(new MaskedCrc32c().of(ByteBuffer.wrap(check))).isEqualTo(0xc78ab0e5);
    assertThat(MaskedCrc32c.mask(0xE3069283)).isEqualTo(0xc78ab0e5);
  }

  @Test
  void maskedCrcOfBufferLeavesItsPositionUnchanged() {
    ByteBuffer buffer = ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5});
    buffer.position(2);
    int crc = new MaskedCrc32c().of(buffer);
    assertThat(buffer.position()).isEqualTo(2);
    assertThat(crc).isEqualTo(new MaskedCrc32c().of(new byte[] {3, 4, 5}, 0, 3));
  }

  @Test
  void recordWriterFramesMatchFramesBuiltByHand() {
    for (byte[] p : somePayloads()) {
      assertThat(frame(p)).isEqualTo(Frames.handFrame(p));
    }
  }

  // ---------------------------------------------------------------- complete records

  @ParameterizedTest(name = "readBufferSize={0}")
  @ValueSource(ints = {16, 64, 65536})
  void completeRecordsAreReadInOrderWithTheirOffsets(int window) throws IOException {
    List<byte[]> payloads = somePayloads();
    List<byte[]> frames = Frames.frames(payloads);
    long[] offsets = Frames.offsets(frames);
    RecordReader reader =
        new RecordReader(
            new MemoryChannel(concat(frames)), 0, DecodeLimits.DEFAULTS.withReadBufferSize(window));
    for (int i = 0; i < payloads.size(); i++) {
      ReadResult r = reader.next();
      assertThat(r).isInstanceOf(Record.class);
      Record record = (Record) r;
      assertThat(record.offset()).isEqualTo(offsets[i]);
      assertThat(record.nextOffset()).isEqualTo(offsets[i + 1]);
      assertThat(bytesOf(record)).isEqualTo(payloads.get(i));
      assertThat(reader.position()).isEqualTo(offsets[i + 1]);
    }
    assertThat(reader.next()).isEqualTo(new IncompleteTail(offsets[payloads.size()], 0, false));
    assertThat(reader.position()).isEqualTo(offsets[payloads.size()]);
  }

  @Test
  void emptyFileIsAnIncompleteTailWithNothingAvailable() throws IOException {
    RecordReader reader = new RecordReader(new MemoryChannel(), 0, DecodeLimits.DEFAULTS);
    assertThat(reader.next()).isEqualTo(new IncompleteTail(0, 0, false));
    assertThat(reader.next()).isEqualTo(new IncompleteTail(0, 0, false));
    assertThat(reader.position()).isZero();
    assertThat(reader.isResyncing()).isFalse();
  }

  @Test
  void zeroLengthRecordIsAValidRecord() throws IOException {
    RecordReader reader =
        new RecordReader(new MemoryChannel(frame(new byte[0])), 0, DecodeLimits.DEFAULTS);
    ReadResult r = reader.next();
    assertThat(r).isInstanceOf(Record.class);
    assertThat(((Record) r).data().remaining()).isZero();
    assertThat(((Record) r).nextOffset()).isEqualTo(16);
  }

  @Test
  void readsFromARealFileChannel(@TempDir Path dir) throws IOException {
    List<byte[]> payloads = somePayloads();
    Path file = dir.resolve("records");
    Files.write(file, concat(Frames.frames(payloads)));
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      List<ReadResult> results = drain(new RecordReader(channel, 0, SMALL_WINDOW));
      assertThat(payloadsOf(results)).containsExactlyElementsOf(payloads);
    }
  }

  // ---------------------------------------------------------------- torn tails

  static Stream<Arguments> windows() {
    return Stream.of(
        Arguments.of("default window", DecodeLimits.DEFAULTS),
        Arguments.of("64-byte window", SMALL_WINDOW),
        Arguments.of("16-byte window", DecodeLimits.DEFAULTS.withReadBufferSize(16)));
  }

  /**
   * For a file cut at every byte position k: exactly the complete records before k, then an
   * IncompleteTail at the start of the cut record with the right number of available bytes and the
   * position unchanged; after appending the rest, the same reader returns the cut record and every
   * later one.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("windows")
  void tornRecordAtEveryByteBoundaryIsNotEmittedAndIsReadOnceTheRestArrives(
      String name, DecodeLimits limits) throws IOException {
    List<byte[]> payloads =
        List.of(payload(0, 3), payload(1, 70), payload(2, 0), payload(3, 150), payload(4, 9));
    List<byte[]> frames = Frames.frames(payloads);
    long[] offsets = Frames.offsets(frames);
    byte[] file = concat(frames);
    for (int k = 0; k <= file.length; k++) {
      MemoryChannel channel = new MemoryChannel(Arrays.copyOf(file, k));
      RecordReader reader = new RecordReader(channel, 0, limits);
      int complete = 0;
      while (complete < payloads.size() && offsets[complete + 1] <= k) {
        complete++;
      }
      for (int i = 0; i < complete; i++) {
        ReadResult r = reader.next();
        assertThat(r).as("cut at %d, record %d", k, i).isInstanceOf(Record.class);
        assertThat(bytesOf((Record) r)).as("cut at %d, record %d", k, i).isEqualTo(payloads.get(i));
      }
      long tailStart = offsets[complete];
      // A partial header is "zero-filled" only when every byte of it present is zero, which
      // happens inside the header of the empty record (length 0 is eight zero bytes).
      boolean zeros = k > tailStart;
      for (long b = tailStart; b < k; b++) {
        zeros &= file[(int) b] == 0;
      }
      ReadResult tail = reader.next();
      assertThat(tail)
          .as("cut at %d", k)
          .isEqualTo(new IncompleteTail(tailStart, k - tailStart, zeros));
      assertThat(reader.position()).as("cut at %d", k).isEqualTo(tailStart);
      // Asking again changes nothing.
      assertThat(reader.next()).as("cut at %d, again", k).isEqualTo(tail);
      assertThat(reader.position()).isEqualTo(tailStart);

      channel.append(file, k, file.length - k);
      for (int i = complete; i < payloads.size(); i++) {
        ReadResult r = reader.next();
        assertThat(r).as("cut at %d, after append, record %d", k, i).isInstanceOf(Record.class);
        assertThat(((Record) r).offset()).isEqualTo(offsets[i]);
        assertThat(bytesOf((Record) r))
            .as("cut at %d, after append, record %d", k, i)
            .isEqualTo(payloads.get(i));
      }
      assertThat(reader.next()).isEqualTo(new IncompleteTail(file.length, 0, false));
    }
  }

  @Test
  void tornRecordGrowingOneByteAtATimeIsEmittedExactlyOnceWhenComplete() throws IOException {
    List<byte[]> payloads = List.of(payload(0, 90), payload(1, 13), payload(2, 200));
    byte[] file = concat(Frames.frames(payloads));
    MemoryChannel channel = new MemoryChannel();
    RecordReader reader = new RecordReader(channel, 0, SMALL_WINDOW);
    List<byte[]> got = new ArrayList<>();
    for (int k = 0; k < file.length; k++) {
      channel.append(file, k, 1);
      ReadResult r;
      while ((r = reader.next()) instanceof Record record) {
        got.add(bytesOf(record));
      }
      assertThat(r).isInstanceOf(IncompleteTail.class);
    }
    assertThat(got).containsExactlyElementsOf(payloads);
  }

  @Test
  void headerOfAllZeroBytesIsAZeroFilledIncompleteTail() throws IOException {
    byte[] first = frame(payload(0, 20));
    byte[] second = frame(payload(1, 30));
    // A network filesystem shows the allocated but unwritten block as zeros.
    MemoryChannel channel = new MemoryChannel(concat(first, new byte[second.length]));
    RecordReader reader = new RecordReader(channel, 0, DecodeLimits.DEFAULTS);
    assertThat(reader.next()).isInstanceOf(Record.class);
    assertThat(reader.next()).isEqualTo(new IncompleteTail(first.length, second.length, true));
    assertThat(reader.position()).isEqualTo(first.length);
    assertThat(reader.isResyncing()).isFalse();
    // Not corruption, however often it is asked.
    assertThat(reader.next()).isEqualTo(new IncompleteTail(first.length, second.length, true));
  }

  @Test
  void zeroFilledBlockWrittenLaterIsReadByANewReaderAtTheStoredPosition() throws IOException {
    byte[] first = frame(payload(0, 20));
    byte[] second = frame(payload(1, 30));
    MemoryChannel channel = new MemoryChannel(concat(first, new byte[second.length]));
    RecordReader reader = new RecordReader(channel, 0, DecodeLimits.DEFAULTS);
    reader.next();
    assertThat(reader.next()).isInstanceOf(IncompleteTail.class);
    long stored = reader.position();

    channel.overwrite(first.length, second);
    RecordReader resumed = new RecordReader(channel, stored, DecodeLimits.DEFAULTS);
    ReadResult r = resumed.next();
    assertThat(r).isInstanceOf(Record.class);
    assertThat(bytesOf((Record) r)).isEqualTo(payload(1, 30));
  }

  @Test
  void zeroFilledBlockWrittenLaterIsReadByTheSameReader() throws IOException {
    byte[] first = frame(payload(0, 20));
    byte[] second = frame(payload(1, 30));
    MemoryChannel channel = new MemoryChannel(concat(first, new byte[second.length]));
    RecordReader reader = new RecordReader(channel, 0, DecodeLimits.DEFAULTS);
    reader.next();
    assertThat(reader.next()).isInstanceOf(IncompleteTail.class);

    channel.overwrite(first.length, second);
    ReadResult r = reader.next();
    assertThat(r).isInstanceOf(Record.class);
    assertThat(bytesOf((Record) r)).isEqualTo(payload(1, 30));
  }

  @Test
  void shortRunOfZeroBytesAtTheEndIsZeroFilled() throws IOException {
    byte[] first = frame(payload(0, 20));
    RecordReader reader =
        new RecordReader(new MemoryChannel(concat(first, new byte[5])), 0, DecodeLimits.DEFAULTS);
    reader.next();
    assertThat(reader.next()).isEqualTo(new IncompleteTail(first.length, 5, true));
  }

  // ---------------------------------------------------------------- corruption and resync

  @ParameterizedTest(name = "{0}")
  @MethodSource("windows")
  void badLengthChecksumIsCorruptionAndEveryLaterRecordIsStillRead(String name, DecodeLimits limits)
      throws IOException {
    List<byte[]> payloads = List.of(payload(0, 10), payload(1, 40), payload(2, 5), payload(3, 80));
    List<byte[]> frames = new ArrayList<>(Frames.frames(payloads));
    long[] offsets = Frames.offsets(frames);
    byte[] file = concat(frames);
    int crcAt = (int) offsets[1] + 8;
    int stored = le32(file, crcAt) ^ 0x00010000;
    file[crcAt + 2] ^= 0x01;
    int computed = new MaskedCrc32c().of(file, (int) offsets[1], 8);

    List<ReadResult> results = drain(new RecordReader(new MemoryChannel(file), 0, limits));

    assertThat(results).hasSize(5);
    assertThat(results.get(1))
        .isEqualTo(
            new Corrupt(
                offsets[1], new Problem.BadLengthChecksum(stored, computed), offsets[2], true));
    assertThat(((Corrupt) results.get(1)).skippedBytes()).isEqualTo(frames.get(1).length);
    assertThat(payloadsOf(results))
        .containsExactly(payloads.get(0), payloads.get(2), payloads.get(3));
    assertThat(results.get(4)).isEqualTo(new IncompleteTail(file.length, 0, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("windows")
  void badDataChecksumIsCorruptionAndTheReaderResyncsToTheNextRecord(
      String name, DecodeLimits limits) throws IOException {
    List<byte[]> payloads = List.of(payload(0, 10), payload(1, 40), payload(2, 5), payload(3, 80));
    List<byte[]> frames = Frames.frames(payloads);
    long[] offsets = Frames.offsets(frames);
    byte[] file = concat(frames);
    int dataAt = (int) offsets[1] + 12;
    file[dataAt + 17] ^= (byte) 0x80;
    int stored = le32(file, dataAt + 40);
    int computed = new MaskedCrc32c().of(file, dataAt, 40);

    List<ReadResult> results = drain(new RecordReader(new MemoryChannel(file), 0, limits));

    assertThat(results.get(1))
        .isEqualTo(
            new Corrupt(
                offsets[1], new Problem.BadDataChecksum(40, stored, computed), offsets[2], true));
    assertThat(payloadsOf(results))
        .containsExactly(payloads.get(0), payloads.get(2), payloads.get(3));
    assertThat(corruptionsOf(results)).hasSize(1);
  }

  @Test
  void badDataChecksumFooterItselfIsCorruption() throws IOException {
    List<byte[]> frames = Frames.frames(List.of(payload(0, 10), payload(1, 11), payload(2, 12)));
    long[] offsets = Frames.offsets(frames);
    byte[] file = concat(frames);
    file[(int) offsets[2] - 1] ^= 0x10; // last byte of the second frame's footer
    List<ReadResult> results = drain(new RecordReader(new MemoryChannel(file), 0, SMALL_WINDOW));
    assertThat(corruptionsOf(results))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.problem()).isInstanceOf(Problem.BadDataChecksum.class);
              assertThat(c.offset()).isEqualTo(offsets[1]);
              assertThat(c.resumeOffset()).isEqualTo(offsets[2]);
            });
    assertThat(payloadsOf(results)).containsExactly(payload(0, 10), payload(2, 12));
  }

  @Test
  void lengthOverTheConfiguredCapIsCorruptionAndTheReaderResyncs() throws IOException {
    DecodeLimits limits = DecodeLimits.DEFAULTS.withMaxRecordLength(50).withReadBufferSize(32);
    List<byte[]> payloads = List.of(payload(0, 50), payload(1, 51), payload(2, 7), payload(3, 49));
    List<byte[]> frames = Frames.frames(payloads);
    long[] offsets = Frames.offsets(frames);
    List<ReadResult> results =
        drain(new RecordReader(new MemoryChannel(concat(frames)), 0, limits));
    assertThat(results.get(1))
        .isEqualTo(new Corrupt(offsets[1], new Problem.LengthOverLimit(51, 50), offsets[2], true));
    assertThat(payloadsOf(results))
        .containsExactly(payloads.get(0), payloads.get(2), payloads.get(3));
  }

  @ParameterizedTest(name = "length field 0x{0}")
  @ValueSource(strings = {"8000000000000000", "ffffffffffffffff", "7fffffffffffffff", "100000000"})
  void hugeLengthFieldWithValidChecksumIsCorruptionWithoutAllocation(String hex)
      throws IOException {
    long length = Long.parseUnsignedLong(hex, 16);
    byte[] before = frame(payload(0, 10));
    byte[] bogus = concat(header(length), payload(9, 30));
    byte[] after = frame(payload(1, 20));
    byte[] file = concat(before, bogus, after);
    // A tiny heap headroom would make any attempt at allocating the length fail loudly anyway;
    // the reader must neither allocate nor throw.
    List<ReadResult> results =
        drain(new RecordReader(new MemoryChannel(file), 0, DecodeLimits.DEFAULTS));
    assertThat(results.get(1))
        .isEqualTo(
            new Corrupt(
                before.length,
                new Problem.LengthOverLimit(length, DecodeLimits.DEFAULT_MAX_RECORD_LENGTH),
                before.length + bogus.length,
                true));
    assertThat(((Corrupt) results.get(1)).describe()).contains(Long.toUnsignedString(length));
    assertThat(payloadsOf(results)).containsExactly(payload(0, 10), payload(1, 20));
  }

  @Test
  void lengthExactlyAtTheCapIsAccepted() throws IOException {
    DecodeLimits limits = DecodeLimits.DEFAULTS.withMaxRecordLength(100).withReadBufferSize(16);
    List<ReadResult> results =
        drain(new RecordReader(new MemoryChannel(frame(payload(0, 100))), 0, limits));
    assertThat(payloadsOf(results)).containsExactly(payload(0, 100));
  }

  @Test
  void falseHeaderInsideGarbageIsNotTakenForARecord() throws IOException {
    // Garbage that holds a header whose length checksum checks but whose data checksum does not:
    // the scan must verify the data too and go on to the real record.
    byte[] before = frame(payload(0, 10));
    byte[] fake = concat(header(5), new byte[] {1, 2, 3, 4, 5}, new byte[] {9, 9, 9, 9});
    byte[] garbage = concat(new byte[] {(byte) 0xde, (byte) 0xad}, fake, new byte[] {7, 7, 7});
    byte[] after = frame(payload(1, 20));
    byte[] file = concat(before, garbage, after);
    List<ReadResult> results = drain(new RecordReader(new MemoryChannel(file), 0, SMALL_WINDOW));
    assertThat(corruptionsOf(results))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.offset()).isEqualTo(before.length);
              assertThat(c.resumeOffset()).isEqualTo(before.length + garbage.length);
              assertThat(c.resynced()).isTrue();
            });
    assertThat(payloadsOf(results)).containsExactly(payload(0, 10), payload(1, 20));
  }

  @Test
  void longStretchOfGarbageIsSkippedAcrossManyReadWindows() throws IOException {
    byte[] garbage = new byte[5000];
    new Random(42).nextBytes(garbage);
    List<byte[]> payloads = List.of(payload(0, 10), payload(1, 300), payload(2, 20));
    byte[] file =
        concat(frame(payloads.get(0)), garbage, frame(payloads.get(1)), frame(payloads.get(2)));
    List<ReadResult> results = drain(new RecordReader(new MemoryChannel(file), 0, SMALL_WINDOW));
    assertThat(corruptionsOf(results)).hasSize(1);
    assertThat(corruptionsOf(results).get(0).skippedBytes()).isEqualTo(garbage.length);
    assertThat(payloadsOf(results)).containsExactlyElementsOf(payloads);
  }

  @Test
  void corruptionFollowedOnlyByGarbageIsReportedOnceAndAValidRecordAppendedLaterIsFound()
      throws IOException {
    byte[] first = frame(payload(0, 10));
    byte[] garbage = new byte[200];
    new Random(7).nextBytes(garbage);
    MemoryChannel channel = new MemoryChannel(concat(first, garbage));
    RecordReader reader = new RecordReader(channel, 0, SMALL_WINDOW);

    assertThat(reader.next()).isInstanceOf(Record.class);
    ReadResult r = reader.next();
    assertThat(r).isInstanceOf(Corrupt.class);
    Corrupt corrupt = (Corrupt) r;
    assertThat(corrupt.offset()).isEqualTo(first.length);
    assertThat(corrupt.resynced()).isFalse();
    assertThat(corrupt.resumeOffset()).isEqualTo(reader.position());
    assertThat(corrupt.resumeOffset()).isBetween((long) first.length, channel.size());
    assertThat(corrupt.describe()).contains("no valid record follows yet");
    assertThat(reader.isResyncing()).isTrue();

    for (int i = 0; i < 3; i++) {
      ReadResult again = reader.next();
      assertThat(again).isInstanceOf(IncompleteTail.class);
      assertThat(((IncompleteTail) again).zeroFilled()).isFalse();
    }
    // More garbage: still no second report.
    byte[] moreGarbage = new byte[100];
    new Random(8).nextBytes(moreGarbage);
    channel.append(moreGarbage);
    assertThat(reader.next()).isInstanceOf(IncompleteTail.class);

    long validAt = channel.size();
    channel.append(frame(payload(1, 33)));
    channel.append(frame(payload(2, 44)));
    ReadResult found = reader.next();
    assertThat(found).isInstanceOf(Record.class);
    assertThat(((Record) found).offset()).isEqualTo(validAt);
    assertThat(bytesOf((Record) found)).isEqualTo(payload(1, 33));
    assertThat(bytesOf((Record) reader.next())).isEqualTo(payload(2, 44));
    assertThat(reader.isResyncing()).isFalse();
    assertThat(reader.next()).isInstanceOf(IncompleteTail.class);
  }

  @Test
  void resyncWaitsAtAValidHeaderWhoseDataIsStillBeingWritten() throws IOException {
    byte[] first = frame(payload(0, 10));
    byte[] garbage = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13};
    byte[] next = frame(payload(1, 100));
    MemoryChannel channel = new MemoryChannel(concat(first, garbage, Arrays.copyOf(next, 30)));
    RecordReader reader = new RecordReader(channel, 0, SMALL_WINDOW);
    reader.next();
    ReadResult r = reader.next();
    assertThat(r).isInstanceOf(Corrupt.class);
    assertThat(((Corrupt) r).resumeOffset()).isEqualTo(first.length + garbage.length);
    assertThat(reader.next())
        .isEqualTo(new IncompleteTail(first.length + garbage.length, 30, false));
    channel.append(next, 30, next.length - 30);
    assertThat(bytesOf((Record) reader.next())).isEqualTo(payload(1, 100));
  }

  @Test
  void corruptionAtOffsetZeroIsSkipped() throws IOException {
    byte[] file =
        concat(new byte[] {42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, frame(payload(0, 10)));
    List<ReadResult> results = drain(new RecordReader(new MemoryChannel(file), 0, SMALL_WINDOW));
    assertThat(results.get(0)).isInstanceOf(Corrupt.class);
    assertThat(((Corrupt) results.get(0)).offset()).isZero();
    assertThat(payloadsOf(results)).containsExactly(payload(0, 10));
  }

  // ---------------------------------------------------------------- large records

  @Test
  void recordsLargerThanTheReadWindowAreReadExactly() throws IOException {
    List<byte[]> payloads = new ArrayList<>();
    for (int size : new int[] {0, 1, 47, 48, 49, 63, 64, 65, 100, 1000, 70_000}) {
      payloads.add(payload(size, size));
    }
    byte[] file = concat(Frames.frames(payloads));
    List<ReadResult> results = drain(new RecordReader(new MemoryChannel(file), 0, SMALL_WINDOW));
    assertThat(payloadsOf(results)).containsExactlyElementsOf(payloads);
    assertThat(corruptionsOf(results)).isEmpty();
  }

  @Test
  void largeRecordCorruptionIsDetectedAndSkipped() throws IOException {
    byte[] big = frame(payload(1, 500));
    big[12 + 250] ^= 1;
    byte[] file = concat(frame(payload(0, 5)), big, frame(payload(2, 300)));
    List<ReadResult> results = drain(new RecordReader(new MemoryChannel(file), 0, SMALL_WINDOW));
    assertThat(corruptionsOf(results))
        .singleElement()
        .satisfies(c -> assertThat(c.problem()).isInstanceOf(Problem.BadDataChecksum.class));
    assertThat(payloadsOf(results)).containsExactly(payload(0, 5), payload(2, 300));
  }

  // ---------------------------------------------------------------- resuming

  @Test
  void newReaderResumingFromAStoredPositionReadsNothingTwice() throws IOException {
    List<byte[]> payloads = IntStream.range(0, 12).mapToObj(i -> payload(i, 5 + 17 * i)).toList();
    byte[] file = concat(Frames.frames(payloads));
    // Writer appends in uneven pieces; after every piece a NEW reader is built at the stored
    // position, as a tailer that reopens the file on every poll does.
    MemoryChannel channel = new MemoryChannel();
    long stored = 0;
    List<byte[]> got = new ArrayList<>();
    Random random = new Random(3);
    int at = 0;
    while (at < file.length) {
      int n = Math.min(file.length - at, 1 + random.nextInt(60));
      channel.append(file, at, n);
      at += n;
      RecordReader reader = new RecordReader(channel, stored, SMALL_WINDOW);
      List<ReadResult> sink = new ArrayList<>();
      got.addAll(readRecords(reader, sink));
      assertThat(sink.get(sink.size() - 1)).isInstanceOf(IncompleteTail.class);
      stored = reader.position();
    }
    assertThat(got).containsExactlyElementsOf(payloads);
    assertThat(stored).isEqualTo(file.length);
  }

  @Test
  void readerStartedAtARecordBoundaryReadsFromThere() throws IOException {
    List<byte[]> payloads = somePayloads();
    List<byte[]> frames = Frames.frames(payloads);
    long[] offsets = Frames.offsets(frames);
    MemoryChannel channel = new MemoryChannel(concat(frames));
    for (int i = 0; i <= payloads.size(); i++) {
      List<ReadResult> results = drain(new RecordReader(channel, offsets[i], SMALL_WINDOW));
      assertThat(payloadsOf(results))
          .containsExactlyElementsOf(payloads.subList(i, payloads.size()));
    }
  }

  @Test
  void negativeStartOffsetIsRejected() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new RecordReader(new MemoryChannel(), -1, DecodeLimits.DEFAULTS))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void limitsRejectNonsense() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> DecodeLimits.DEFAULTS.withReadBufferSize(15))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> DecodeLimits.DEFAULTS.withMaxRecordLength(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---------------------------------------------------------------- bugs

  @ParameterizedTest(name = "length {0}")
  @ValueSource(ints = {Integer.MAX_VALUE, Integer.MAX_VALUE - 4, Integer.MAX_VALUE - 15})
  void lengthNearIntMaxUnderAMaximalCapIsAnIncompleteTailNotAnException(int length) {
    DecodeLimits limits = DecodeLimits.DEFAULTS.withMaxRecordLength(Integer.MAX_VALUE);
    byte[] file = concat(frame(payload(0, 10)), header(length), payload(1, 40));
    RecordReader reader = new RecordReader(new MemoryChannel(file), 0, limits);
    assertThatCode(
            () -> {
              assertThat(reader.next()).isInstanceOf(Record.class);
              assertThat(reader.next()).isEqualTo(new IncompleteTail(26, 52, false));
            })
        .doesNotThrowAnyException();
  }

  @Test
  void recordDataIsAZeroCopyViewOfExactlyThePayload() throws IOException {
    // The contract (ReadResult.Record): a view of the reader's buffer, valid until the next call,
    // so that decoding needs no copy; it spans the payload only, not the framing.
    RecordReader reader =
        new RecordReader(new MemoryChannel(frame(payload(0, 10))), 0, DecodeLimits.DEFAULTS);
    Record record = (Record) reader.next();
    assertThat(record.data().hasArray()).isTrue();
    assertThat(record.data().remaining()).isEqualTo(10);
    assertThat(bytesOf(record)).isEqualTo(payload(0, 10));
  }
}
