package dev.plateau.fuzz;

import dev.plateau.decode.EventVisitor;
import dev.plateau.decode.ValueType;
import java.util.ArrayList;
import java.util.List;

/**
 * What a decoder reported, in order, as plain values that compare exactly (numbers by their bits),
 * so that two decoders can be checked against each other.
 */
final class SeenEvents implements EventVisitor {
  /** One thing a decoder reported. */
  sealed interface Seen {}

  /** A scalar point; wall time and value as their raw IEEE 754 bits. */
  record Scalar(String tag, long step, long wallTimeBits, long valueBits, ValueType type)
      implements Seen {}

  /** A SessionLog START. */
  record Start(long step, long wallTimeBits) implements Seen {}

  /** The file_version event. */
  record Version(String version, long wallTimeBits) implements Seen {}

  private final List<Seen> seen = new ArrayList<>();
  private int warnings;

  List<Seen> seen() {
    return seen;
  }

  int warnings() {
    return warnings;
  }

  @Override
  public void scalar(String tag, long step, double wallTime, double value, ValueType type) {
    seen.add(
        new Scalar(
            tag,
            step,
            Double.doubleToRawLongBits(wallTime),
            Double.doubleToRawLongBits(value),
            type));
  }

  @Override
  public void fileVersion(String version, double wallTime) {
    seen.add(new Version(version, Double.doubleToRawLongBits(wallTime)));
  }

  @Override
  public void sessionStart(long step, double wallTime) {
    seen.add(new Start(step, Double.doubleToRawLongBits(wallTime)));
  }

  @Override
  public void warning(String message) {
    if (message == null || message.isBlank()) {
      throw new AssertionError("a decoder reported an empty warning");
    }
    warnings++;
  }
}
