package dev.plateau.decode;

import static dev.plateau.decode.WireReader.FIXED32;
import static dev.plateau.decode.WireReader.FIXED64;
import static dev.plateau.decode.WireReader.LENGTH_DELIMITED;
import static dev.plateau.decode.WireReader.VARINT;
import static dev.plateau.decode.WireReader.key;

import dev.plateau.proto.DataType;

/**
 * Reads a {@code TensorProto} from the wire for the fast path: its dtype, its element count, the
 * bytes of {@code tensor_content} and the first element of each typed field, which is all that
 * {@link EventDecoder} looks at. Every field the generated class accepts and that cannot change the
 * result is checked as that class would check it (so input it rejects is rejected here too);
 * anything else, such as a dimension's name (proto3 strings are checked for UTF-8) or a field this
 * schema does not know, makes {@link #read} return false.
 *
 * <p>Holds the last tensor read; reused for every tensor. Not thread-safe.
 */
final class ScalarTensorReader {
  private static final int DTYPE = key(1, VARINT);
  private static final int SHAPE = key(2, LENGTH_DELIMITED);
  private static final int VERSION_NUMBER = key(3, VARINT);
  private static final int CONTENT = key(4, LENGTH_DELIMITED);
  private static final int FLOAT_PACKED = key(5, LENGTH_DELIMITED);
  private static final int FLOAT_ONE = key(5, FIXED32);
  private static final int DOUBLE_PACKED = key(6, LENGTH_DELIMITED);
  private static final int DOUBLE_ONE = key(6, FIXED64);
  private static final int INT_PACKED = key(7, LENGTH_DELIMITED);
  private static final int INT_ONE = key(7, VARINT);
  private static final int INT64_PACKED = key(10, LENGTH_DELIMITED);
  private static final int INT64_ONE = key(10, VARINT);
  private static final int BOOL_PACKED = key(11, LENGTH_DELIMITED);
  private static final int BOOL_ONE = key(11, VARINT);
  private static final int HALF_PACKED = key(13, LENGTH_DELIMITED);
  private static final int HALF_ONE = key(13, VARINT);

  private static final int SHAPE_DIM = key(2, LENGTH_DELIMITED);
  private static final int SHAPE_UNKNOWN_RANK = key(3, VARINT);
  private static final int DIM_SIZE = key(1, VARINT);

  private static final int FLOAT = 0;
  private static final int DOUBLE = 1;
  private static final int INT = 2;
  private static final int INT64 = 3;
  private static final int HALF = 4;
  private static final int BOOL = 5;

  private final WireReader wire;

  private int dtype;
  private long elements;
  private boolean elementsDecided;
  private int contentStart;
  private int contentLength;

  /** Bit i set when typed field i holds an element; {@link #first} has the first one's bits. */
  private int present;

  private final long[] first = new long[6];

  /** The scalar found by {@link #scalar}. */
  double value;

  ValueType type;

  ScalarTensorReader(WireReader wire) {
    this.wire = wire;
  }

  private boolean has(int field) {
    return (present & 1 << field) != 0;
  }

  /**
   * Reads the tensor in {@code array[at, end)}; false when the fast path must not decide. The
   * layout TensorFlow and the project's writer use for a scalar (a one-byte dtype, an empty shape,
   * the value in tensor_content) is recognised byte by byte; any other goes through the fields.
   */
  boolean read(byte[] array, int at, int end) {
    int contentLength = end - at - 6;
    if (contentLength >= 0
        && array[at] == DTYPE
        && array[at + 1] > 0
        && array[at + 2] == SHAPE
        && array[at + 3] == 0
        && array[at + 4] == CONTENT
        && array[at + 5] == contentLength) {
      dtype = array[at + 1];
      elements = 1;
      contentStart = at + 6;
      this.contentLength = contentLength;
      present = 0;
      return true;
    }
    return readFields(array, at, end);
  }

  private boolean readFields(byte[] array, int at, int end) {
    dtype = 0;
    elements = 1;
    elementsDecided = false;
    contentStart = at;
    contentLength = 0;
    present = 0;
    boolean shapeSeen = false;
    while (at < end) {
      at = wire.varint(array, at, end);
      if (at < 0) {
        return false;
      }
      int key = (int) wire.value;
      if (key == DTYPE || key == VERSION_NUMBER) {
        at = wire.varint(array, at, end);
        if (at < 0) {
          return false;
        }
        if (key == DTYPE) {
          dtype = (int) wire.value;
        }
      } else if (key == CONTENT || key == SHAPE) {
        at = wire.length(array, at, end);
        if (at < 0) {
          return false;
        }
        int length = (int) wire.value;
        if (key == CONTENT) {
          contentStart = at;
          contentLength = length;
        } else if (shapeSeen || !readShape(array, at, at + length)) {
          // A second shape would be merged into the first: left to the generated classes.
          return false;
        } else {
          shapeSeen = true;
        }
        at += length;
      } else {
        at = readTyped(key, array, at, end);
        if (at < 0) {
          return false;
        }
      }
    }
    return true;
  }

