package dev.plateau.decode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.proto.DataType;
import dev.plateau.write.EventFileWriter;
import dev.plateau.write.TensorStorage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which events the fast path takes on files written the way writers write them: all but the
 * file_version event and the first value of each tag (whose text is made, and checked, once by the
 * generated-class path). If the fast path stopped taking them, decoding would still be right but
 * slow; these tests notice.
 */
class FastPathUseTest {
  private static final List<String> TAGS = List.of("loss", "accuracy", "val/loss", "lr");
  private static final int STEPS = 100;

  private static byte[] writeFile(boolean tensors) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (EventFileWriter writer = new EventFileWriter(out, 1.7e9)) {
      for (int step = 0; step < STEPS; step++) {
        for (String tag : TAGS) {
          if (tensors) {
            writer.tensorScalar(
                tag,
                step,
                1.7e9 + step,
                DataType.DT_FLOAT,
                TensorStorage.TENSOR_CONTENT,
                step / 7.0);
          } else {
            writer.simpleValue(tag, step, 1.7e9 + step, step / 7.0f);
          }
        }
      }
    }
    return out.toByteArray();
  }

  private static EventDecoder decodeAll(byte[] file, EventDecoder decoder, CallLog log)
      throws IOException {
    RecordReader reader = new RecordReader(new MemoryChannel(file), 0, DecodeLimits.DEFAULTS);
    reader.readAll((offset, array, start, length) -> log.decode(decoder, array, start, length));
    return decoder;
  }

  @Test
  void simpleValueFileGoesToTheReferenceOnlyForItsVersionAndEachTagsFirstValue()
      throws IOException {
    CallLog log = new CallLog();
    EventDecoder decoder =
        decodeAll(writeFile(false), new EventDecoder(DecodeLimits.DEFAULTS), log);
    int events = 1 + TAGS.size() * STEPS;
    assertThat(decoder.pathCounts())
        .isEqualTo(new DecodePathCounts(events - 1 - TAGS.size(), 1 + TAGS.size()));
    assertThat(log.calls).filteredOn(c -> c.startsWith("scalar")).hasSize(TAGS.size() * STEPS);
  }

  @Test
  void tensorFileGoesToTheReferenceOnlyForItsVersionAndEachTagsFirstValue() throws IOException {
    CallLog log = new CallLog();
    EventDecoder decoder = decodeAll(writeFile(true), new EventDecoder(DecodeLimits.DEFAULTS), log);
    int events = 1 + TAGS.size() * STEPS;
    assertThat(decoder.pathCounts())
        .isEqualTo(new DecodePathCounts(events - 1 - TAGS.size(), 1 + TAGS.size()));
    assertThat(decoder.knownTags())
        .isEqualTo(Map.of("loss", true, "accuracy", true, "val/loss", true, "lr", true));
    assertThat(log.calls).filteredOn(c -> c.startsWith("scalar")).hasSize(TAGS.size() * STEPS);
  }

  @Test
  void decoderResumedWithKnownTagsTakesTheFastPathFromTheSecondValueOfEachTag() throws IOException {
    byte[] file = writeFile(true);
    EventDecoder first = decodeAll(file, new EventDecoder(DecodeLimits.DEFAULTS), new CallLog());
    // A decoder resumed after a restart knows the tags are scalars but has no tag text yet.
    CallLog resumed = new CallLog();
    EventDecoder second =
        decodeAll(file, new EventDecoder(DecodeLimits.DEFAULTS, first.knownTags()), resumed);
    CallLog reference = new CallLog();
    decodeAll(file, EventDecoder.referenceOnly(DecodeLimits.DEFAULTS), reference);
    assertThat(resumed.calls).containsExactlyElementsOf(reference.calls);
    assertThat(second.pathCounts().reference()).isEqualTo(1 + TAGS.size());
  }

  @Test
  void referenceOnlyDecoderNeverTakesTheFastPath() throws IOException {
    EventDecoder decoder =
        decodeAll(
            writeFile(false), EventDecoder.referenceOnly(DecodeLimits.DEFAULTS), new CallLog());
    assertThat(decoder.pathCounts()).isEqualTo(new DecodePathCounts(0, 1 + TAGS.size() * STEPS));
  }

  @Test
  void directBuffersAreDecodedByTheReference() throws Exception {
    byte[] file = writeFile(false);
    EventDecoder decoder = new EventDecoder(DecodeLimits.DEFAULTS);
    RecordReader reader = new RecordReader(new MemoryChannel(file), 0, DecodeLimits.DEFAULTS);
    ReadResult r;
    int records = 0;
    while ((r = reader.next()) instanceof ReadResult.Record record) {
      ByteBuffer direct = ByteBuffer.allocateDirect(record.data().remaining());
      direct.put(record.data().duplicate()).flip();
      decoder.decode(direct, new CallLog());
      records++;
    }
    assertThat(decoder.pathCounts()).isEqualTo(new DecodePathCounts(0, records));
  }
}
