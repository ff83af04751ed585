package dev.plateau.state;

import java.util.Arrays;

/**
 * A series' curve as the status page draws it, kept in the state database so that a finished
 * experiment still has a chart after a restart: at most {@link #MAX_POINTS} points, spread over the
 * whole run by whoever saves it.
 *
 * @param steps the steps, ascending
 * @param values the values, one per step (NaN and infinities kept)
 */
public record SavedCurve(long[] steps, double[] values) {
  /** Points a saved curve may hold; more is refused, so a row stays about 1.5 KB. */
  public static final int MAX_POINTS = 128;

  public SavedCurve {
    if (steps.length != values.length) {
      throw new IllegalArgumentException(
          "a curve needs one value per step: " + steps.length + " steps, " + values.length);
    }
    if (steps.length > MAX_POINTS) {
      throw new IllegalArgumentException(
          "a saved curve holds at most " + MAX_POINTS + " points, not " + steps.length);
    }
  }

  /** The bytes of the {@code curves.curve} column: steps as varint differences, values raw. */
  byte[] toBytes() {
    StateBytes.Writer out = new StateBytes.Writer();
    out.writeLongs(steps);
    out.writeDoubles(values);
    return out.toByteArray();
  }

  /**
   * A curve read back from {@link #toBytes}.
   *
   * @throws IllegalArgumentException when the bytes are damaged
   */
  static SavedCurve fromBytes(byte[] bytes) {
    StateBytes.Reader in = new StateBytes.Reader(bytes);
    long[] steps = in.readLongs();
    double[] values = in.readDoubles();
    if (steps == null || values == null) {
      throw new IllegalArgumentException("a saved curve without steps or values");
    }
    return new SavedCurve(steps, values);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SavedCurve c
        && Arrays.equals(steps, c.steps)
        && Arrays.equals(values, c.values);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(steps) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "SavedCurve[" + steps.length + " points]";
  }
}
