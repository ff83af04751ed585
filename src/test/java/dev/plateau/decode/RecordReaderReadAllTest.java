package dev.plateau.decode;

import static dev.plateau.decode.Frames.concat;
import static dev.plateau.decode.Frames.frame;
import static dev.plateau.decode.Frames.payload;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.decode.ReadResult.Corrupt;
import dev.plateau.decode.ReadResult.IncompleteTail;
import dev.plateau.decode.ReadResult.Problem;
import dev.plateau.decode.ReadResult.Record;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link RecordReader#readAll} against {@link RecordReader#next()}, which it must equal. */
class RecordReaderReadAllTest {
  private static final int[] WINDOWS = {16, 64, 700, 65536};

  /** Every result until the first IncompleteTail, records as "offset next hex-of-data". */
  private static List<String> withNext(RecordReader reader) throws IOException {
    List<String> out = new ArrayList<>();
    while (true) {
      ReadResult r = reader.next();
      if (r instanceof Record record) {
        out.add(record.offset() + " " + record.nextOffset() + " " + hex(Frames.bytesOf(record)));
      } else {
        out.add(r.toString());
        if (r instanceof IncompleteTail) {
          out.add("position " + reader.position() + " resyncing " + reader.isResyncing());
          return out;
        }
      }
    }
  }

