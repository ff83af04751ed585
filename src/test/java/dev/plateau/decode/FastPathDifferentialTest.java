package dev.plateau.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The fast path against the reference (the generated protobuf classes), call for call and bit for
 * bit: on every real event file of the fixtures, and on thousands of generated events with
 * encodings no writer produces.
 */
class FastPathDifferentialTest {

  /** What both decoders made of a file, and how the fast one split the work. */
  record Comparison(List<String> fast, List<String> reference, DecodePathCounts counts) {}

  /** Each fixture file is decoded once for all the tests here. */
  private static final Map<Path, Comparison> COMPARISONS = new ConcurrentHashMap<>();

  private static Comparison decodeBothWays(Path file) throws IOException {
    Comparison known = COMPARISONS.get(file);
    if (known == null) {
      known = decodeBothWaysOnce(file);
      COMPARISONS.put(file, known);
    }
    return known;
  }

  private static Comparison decodeBothWaysOnce(Path file) throws IOException {
    EventDecoder fast = new EventDecoder(DecodeLimits.DEFAULTS);
    EventDecoder reference = EventDecoder.referenceOnly(DecodeLimits.DEFAULTS);
    CallLog fastLog = new CallLog();
    CallLog referenceLog = new CallLog();
    try (FileChannel channel = FileChannel.open(file)) {
      RecordReader reader = new RecordReader(channel, 0, DecodeLimits.DEFAULTS);
      ReadResult result;
      while ((result = reader.next()) instanceof ReadResult.Record record) {
        ByteBuffer data = record.data();
        int start = data.arrayOffset() + data.position();
        fastLog.decode(fast, data.array(), start, data.remaining());
        referenceLog.decode(reference, data.array(), start, data.remaining());
      }
      assertThat(result).isInstanceOf(ReadResult.IncompleteTail.class);
    }
    assertThat(reference.pathCounts().fast()).isZero();
    return new Comparison(fastLog.calls, referenceLog.calls, fast.pathCounts());
  }

