package dev.plateau.decode;

import static dev.plateau.decode.WireReader.LENGTH_DELIMITED;
import static dev.plateau.decode.WireReader.VARINT;
import static dev.plateau.decode.WireReader.key;

import dev.plateau.proto.DataClass;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a {@code SummaryMetadata} from the wire for the fast path and tells whether it declares a
 * scalar summary, by the rule of {@link EventDecoder}: the {@code scalars} plugin, or the SCALAR
 * data class. TensorFlow 2 writers attach it to every value, so it must be cheap.
 *
 * <p>Its strings are proto3 strings, which protobuf rejects when they are not UTF-8: the fast path
 * accepts them only when they are ASCII (always valid) and leaves any other to the generated
 * classes, as it does a plugin_data field that occurs twice (protobuf merges the two).
 */
final class ScalarMetadataReader {
  /** What {@link #read} found. */
  static final int NOT_SCALAR = 0;

  static final int SCALAR = 1;
  static final int UNDECIDED = -1;

  private static final int PLUGIN_DATA = key(1, LENGTH_DELIMITED);
  private static final int DISPLAY_NAME = key(2, LENGTH_DELIMITED);
  private static final int DESCRIPTION = key(3, LENGTH_DELIMITED);
  private static final int DATA_CLASS = key(4, VARINT);
  private static final int PLUGIN_NAME = key(1, LENGTH_DELIMITED);
  private static final int PLUGIN_CONTENT = key(2, LENGTH_DELIMITED);

  private static final byte[] SCALARS =
      EventDecoder.SCALARS_PLUGIN.getBytes(StandardCharsets.US_ASCII);

  private final WireReader wire;
  private boolean scalarsPlugin;

  ScalarMetadataReader(WireReader wire) {
    this.wire = wire;
  }

  /**
   * What TensorFlow 2 writes on every scalar value: plugin_data {plugin_name: "scalars"} and
   * data_class: DATA_CLASS_SCALAR.
   */
  private static final byte[] TENSORFLOW_SCALAR = {
    0x0a, 0x09, 0x0a, 0x07, 's', 'c', 'a', 'l', 'a', 'r', 's', 0x20, 0x01
  };

  /** Reads the metadata in {@code array[at, end)}: SCALAR, NOT_SCALAR, or UNDECIDED. */
  int read(byte[] array, int at, int end) {
    if (end - at == TENSORFLOW_SCALAR.length
        && Arrays.equals(array, at, end, TENSORFLOW_SCALAR, 0, TENSORFLOW_SCALAR.length)) {
      return SCALAR;
    }
    scalarsPlugin = false;
    int dataClass = 0;
    boolean pluginSeen = false;
    while (at < end) {
      at = wire.varint(array, at, end);
      if (at < 0) {
        return UNDECIDED;
      }
      int key = (int) wire.value;
      if (key == DATA_CLASS) {
        at = wire.varint(array, at, end);
        if (at < 0) {
          return UNDECIDED;
        }
        dataClass = (int) wire.value;
        continue;
      }
      if (key != PLUGIN_DATA && key != DISPLAY_NAME && key != DESCRIPTION) {
        return UNDECIDED;
      }
      at = wire.length(array, at, end);
      if (at < 0) {
        return UNDECIDED;
      }
      int stop = at + (int) wire.value;
      if (key == PLUGIN_DATA) {
        if (pluginSeen || !readPluginData(array, at, stop)) {
          return UNDECIDED;
        }
        pluginSeen = true;
      } else if (!ascii(array, at, stop)) {
        return UNDECIDED;
      }
      at = stop;
    }
    return scalarsPlugin || dataClass == DataClass.DATA_CLASS_SCALAR_VALUE ? SCALAR : NOT_SCALAR;
  }

  private boolean readPluginData(byte[] array, int at, int end) {
    while (at < end) {
      at = wire.varint(array, at, end);
      if (at < 0) {
        return false;
      }
      int key = (int) wire.value;
      if (key != PLUGIN_NAME && key != PLUGIN_CONTENT) {
        return false;
      }
      at = wire.length(array, at, end);
      if (at < 0) {
        return false;
      }
      int stop = at + (int) wire.value;
      if (key == PLUGIN_NAME) {
        if (!ascii(array, at, stop)) {
          return false;
        }
        scalarsPlugin = Arrays.equals(array, at, stop, SCALARS, 0, SCALARS.length);
      }
      at = stop;
    }
    return true;
  }

  private static boolean ascii(byte[] array, int from, int to) {
    for (int i = from; i < to; i++) {
      if (array[i] < 0) {
        return false;
      }
    }
    return true;
  }
}
