package dev.plateau.decode;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The one-word varint read of steps against the byte-by-byte read. */
class WireReaderTest {
  private static byte[] varintThenFiller(long value, byte filler) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeUInt64NoTag(value);
    out.flush();
    byte[] varint = bytes.toByteArray();
    byte[] padded = Arrays.copyOf(varint, varint.length + 16);
    Arrays.fill(padded, varint.length, padded.length, filler);
    return padded;
  }

  @Test
  void varintOfOneWordEqualsTheByteByByteReadUpToEightBytes() throws IOException {
    Random random = new Random(5);
    WireReader wire = new WireReader();
    for (int i = 0; i < 20_000; i++) {
      long value = random.nextLong() >>> random.nextInt(64);
      byte filler = (byte) random.nextInt(256);
      byte[] array = varintThenFiller(value, filler);
      int next = wire.varint(array, 0, array.length);
      int bits = WireReader.varintBits(WireReader.fixed64(array, 0));
      if (next > 8) {
        assertThat(bits).as("value %d", value).isEqualTo(-1);
        continue;
      }
      assertThat(bits).as("value %d", value).isEqualTo(8 * next);
      assertThat(WireReader.varintOfWord(WireReader.fixed64(array, 0), bits)).isEqualTo(wire.value);
    }
  }
}
