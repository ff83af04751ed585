package dev.plateau.decode;

import java.util.ArrayList;
import java.util.List;

/**
 * Records every call a decoder makes, as text with the exact bits of every double, so that two
 * decoders can be compared call for call (NaN payloads and signed zeros included).
 */
final class CallLog implements EventVisitor {
  final List<String> calls = new ArrayList<>();

  @Override
  public void scalar(String tag, long step, double wallTime, double value, ValueType type) {
    calls.add(
        String.format(
            "scalar [%s] step=%d wall=%016x value=%016x %s",
            tag,
            step,
            Double.doubleToRawLongBits(wallTime),
            Double.doubleToRawLongBits(value),
            type));
  }

  @Override
  public void fileVersion(String version, double wallTime) {
    calls.add(
        String.format("version [%s] wall=%016x", version, Double.doubleToRawLongBits(wallTime)));
  }

  @Override
  public void sessionStart(long step, double wallTime) {
    calls.add(
        String.format("start step=%d wall=%016x", step, Double.doubleToRawLongBits(wallTime)));
  }

  @Override
  public void warning(String message) {
    calls.add("warning " + message);
  }

  /** Decodes one record with {@code decoder}, logging a DecodeException as a call too. */
  void decode(EventDecoder decoder, byte[] array, int start, int length) {
    try {
      decoder.decode(array, start, length, this);
    } catch (DecodeException e) {
      calls.add("error " + e.getMessage());
    }
  }
}
