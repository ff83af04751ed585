package dev.plateau.fuzz;

import dev.plateau.decode.DecodeLimits;
import dev.plateau.decode.ReadResult;
import dev.plateau.decode.RecordReader;
import dev.plateau.testing.SharedFixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Seeds for the decoding fuzz test from the real event files of the shared fixtures: the first
 * records of each file (TensorFlow, Keras, PyTorch Lightning, tensorboardX writers), joined with
 * the test's record separator. Small records only, so that seeds stay within the fuzzer's input
 * length.
 */
final class RealRecords {
  private static final int RECORDS_PER_FILE = 6;
  private static final int MAX_RECORD = 1024;

  private RealRecords() {}

  /** One seed per fixture event file; none when the fixtures are not there (outside CI). */
  static List<byte[]> seeds() throws IOException {
    List<byte[]> seeds = new ArrayList<>();
    Optional<Path> fixtures = SharedFixtures.find("fixtures");
    if (fixtures.isEmpty()) {
      return seeds;
    }
    Path root = fixtures.get();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(p -> p.getFileName().toString().contains("tfevents")).sorted().toList();
    }
    for (Path file : files) {
      List<byte[]> records = firstRecords(file);
      if (records.isEmpty()) {
        continue;
      }
      ByteArrayOutputStream seed = new ByteArrayOutputStream();
      seed.write('S'); // not below 32: the default limits
      for (int i = 0; i < records.size(); i++) {
        if (i > 0) {
          seed.writeBytes(EventDecoderFuzzTest.SEPARATOR);
        }
        seed.writeBytes(records.get(i));
      }
      seeds.add(seed.toByteArray());
    }
    return seeds;
  }

  private static List<byte[]> firstRecords(Path file) throws IOException {
    List<byte[]> out = new ArrayList<>();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      RecordReader reader = new RecordReader(channel, 0, DecodeLimits.DEFAULTS);
      for (int read = 0; out.size() < RECORDS_PER_FILE && read < 64; read++) {
        if (!(reader.next() instanceof ReadResult.Record record)) {
          break;
        }
        if (record.data().remaining() <= MAX_RECORD) {
          byte[] bytes = new byte[record.data().remaining()];
          record.data().duplicate().get(bytes);
          out.add(bytes);
        }
      }
    }
    return out;
  }
}
