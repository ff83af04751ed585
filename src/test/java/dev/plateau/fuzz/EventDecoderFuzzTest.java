package dev.plateau.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.plateau.decode.DecodeException;
import dev.plateau.decode.DecodeLimits;
import dev.plateau.fuzz.DecoderPaths.RecordDecoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes event and scalar decoding with arbitrary record bytes, seeded with records of the real
 * event files in the shared fixtures (TensorFlow's tensor scalars with their metadata,
 * simple_value, NaN and Infinity, histograms, hparams), with a dictionary of Event fields holding
 * edge values ({@code events.dict}: non-finite wall times, extreme steps, 16-bit dtypes ...).
 *
 * <p>An input is the records of one file, separated by {@link #SEPARATOR}; its first byte, when
 * below 32, sets a tiny tag length limit (so that cutting tags is fuzzed too). Every decoder path
 * ({@link DecoderPaths}) decodes the records in order, with one decoder per path as for a file.
 * Properties: nothing but {@link DecodeException} escapes (its documented failure); decoding
 * allocates in proportion to the bytes really given, never to a length field's claim; and every
 * path reports the same scalars, session starts, file versions and warnings as the first, record by
 * record, as long as both decode the record.
 */
class EventDecoderFuzzTest {
  /** Separates records in an input: bytes that real events hardly ever contain. */
  static final byte[] SEPARATOR = {(byte) 0xff, (byte) 0xfe, 'R', 'S'};

  private static final FuzzRun RUN = new FuzzRun(EventDecoderFuzzTest.class);

  @AfterAll
  static void report() {
    RUN.report();
  }

  /** Records of real files as seeds: a few from the start of each. */
  static Stream<byte[]> realRecords() throws IOException {
    return RealRecords.seeds().stream();
  }

  @DictionaryFile(resourcePath = "events.dict")
  @MethodSource("realRecords")
  @FuzzTest
  void decodersThrowOnlyDecodeExceptionAndAgree(byte[] input) {
    RUN.count();
    DecodeLimits limits = DecodeLimits.DEFAULTS;
    int start = 0;
    if (input.length > 0 && (input[0] & 0xff) < 32) {
      limits = new DecodeLimits(limits.maxRecordLength(), limits.readBufferSize(), input[0] + 1);
      start = 1;
    }
    List<byte[]> records = split(input, start);

    List<List<Outcome>> byPath = new ArrayList<>();
    for (DecoderPaths.Path path : DecoderPaths.ALL) {
      decodeAll(path.forFile().apply(limits), records); // warm-up: class loading allocates too
      long before = Allocations.current();
      List<Outcome> outcomes = decodeAll(path.forFile().apply(limits), records);
      Allocations.assertWithin(
          Allocations.current() - before,
          (64 << 10) + 512L * input.length,
          path.name() + " decoding " + records.size() + " records of " + input.length + " bytes");
      byPath.add(outcomes);
    }
    List<Outcome> reference = byPath.get(0);
    for (Outcome outcome : reference) {
      boolean scalars = outcome.seen().stream().anyMatch(seen -> seen instanceof SeenEvents.Scalar);
      RUN.reached(
          outcome.failed() ? "not an event" : scalars ? "scalars" : "event without scalars");
    }
    for (int p = 1; p < byPath.size(); p++) {
      List<Outcome> other = byPath.get(p);
      for (int r = 0; r < records.size(); r++) {
        if (reference.get(r).failed() != other.get(r).failed()) {
          break; // From here on the decoders' knowledge of the file's tags may differ.
        }
        assertThat(other.get(r).seen())
            .as(
                "%s against %s, record %d",
                DecoderPaths.ALL.get(p).name(), DecoderPaths.ALL.get(0).name(), r)
            .isEqualTo(reference.get(r).seen());
      }
    }
  }

  /** What decoding one record gave: what was reported, and whether it failed. */
  private record Outcome(List<SeenEvents.Seen> seen, boolean failed) {}

  private static List<Outcome> decodeAll(RecordDecoder decoder, List<byte[]> records) {
    List<Outcome> out = new ArrayList<>(records.size());
    for (byte[] record : records) {
      SeenEvents seen = new SeenEvents();
      boolean failed = false;
      try {
        // A view in the middle of a larger array, as the record reader hands records over.
        byte[] padded = new byte[record.length + 8];
        System.arraycopy(record, 0, padded, 5, record.length);
        decoder.decode(ByteBuffer.wrap(padded, 5, record.length).slice(), seen);
      } catch (DecodeException e) {
        failed = true;
        if (e.getMessage() == null || e.getMessage().isBlank()) {
          throw new AssertionError("a DecodeException without a message", e);
        }
      }
      out.add(new Outcome(seen.seen(), failed));
    }
    return out;
  }

  /** The records of an input: the bytes between separators. */
  static List<byte[]> split(byte[] input, int from) {
    List<byte[]> out = new ArrayList<>();
    int start = from;
    for (int i = from; i <= input.length - SEPARATOR.length; i++) {
      if (Arrays.equals(input, i, i + SEPARATOR.length, SEPARATOR, 0, SEPARATOR.length)) {
        out.add(Arrays.copyOfRange(input, start, i));
        start = i + SEPARATOR.length;
        i = start - 1;
      }
    }
    out.add(Arrays.copyOfRange(input, start, input.length));
    return out;
  }
}
