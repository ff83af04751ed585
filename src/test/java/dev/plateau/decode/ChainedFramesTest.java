package dev.plateau.decode;

import static dev.plateau.decode.Frames.concat;
import static dev.plateau.decode.Frames.frame;
import static dev.plateau.decode.Frames.payload;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** The one-pass check of many frames' data checksums that {@link RecordReader} relies on. */
class ChainedFramesTest {
  private static final VarHandle INT_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  /** Frames of the given data lengths, in a row, as a file holds them. */
  private static byte[] stream(int... lengths) {
    List<byte[]> frames = new ArrayList<>();
    for (int i = 0; i < lengths.length; i++) {
      frames.add(frame(payload(i, lengths[i])));
    }
    return concat(frames);
  }

  /** Chains the frames in place as the reader does, and returns the pass's CRC32C value. */
  private static int chainedValue(byte[] bytes, int[] lengths, ChainedFrames chain) {
    int at = 0;
    for (int i = 0; i < lengths.length; i++) {
      if (i > 0) {
        INT_LE.set(bytes, at + 8, chain.link(lengths[i]));
      }
      int footer = at + RecordReader.HEADER_LENGTH + lengths[i];
      INT_LE.set(bytes, footer, ChainedFrames.unmask((int) INT_LE.get(bytes, footer)));
      at = footer + RecordReader.FOOTER_LENGTH;
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, RecordReader.HEADER_LENGTH, bytes.length - RecordReader.HEADER_LENGTH);
    return (int) crc.getValue();
  }

  @Test
  void framesThatAllCheckEndInTheCheckedValue() {
    Random random = new Random(24);
    ChainedFrames chain = new ChainedFrames();
    for (int trial = 0; trial < 200; trial++) {
      int[] lengths = new int[1 + random.nextInt(30)];
      for (int i = 0; i < lengths.length; i++) {
        // Some lengths beyond those remembered, and empty data.
        lengths[i] = random.nextInt(10) == 0 ? 1024 + random.nextInt(3000) : random.nextInt(200);
      }
      assertThat(chainedValue(stream(lengths), lengths, chain))
          .isEqualTo(ChainedFrames.VALUE_AFTER_CHECKED_FRAMES);
    }
  }

  @Test
  void anyOneFlippedBitInDataOrFooterIsCaught() {
    int[] lengths = {5, 0, 33, 2000, 17};
    byte[] good = stream(lengths);
    ChainedFrames chain = new ChainedFrames();
    List<int[]> checked = new ArrayList<>(); // [from, to) of each frame's data and footer
    int at = 0;
    for (int length : lengths) {
      int dataStart = at + RecordReader.HEADER_LENGTH;
      checked.add(new int[] {dataStart, dataStart + length + RecordReader.FOOTER_LENGTH});
      at = dataStart + length + RecordReader.FOOTER_LENGTH;
    }
    for (int[] range : checked) {
      for (int i = range[0]; i < range[1]; i++) {
        for (int bit = 0; bit < 8; bit++) {
          byte[] bad = good.clone();
          bad[i] ^= (byte) (1 << bit);
          assertThat(chainedValue(bad, lengths, chain))
              .as("bit %d of byte %d", bit, i)
              .isNotEqualTo(ChainedFrames.VALUE_AFTER_CHECKED_FRAMES);
        }
      }
    }
  }

  @Test
  void unmaskUndoesTensorFlowsMask() {
    Random random = new Random(7);
    for (int i = 0; i < 1000; i++) {
      int crc = random.nextInt();
      assertThat(ChainedFrames.unmask(MaskedCrc32c.mask(crc))).isEqualTo(crc);
    }
  }

  @Test
  void rememberedLinksEqualComputedOnes() {
    ChainedFrames remembering = new ChainedFrames();
    for (int length = 0; length < 1100; length++) {
      int first = remembering.link(length);
      assertThat(remembering.link(length)).isEqualTo(first);
      assertThat(new ChainedFrames().link(length)).isEqualTo(first);
    }
  }
}
