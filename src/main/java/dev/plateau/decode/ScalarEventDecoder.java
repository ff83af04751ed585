package dev.plateau.decode;

import static dev.plateau.decode.WireReader.FIXED32;
import static dev.plateau.decode.WireReader.FIXED64;
import static dev.plateau.decode.WireReader.LENGTH_DELIMITED;
import static dev.plateau.decode.WireReader.VARINT;
import static dev.plateau.decode.WireReader.key;

import java.util.Arrays;
import java.util.Map;

/**
 * The fast path of {@link EventDecoder}: reads summary events straight from the wire, without
 * message objects, and reports their scalars exactly as the generated-class path would.
 *
 * <p>It decides only events whose every field it understands: an Event of {@code wall_time},
 * {@code step} and one {@code summary}, whose values have a tag or node name already met in this
 * file, no metadata, and a {@code simple_value}, a tensor, or an image, histogram or audio payload
 * (skipped). A tensor counts when the file's metadata declared its tag a scalar and it holds one
 * element of a type the decoder reads. The whole event is read and checked before anything is
 * reported, so an event it gives up on, at any point, is reported by the generated classes alone:
 * first-seen tags (whose text may need a warning), metadata, file versions, session logs, fields
 * out of this schema, repeated message fields (which protobuf merges), malformed bytes, and
 * values that would need a warning. Those classes stay the reference; tests compare both paths.
 *
 * <p>Nothing is allocated per event: tags come from the file's {@link TagTable}, and the values of
 * an event are kept in arrays reused from event to event. Not thread-safe.
 */
final class ScalarEventDecoder {
  private static final int EVENT_WALL_TIME = key(1, FIXED64);
  private static final int EVENT_STEP = key(2, VARINT);
  private static final int EVENT_SUMMARY = key(5, LENGTH_DELIMITED);
  private static final int SUMMARY_VALUE = key(1, LENGTH_DELIMITED);
  private static final int VALUE_TAG = key(1, LENGTH_DELIMITED);
  private static final int VALUE_NODE_NAME = key(7, LENGTH_DELIMITED);
  private static final int VALUE_SIMPLE = key(2, FIXED32);
  private static final int VALUE_OLD_HISTOGRAM = key(3, LENGTH_DELIMITED);
  private static final int VALUE_AUDIO = key(6, LENGTH_DELIMITED);
  private static final int VALUE_TENSOR = key(8, LENGTH_DELIMITED);

  private final TagTable tags;
  private final Map<String, Boolean> scalarTags;
  private final WireReader wire = new WireReader();
  private final ScalarTensorReader tensor = new ScalarTensorReader(wire);

  /** The values of the event being read; a null type marks a value that is not a scalar. */
  private int count;

  private String[] valueTags = new String[4];
  private double[] values = new double[4];
  private ValueType[] types = new ValueType[4];

  ScalarEventDecoder(TagTable tags, Map<String, Boolean> scalarTags) {
    this.tags = tags;
    this.scalarTags = scalarTags;
  }

  /**
   * Reports the event in {@code array[start, start + length)} to {@code visitor} and returns
   * true, or returns false, having reported nothing, when the generated classes must decode it.
   */
  boolean decode(byte[] array, int start, int length, EventVisitor visitor) {
    return decodeCommonLayout(array, start, length, visitor)
        || decodeAnyLayout(array, start, length, visitor);
  }

  /**
   * The layout nearly every writer uses, checked byte by byte: wall_time, step, then a summary
   * whose values each hold a tag and then a simple_value or a tensor, every length in one byte.
   * Cheaper than {@link #decodeAnyLayout}, which reads the same events to the same results and
   * is tried when this returns false.
   */
  private boolean decodeCommonLayout(byte[] array, int start, int length, EventVisitor visitor) {
    int end = start + length;
    if (length < 11 || array[start] != EVENT_WALL_TIME) {
      return false;
    }
    long wallTimeBits = WireReader.fixed64(array, start + 1);
    int at = start + 9;
    long step = 0;
    if (array[at] == EVENT_STEP) {
      at = wire.varint(array, at + 1, end);
      if (at < 0 || end - at < 2) {
        return false;
      }
      step = wire.value;
    }
    if (array[at] != EVENT_SUMMARY || array[at + 1] != end - at - 2) {
      return false;
    }
    at += 2;
    count = 0;
    while (at < end) {
      if (end - at < 4 || array[at] != SUMMARY_VALUE || array[at + 2] != VALUE_TAG) {
        return false;
      }
      int valueEnd = at + 2 + array[at + 1];
      int tagStart = at + 4;
      int tagLength = array[at + 3];
      // A byte of 0x80 or more is negative: not a one-byte length.
      if (valueEnd <= tagStart || valueEnd > end || tagLength <= 0) {
        return false;
      }
      at = tagStart + tagLength;
      if (valueEnd - at < 2) {
        return false;
      }
      byte key = array[at];
      if (key == VALUE_SIMPLE && valueEnd - at == 5) {
        String tag = tags.find(array, tagStart, tagLength);
        if (tag == null) {
          return false;
        }
        add(tag, Float.intBitsToFloat(WireReader.fixed32(array, at + 1)), ValueType.FLOAT32);
      } else if (key == VALUE_TENSOR && array[at + 1] == valueEnd - at - 2) {
        if (!tensor.read(array, at + 2, valueEnd) || !addTensor(array, tagStart, tagLength)) {
          return false;
        }
      } else {
        return false;
      }
      at = valueEnd;
    }
    report(Double.longBitsToDouble(wallTimeBits), step, visitor);
    return true;
  }