  private static List<Path> fixtureFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path root :
        List.of(RealFixturesTest.sharedFixtures(), RealFixturesTest.projectFixtures())) {
      if (Files.isDirectory(root)) {
        try (Stream<Path> walk = Files.walk(root)) {
          walk.filter(p -> p.getFileName().toString().contains("tfevents"))
              .sorted()
              .forEach(files::add);
        }
      }
    }
    return files;
  }

  @TestFactory
  Stream<DynamicTest> everyFixtureFileDecodesToTheSameCallsOnBothPaths() throws IOException {
    List<Path> files = fixtureFiles();
    assumeTrue(!files.isEmpty(), "no fixtures found");
    return files.stream()
        .map(
            file ->
                DynamicTest.dynamicTest(
                    file.getParent().getFileName() + "/" + file.getFileName(),
                    () -> {
                      Comparison c = decodeBothWays(file);
                      assertThat(c.fast()).containsExactlyElementsOf(c.reference());
                    }));
  }

  /**
   * Across the fixtures, which are real writers' files, the fast path must decide nearly every
   * event: only a file's first record (file_version), the events that carry a tag's metadata or
   * first use of a tag, and non-scalar events (hparams, histograms with metadata, source metadata)
   * go to the reference.
   */
  @Test
  void fastPathDecidesNearlyEveryEventOfTheFixtures() throws IOException {
    List<Path> files = fixtureFiles();
    assumeTrue(!files.isEmpty(), "no fixtures found");
    long fast = 0;
    long reference = 0;
    long scalars = 0;
    for (Path file : files) {
      Comparison c = decodeBothWays(file);
      fast += c.counts().fast();
      reference += c.counts().reference();
      scalars += c.reference().stream().filter(call -> call.startsWith("scalar")).count();
    }
    assertThat(scalars).isPositive();
    assertThat((double) fast / (fast + reference)).isGreaterThan(0.95);
  }

  private static final int FILES = 25;
  private static final int EVENTS_PER_FILE = 200;

  /**
   * Generated events, decoded file by file (so tag metadata and warnings carry over between events
   * as in a real file), agree call for call on both paths. The fast path must have decided a good
   * share of them, among them every kind of odd but valid encoding, and none with an unknown field,
   * a dimension name, metadata or malformed bytes.
   */
  @Test
  void randomEventsWithOddEncodingsDecodeToTheSameCallsOnBothPaths() {
    long seed = Long.getLong("plateau.differential.seed", 20250611L);
    // A small tag limit, so that cutting long tags is compared too.
    DecodeLimits limits = new DecodeLimits(1 << 20, 1 << 16, 12);
    RandomEvents events = new RandomEvents(seed);
    Set<String> decidedFast = new TreeSet<>();
    Set<String> leftToReference = new TreeSet<>();
    long fastEvents = 0;
    for (int f = 0; f < FILES; f++) {
      EventDecoder fast = new EventDecoder(limits);
      EventDecoder reference = EventDecoder.referenceOnly(limits);
      for (int e = 0; e < EVENTS_PER_FILE; e++) {
        RandomEvents.Generated event = events.next();
        // Bytes before the event, none after: reading past its end would throw.
        byte[] padded = new byte[event.bytes().length + 3];
        System.arraycopy(event.bytes(), 0, padded, 3, event.bytes().length);
        CallLog fastLog = new CallLog();
        CallLog referenceLog = new CallLog();
        long before = fast.pathCounts().fast();
        fastLog.decode(fast, padded, 3, event.bytes().length);
        referenceLog.decode(reference, event.bytes(), 0, event.bytes().length);
        assertThat(fastLog.calls)
            .as(
                "seed %d file %d event %d: %s %s",
                seed, f, e, event.features(), HexFormat.of().formatHex(event.bytes()))
            .containsExactlyElementsOf(referenceLog.calls);
        boolean wasFast = fast.pathCounts().fast() > before;
        // A malformed event's features describe it before it was damaged.
        Set<String> features =
            event.features().contains("malformed") ? Set.of("malformed") : event.features();
        (wasFast ? decidedFast : leftToReference).addAll(features);
        fastEvents += wasFast ? 1 : 0;
      }
    }
    assertThat(fastEvents).isGreaterThan(FILES * EVENTS_PER_FILE / 3);
    assertThat(decidedFast)
        .contains(
            "out_of_order",
            "repeated_scalar_field",
            "packed",
            "unpacked",
            "multiple_values",
            "empty_tag",
            "node_name",
            "padded_varint",
            "simple_value",
            "tensor",
            "tensor_content",
            "image",
            "metadata",
            "no_summary")
        .doesNotContain(
            "unknown_field",
            "dim_name",
            "two_oneof_members",
            "repeated_message_field",
            "file_version",
            "session_log",
            "graph_def");
    assertThat(leftToReference).contains("unknown_field", "malformed");
  }

  /**
   * Found by the random test: protobuf-java's array decoder (up to 4.32 at least) set bit 63 of
   * every ten-byte varint, even when its tenth byte is 0 (the step here is 5 padded to ten bytes),
   * while its byte-by-byte reader did not; 4.36 reads 5. Writers never end a varint so; the fast
   * path leaves such an event to the generated classes, so both paths report what they report.
   */
  @Test
  void tenByteVarintEndingInAZeroByteIsLeftToTheGeneratedClassesWhichSetBit63() {
    byte[] value =
        new WireBytes()
            .lengthDelimited(1, "loss".getBytes(StandardCharsets.UTF_8))
            .field(2, 5)
            .fixed32(Float.floatToRawIntBits(1f))
            .bytes();
    byte[] summary = new WireBytes().lengthDelimited(1, value).bytes();
    byte[] first =
        new WireBytes()
            .field(1, 1)
            .fixed64(0)
            .field(2, 0)
            .varint(1)
            .lengthDelimited(5, summary)
            .bytes();
    byte[] padded =
        new WireBytes()
            .field(1, 1)
            .fixed64(0)
            .field(2, 0)
            .paddedVarint(5, 9)
            .lengthDelimited(5, summary)
            .bytes();
    assertThat(HexFormat.of().formatHex(padded)).contains("1085808080808080808000");
    EventDecoder fast = new EventDecoder(DecodeLimits.DEFAULTS);
    EventDecoder reference = EventDecoder.referenceOnly(DecodeLimits.DEFAULTS);
    CallLog fastLog = new CallLog();
    CallLog referenceLog = new CallLog();
    for (byte[] event : List.of(first, padded)) {
      fastLog.decode(fast, event, 0, event.length);
      referenceLog.decode(reference, event, 0, event.length);
    }
    assertThat(referenceLog.calls.get(1)).contains("step=5 ");
    assertThat(fastLog.calls).containsExactlyElementsOf(referenceLog.calls);
    // The first event's tag is new: the generated classes read it; the padded one is theirs too.
    assertThat(fast.pathCounts()).isEqualTo(new DecodePathCounts(0, 2));
  }
}
