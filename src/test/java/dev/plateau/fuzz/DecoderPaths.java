package dev.plateau.fuzz;

import dev.plateau.decode.DecodeException;
import dev.plateau.decode.DecodeLimits;
import dev.plateau.decode.EventDecoder;
import dev.plateau.decode.EventVisitor;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Function;

/**
 * Every way Plateau turns a record's bytes into scalars. The decoding fuzz test runs each on every
 * input and, when there is more than one, checks that they report the same things: a second decoder
 * is added here with one line, and is then fuzzed against the others.
 */
final class DecoderPaths {
  private DecoderPaths() {}

  /** A decoder of one file's records, in order (decoders remember a file's tag metadata). */
  @FunctionalInterface
  interface RecordDecoder {
    void decode(ByteBuffer data, EventVisitor visitor) throws DecodeException;
  }

  /**
   * A named way of decoding.
   *
   * @param name what reports call it
   * @param forFile makes a fresh decoder for one file with the given limits
   */
  record Path(String name, Function<DecodeLimits, RecordDecoder> forFile) {}

  /**
   * Every path; the first is the reference the others are compared with: the generated protobuf
   * classes alone, then the decoder as Plateau uses it (the wire-format fast path, falling back to
   * the generated classes).
   */
  static final List<Path> ALL =
      List.of(
          new Path("generated classes", limits -> EventDecoder.referenceOnly(limits)::decode),
          new Path("EventDecoder", limits -> new EventDecoder(limits)::decode));
}