  private static List<String> withReadAll(RecordReader reader) throws IOException {
    List<String> out = new ArrayList<>();
    while (true) {
      ReadResult.Stop stop =
          reader.readAll(
              (offset, array, start, length) -> {
                long next = offset + RecordReader.FRAME_OVERHEAD + length;
                // The position has moved past the record before the sink is called.
                assertThat(reader.position()).isEqualTo(next);
                out.add(
                    offset
                        + " "
                        + next
                        + " "
                        + hex(Arrays.copyOfRange(array, start, start + length)));
              });
      out.add(stop.toString());
      if (stop instanceof IncompleteTail) {
        out.add("position " + reader.position() + " resyncing " + reader.isResyncing());
        return out;
      }
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  /** A stream of frames with random sizes (some above the window), damaged at random. */
  private static byte[] randomStream(Random random) {
    List<byte[]> parts = new ArrayList<>();
    int frames = 1 + random.nextInt(40);
    for (int i = 0; i < frames; i++) {
      int size = random.nextInt(10) == 0 ? 700 + random.nextInt(2000) : random.nextInt(120);
      byte[] f = frame(payload(random.nextInt(1000), size));
      if (random.nextInt(8) == 0) {
        f[random.nextInt(f.length)] ^= (byte) (1 << random.nextInt(8));
      }
      if (random.nextInt(15) == 0) {
        byte[] garbage = new byte[1 + random.nextInt(50)];
        random.nextBytes(garbage);
        parts.add(garbage);
      }
      parts.add(f);
    }
    if (random.nextInt(5) == 0) {
      parts.add(new byte[random.nextInt(20)]); // a zero-filled tail
    }
    return concat(parts);
  }

  @Test
  void readAllGivesTheRecordsAndOutcomesOfNextOnRandomDamagedAndGrowingStreams()
      throws IOException {
    Random random = new Random(77);
    for (int trial = 0; trial < 400; trial++) {
      byte[] whole = randomStream(random);
      int cut = random.nextInt(whole.length + 1);
      DecodeLimits limits =
          DecodeLimits.DEFAULTS
              .withReadBufferSize(WINDOWS[random.nextInt(WINDOWS.length)])
              .withMaxRecordLength(random.nextBoolean() ? 1 << 20 : 1000);
      MemoryChannel forNext = new MemoryChannel(Arrays.copyOf(whole, cut));
      MemoryChannel forReadAll = new MemoryChannel(Arrays.copyOf(whole, cut));
      RecordReader next = new RecordReader(forNext, 0, limits);
      RecordReader readAll = new RecordReader(forReadAll, 0, limits);
      String what = "trial " + trial + " window " + limits.readBufferSize() + " cut " + cut;
      assertThat(withReadAll(readAll)).as(what).containsExactlyElementsOf(withNext(next));
      // The writer goes on: both readers continue from where they stand.
      byte[] rest = Arrays.copyOfRange(whole, cut, whole.length);
      forNext.append(rest);
      forReadAll.append(rest);
      assertThat(withReadAll(readAll))
          .as(what + " grown")
          .containsExactlyElementsOf(withNext(next));
    }
  }

  @Test
  void twoIdenticalFramesDamagedAlikeInOneWindowAreBothCorruption() throws IOException {
    // Frames checked in one pass (ChainedFrames): the same damage twice must not cancel out.
    byte[] bad = frame(payload(1, 30));
    bad[20] ^= 0x04;
    byte[] whole =
        concat(frame(payload(0, 30)), bad, frame(payload(2, 30)), bad, frame(payload(3, 30)));
    RecordReader next = new RecordReader(new MemoryChannel(whole), 0, DecodeLimits.DEFAULTS);
    RecordReader readAll = new RecordReader(new MemoryChannel(whole), 0, DecodeLimits.DEFAULTS);
    List<String> expected = withNext(next);
    assertThat(expected.stream().filter(line -> line.startsWith("Corrupt"))).hasSize(2);
    assertThat(withReadAll(readAll)).containsExactlyElementsOf(expected);
  }

  @Test
  void aSinkThatThrowsLeavesTheFramesNotHandedOverAsTheFileHasThem() throws IOException {
    List<byte[]> frames = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      frames.add(frame(payload(i, 20 + i)));
    }
    byte[] whole = concat(frames);
    RecordReader reader = new RecordReader(new MemoryChannel(whole), 0, DecodeLimits.DEFAULTS);
    RecordSink failing =
        (offset, array, start, length) -> {
          if (offset > 0) {
            throw new IllegalStateException("the sink gives up");
          }
        };
    try {
      reader.readAll(failing);
    } catch (IllegalStateException expected) {
      // the position is past the record the sink failed on
    }
    RecordReader fresh =
        new RecordReader(new MemoryChannel(whole), reader.position(), DecodeLimits.DEFAULTS);
    assertThat(withNext(reader)).containsExactlyElementsOf(withNext(fresh));
  }

  @Test
  void badLengthChecksumIsFoundEvenForALengthWhoseChecksumIsRemembered() throws IOException {
    List<byte[]> frames = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      frames.add(frame(payload(i, 30)));
    }
    byte[] bad = frame(payload(5, 30));
    bad[9] ^= 0x10; // the stored length checksum
    frames.add(bad);
    frames.add(frame(payload(6, 30)));
    RecordReader reader =
        new RecordReader(new MemoryChannel(concat(frames)), 0, DecodeLimits.DEFAULTS);
    List<Long> offsets = new ArrayList<>();
    ReadResult.Stop stop = reader.readAll((offset, array, start, length) -> offsets.add(offset));
    assertThat(offsets).containsExactly(0L, 46L, 92L, 138L, 184L);
    assertThat(stop).isInstanceOf(Corrupt.class);
    Corrupt corrupt = (Corrupt) stop;
    assertThat(corrupt.offset()).isEqualTo(230);
    assertThat(corrupt.problem()).isInstanceOf(Problem.BadLengthChecksum.class);
    assertThat(corrupt.resumeOffset()).isEqualTo(276);
  }

  @Test
  void maskedChecksumOfAZeroLengthFieldIsNotZero() {
    // readAll relies on this: a header of zero bytes fails its checksum in the window and is left
    // to next(), which reports it as a zero-filled tail.
    assertThat(new MaskedCrc32c().of(new byte[8], 0, 8)).isNotZero();
  }

  @Test
  void zeroFilledBlockAfterRecordsIsAZeroFilledTailThroughReadAll() throws IOException {
    byte[] file = concat(frame(payload(0, 10)), frame(payload(1, 20)), new byte[64]);
    RecordReader reader = new RecordReader(new MemoryChannel(file), 0, DecodeLimits.DEFAULTS);
    List<Long> offsets = new ArrayList<>();
    ReadResult.Stop stop = reader.readAll((offset, array, start, length) -> offsets.add(offset));
    assertThat(offsets).containsExactly(0L, 26L);
    assertThat(stop).isEqualTo(new IncompleteTail(62, 64, true));
  }
}
