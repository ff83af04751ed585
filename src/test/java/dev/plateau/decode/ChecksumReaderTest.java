package dev.plateau.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChecksumReaderTest {

  /** CRC32C bit by bit (reflected polynomial 0x82F63B78), independent of java.util.zip. */
  private static int crc32cBitwise(byte[] bytes) {
    int crc = 0xffffffff;
    for (byte b : bytes) {
      crc ^= b & 0xff;
      for (int k = 0; k < 8; k++) {
        crc = (crc >>> 1) ^ (0x82F63B78 & -(crc & 1));
      }
    }
    return ~crc;
  }

  @Test
  void bitwiseReferenceGivesTheStandardCheckValue() {
    assertThat(crc32cBitwise("123456789".getBytes())).isEqualTo(0xE3069283);
  }

  @Test
  void checksumCoversEveryByteOfARealFile(@TempDir Path dir) throws IOException {
    byte[] bytes = new byte[300_001];
    new Random(5).nextBytes(bytes);
    Path file = dir.resolve("data");
    Files.write(file, bytes);
    DecodeLimits limits = DecodeLimits.DEFAULTS.withReadBufferSize(4096);
    try (FileChannel channel = FileChannel.open(file)) {
      ChecksumReader.Checksum checksum = ChecksumReader.read(channel, limits);
      assertThat(checksum.bytes()).isEqualTo(bytes.length);
      assertThat(checksum.crc32c()).isEqualTo(crc32cBitwise(bytes));
    }
  }

  @Test
  void readsInWindowsOfTheDecodersReadBufferSize() throws IOException {
    byte[] bytes = new byte[10_000];
    new Random(6).nextBytes(bytes);
    MemoryChannel channel = new MemoryChannel(bytes);
    ChecksumReader.Checksum checksum =
        ChecksumReader.read(channel, DecodeLimits.DEFAULTS.withReadBufferSize(1000));
    assertThat(checksum.crc32c()).isEqualTo(crc32cBitwise(bytes));
    // Ten full windows, then the read that finds the end.
    assertThat(channel.reads()).isEqualTo(11);
  }

  @Test
  void emptyChannelHasTheChecksumOfNothing() throws IOException {
    ChecksumReader.Checksum checksum =
        ChecksumReader.read(new MemoryChannel(), DecodeLimits.DEFAULTS);
    assertThat(checksum).isEqualTo(new ChecksumReader.Checksum(0, crc32cBitwise(new byte[0])));
  }
}