  /** Any layout of the fields the fast path knows, as protobuf reads them. */
  private boolean decodeAnyLayout(byte[] array, int start, int length, EventVisitor visitor) {
    count = 0;
    long wallTimeBits = 0;
    long step = 0;
    boolean summarySeen = false;
    int end = start + length;
    int at = start;
    while (at < end) {
      at = wire.varint(array, at, end);
      if (at < 0) {
        return false;
      }
      int key = (int) wire.value;
      if (key == EVENT_WALL_TIME) {
        if (end - at < 8) {
          return false;
        }
        wallTimeBits = WireReader.fixed64(array, at);
        at += 8;
      } else if (key == EVENT_STEP) {
        at = wire.varint(array, at, end);
        if (at < 0) {
          return false;
        }
        step = wire.value;
      } else if (key == EVENT_SUMMARY && !summarySeen) {
        summarySeen = true;
        at = wire.length(array, at, end);
        if (at < 0) {
          return false;
        }
        int stop = at + (int) wire.value;
        if (!readSummary(array, at, stop)) {
          return false;
        }
        at = stop;
      } else {
        return false;
      }
    }
    report(Double.longBitsToDouble(wallTimeBits), step, visitor);
    return true;
  }

  private void report(double wallTime, long step, EventVisitor visitor) {
    for (int i = 0; i < count; i++) {
      if (types[i] != null) {
        visitor.scalar(valueTags[i], step, wallTime, values[i], types[i]);
      }
    }
  }

  /**
   * Adds the tensor just read as a value with the tag in {@code array}; false when the tag is not
   * in the table yet, or is a scalar summary whose tensor the reference would warn about.
   */
  private boolean addTensor(byte[] array, int tagStart, int tagLength) {
    String tag = tags.find(array, tagStart, tagLength);
    if (tag == null) {
      return false;
    }
    if (!Boolean.TRUE.equals(scalarTags.get(tag))) {
      add(tag, 0, null);
    } else if (tensor.scalar(array)) {
      add(tag, tensor.value, tensor.type);
    } else {
      return false;
    }
    return true;
  }

  private boolean readSummary(byte[] array, int at, int end) {
    while (at < end) {
      at = wire.varint(array, at, end);
      if (at < 0 || (int) wire.value != SUMMARY_VALUE) {
        return false;
      }
      at = wire.length(array, at, end);
      if (at < 0) {
        return false;
      }
      int stop = at + (int) wire.value;
      if (!readValue(array, at, stop)) {
        return false;
      }
      at = stop;
    }
    return true;
  }

  /** The kinds of Summary.Value's oneof that the fast path tells apart. */
  private static final int NOTHING = 0;

  private static final int SIMPLE = 1;
  private static final int TENSOR = 2;
  private static final int PAYLOAD = 3;

  private boolean readValue(byte[] array, int at, int end) {
    int tagStart = at;
    int tagLength = 0;
    int nameStart = at;
    int nameLength = 0;
    int kind = NOTHING;
    int simpleBits = 0;
    while (at < end) {
      at = wire.varint(array, at, end);
      if (at < 0) {
        return false;
      }
      int key = (int) wire.value;
      if (key == VALUE_SIMPLE) {
        if (kind != NOTHING || end - at < 4) {
          return false;
        }
        kind = SIMPLE;
        simpleBits = WireReader.fixed32(array, at);
        at += 4;
        continue;
      }
      boolean payload = key >= VALUE_OLD_HISTOGRAM && key <= VALUE_AUDIO && (key & 7) == 2;
      if (key != VALUE_TAG && key != VALUE_NODE_NAME && key != VALUE_TENSOR && !payload) {
        return false; // metadata, or a field this schema does not have
      }
      at = wire.length(array, at, end);
      if (at < 0) {
        return false;
      }
      int fieldLength = (int) wire.value;
      if (key == VALUE_TAG) {
        tagStart = at;
        tagLength = fieldLength;
      } else if (key == VALUE_NODE_NAME) {
        nameStart = at;
        nameLength = fieldLength;
      } else if (kind != NOTHING) {
        return false; // a second member of the oneof: left to protobuf's rules
      } else if (key == VALUE_TENSOR) {
        if (!tensor.read(array, at, at + fieldLength)) {
          return false;
        }
        kind = TENSOR;
      } else {
        kind = PAYLOAD;
      }
      at += fieldLength;
    }
    if (tagLength == 0) {
      tagStart = nameStart;
      tagLength = nameLength;
    }
    if (kind == TENSOR) {
      return addTensor(array, tagStart, tagLength);
    }
    // A tag met for the first time is left to the reference: its text may need a warning.
    String tag = tags.find(array, tagStart, tagLength);
    if (tag == null) {
      return false;
    }
    if (kind == SIMPLE) {
      add(tag, Float.intBitsToFloat(simpleBits), ValueType.FLOAT32);
    } else {
      add(tag, 0, null);
    }
    return true;
  }

  private void add(String tag, double value, ValueType type) {
    if (count == valueTags.length) {
      int capacity = count * 2;
      valueTags = Arrays.copyOf(valueTags, capacity);
      values = Arrays.copyOf(values, capacity);
      types = Arrays.copyOf(types, capacity);
    }
    valueTags[count] = tag;
    values[count] = value;
    types[count] = type;
    count++;
  }
}