  /** One occurrence of a typed repeated field, packed or not; the position after it, or -1. */
  private int readTyped(int key, byte[] array, int at, int end) {
    if (key == FLOAT_ONE) {
      return fixed(FLOAT, 4, array, at, end);
    } else if (key == DOUBLE_ONE) {
      return fixed(DOUBLE, 8, array, at, end);
    } else if (key == FLOAT_PACKED || key == DOUBLE_PACKED) {
      at = wire.length(array, at, end);
      int width = key == FLOAT_PACKED ? 4 : 8;
      if (at < 0 || wire.value % width != 0) {
        return -1;
      }
      int length = (int) wire.value;
      if (length > 0) {
        fixed(key == FLOAT_PACKED ? FLOAT : DOUBLE, width, array, at, at + length);
      }
      return at + length;
    }
    if ((key & 7) == VARINT) {
      int field = varintField(key);
      return field < 0 ? -1 : varints(field, array, at, end);
    }
    int field = (key & 7) == LENGTH_DELIMITED ? varintField(key - LENGTH_DELIMITED) : -1;
    if (field < 0) {
      return -1;
    }
    at = wire.length(array, at, end);
    if (at < 0) {
      return -1;
    }
    int stop = at + (int) wire.value;
    while (at < stop) {
      at = varints(field, array, at, stop);
      if (at < 0) {
        return -1;
      }
    }
    return stop;
  }

  private static int varintField(int key) {
    if (key == INT_ONE) {
      return INT;
    } else if (key == INT64_ONE) {
      return INT64;
    } else if (key == HALF_ONE) {
      return HALF;
    } else if (key == BOOL_ONE) {
      return BOOL;
    }
    return -1;
  }

  private int fixed(int field, int width, byte[] array, int at, int end) {
    if (end - at < width) {
      return -1;
    }
    if (!has(field)) {
      present |= 1 << field;
      first[field] = width == 4 ? WireReader.fixed32(array, at) : WireReader.fixed64(array, at);
    }
    return at + width;
  }

  private int varints(int field, byte[] array, int at, int end) {
    at = wire.varint(array, at, end);
    if (at >= 0 && !has(field)) {
      present |= 1 << field;
      first[field] = wire.value;
    }
    return at;
  }

  /** Reads a TensorShapeProto, counting elements as EventDecoder does (stopping past one). */
  private boolean readShape(byte[] array, int at, int end) {
    while (at < end) {
      at = wire.varint(array, at, end);
      if (at < 0) {
        return false;
      }
      int key = (int) wire.value;
      if (key == SHAPE_UNKNOWN_RANK) {
        at = wire.varint(array, at, end);
        if (at < 0) {
          return false;
        }
      } else if (key == SHAPE_DIM) {
        at = wire.length(array, at, end);
        if (at < 0) {
          return false;
        }
        int stop = at + (int) wire.value;
        if (!readDim(array, at, stop)) {
          return false;
        }
        at = stop;
      } else {
        return false;
      }
    }
    return true;
  }

  private boolean readDim(byte[] array, int at, int end) {
    long size = 0;
    while (at < end) {
      at = wire.varint(array, at, end);
      if (at < 0 || (int) wire.value != DIM_SIZE) {
        return false;
      }
      at = wire.varint(array, at, end);
      if (at < 0) {
        return false;
      }
      size = wire.value;
    }
    if (!elementsDecided) {
      if (size < 0) {
        elements = -1;
        elementsDecided = true;
      } else {
        elements *= size;
        elementsDecided = elements > 1;
      }
    }
    return true;
  }

  /**
   * The tensor's one element as EventDecoder reads it, into {@link #value} and {@link #type}; false
   * when that decoder would skip it with a warning (not one element, no value, a type it does not
   * read), which is left to it.
   */
  boolean scalar(byte[] array) {
    if (elements != 1) {
      return false;
    }
    switch (dtype) {
      case DataType.DT_FLOAT_VALUE -> {
        type = ValueType.FLOAT32;
        if (contentLength == 4) {
          value = Float.intBitsToFloat(WireReader.fixed32(array, contentStart));
        } else if (has(FLOAT)) {
          value = Float.intBitsToFloat((int) first[FLOAT]);
        } else {
          return false;
        }
      }
      case DataType.DT_DOUBLE_VALUE -> {
        type = ValueType.FLOAT64;
        if (contentLength == 8) {
          value = Double.longBitsToDouble(WireReader.fixed64(array, contentStart));
        } else if (has(DOUBLE)) {
          value = Double.longBitsToDouble(first[DOUBLE]);
        } else {
          return false;
        }
      }
      case DataType.DT_HALF_VALUE, DataType.DT_BFLOAT16_VALUE -> {
        boolean half = dtype == DataType.DT_HALF_VALUE;
        type = half ? ValueType.FLOAT16 : ValueType.BFLOAT16;
        int bits;
        if (contentLength == 2) {
          bits = WireReader.fixed16(array, contentStart);
        } else if (has(HALF)) {
          bits = (int) first[HALF] & 0xffff;
        } else {
          return false;
        }
        value = half ? HalfFloats.float16ToDouble(bits) : HalfFloats.bfloat16ToDouble(bits);
      }
      case DataType.DT_INT32_VALUE -> {
        type = ValueType.INT32;
        if (contentLength == 4) {
          value = WireReader.fixed32(array, contentStart);
        } else if (has(INT)) {
          value = (int) first[INT];
        } else {
          return false;
        }
      }
      case DataType.DT_INT64_VALUE -> {
        type = ValueType.INT64;
        if (contentLength == 8) {
          value = WireReader.fixed64(array, contentStart);
        } else if (has(INT64)) {
          value = first[INT64];
        } else {
          return false;
        }
      }
      default -> {
        return false;
      }
    }
    return true;
  }
}
