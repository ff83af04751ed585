package dev.plateau.decode;

import static dev.plateau.decode.WireReader.FIXED32;
import static dev.plateau.decode.WireReader.FIXED64;
import static dev.plateau.decode.WireReader.LENGTH_DELIMITED;
import static dev.plateau.decode.WireReader.VARINT;
import static dev.plateau.decode.WireReader.key;

/**
 * The fast path of {@link EventDecoder}: reads summary events straight from the wire, without
 * message objects, and reports their scalars exactly as the generated-class path would.
 *
 * <p>It decides only events whose every field it understands: an Event of {@code wall_time}, {@code
 * step} and one {@code summary}, whose values have a tag or node name already met in this file,
 * metadata in ASCII if any, and a {@code simple_value}, a tensor, or an image, histogram or audio
 * payload (skipped). A tensor counts when its tag is a scalar summary by the file's metadata (this
 * event's included) and it holds one element of a type the decoder reads. The whole event is read
 * and checked before anything is reported or remembered, so an event it gives up on, at any point,
 * is decoded by the generated classes alone: first-seen tags (whose text may need a warning), file
 * versions, session logs, fields out of this schema, repeated message fields (which protobuf
 * merges), malformed bytes, and values that would need a warning. Those classes stay the reference;
 * tests compare both paths.
 *
 * <p>Nothing is allocated per event: tags come from the file's {@link TagTable}, and the values of
 * an event wait in {@link PendingValues}, reused from event to event. The event's one-value layouts
 * that writers use are checked byte by byte first ({@link #decodeOneValue}); any other order of the
 * same fields is read field by field. Not thread-safe.
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
  private static final int VALUE_METADATA = key(9, LENGTH_DELIMITED);

  /** Which member of Summary.Value's oneof a value holds, as far as the fast path cares. */
  private static final int NOTHING = 0;

  private static final int SIMPLE = 1;
  private static final int TENSOR = 2;
  private static final int PAYLOAD = 3;

  private final TagTable tags;
  private final WireReader wire = new WireReader();
  private final ScalarTensorReader tensor = new ScalarTensorReader(wire);
  private final ScalarMetadataReader metadata = new ScalarMetadataReader(wire);

  private final PendingValues pending = new PendingValues();

  /** The step and wall time {@link #readAnyLayout} found. */
  private long step;

  private double wallTime;

  ScalarEventDecoder(TagTable tags) {
    this.tags = tags;
  }

  /**
   * Reports the event in {@code array[start, start + length)} to {@code visitor} and returns true,
   * or returns false, having reported and remembered nothing, when the generated classes must
   * decode it.
   */
  boolean decode(byte[] array, int start, int length, EventVisitor visitor) {
    // Most events of most files: wall_time, step, and a summary of one simple_value of a known tag
    // (the one-byte lengths checked as in decodeOneValue). Kept small, so that it is compiled into
    // its caller; everything else goes on in decodeAnyLayout.
    int end = start + length;
    if (length >= 11 && array[start] == EVENT_WALL_TIME) {
      int at = start + 9;
      long step = 0;
      if (array[at] == EVENT_STEP && end - at >= 9) {
        // The step's varint from one 8-byte word, without a loop: steps past 2^21 take 4 bytes.
        long word = WireReader.fixed64(array, at + 1);
        int bits = WireReader.varintBits(word);
        if (bits < 0) {
          return decodeAnyLayout(array, start, length, visitor); // 9 or 10 bytes
        }
        step = WireReader.varintOfWord(word, bits);
        at += 1 + (bits >>> 3);
      } else if (array[at] == EVENT_STEP) {
        return decodeAnyLayout(array, start, length, visitor);
      }
      int summary = at + 2;
      if (end - summary >= 4
          && array[at] == EVENT_SUMMARY
          && array[at + 1] == end - summary
          && array[summary] == SUMMARY_VALUE
          && array[summary + 1] == end - summary - 2
          && array[summary + 2] == VALUE_TAG
          && array[summary + 3] > 0) {
        int tagStart = summary + 4;
        int tagLength = array[summary + 3];
        int next = tagStart + tagLength;
        if (end - next == 5 && array[next] == VALUE_SIMPLE) {
          double wallTime = Double.longBitsToDouble(WireReader.fixed64(array, start + 1));
          if (!Double.isFinite(wallTime)) {
            return false; // a broken clock: the reference warns about it
          }
          TagState tag = tags.find(array, tagStart, tagLength);
          if (tag == null) {
            return false; // first seen: its text, and any warning about it
          }
          float value = Float.intBitsToFloat(WireReader.fixed32(array, next + 1));
          visitor.scalar(tag.text, step, wallTime, value, ValueType.FLOAT32);
          return true;
        }
      }
    }
    return decodeAnyLayout(array, start, length, visitor);
  }

  /** {@link #decode} of the events its first check did not settle. */
  private boolean decodeAnyLayout(byte[] array, int start, int length, EventVisitor visitor) {
    int end = start + length;
    if (length >= 11 && array[start] == EVENT_WALL_TIME) {
      // The layout writers use: wall_time, step if not 0, a summary with a one-byte length.
      // A length byte of 0x80 or more is negative here, so not a one-byte length: not this layout.
      int at = start + 9;
      long step = 0;
      if (array[at] == EVENT_STEP) {
        at = wire.varint(array, at + 1, end);
        step = wire.value;
      }
      if (at >= 0 && end - at >= 2 && array[at] == EVENT_SUMMARY && array[at + 1] == end - at - 2) {
        double wallTime = Double.longBitsToDouble(WireReader.fixed64(array, start + 1));
        if (!Double.isFinite(wallTime)) {
          return false; // a broken clock: the reference warns about it
        }
        int summary = at + 2;
        if (end - summary >= 4
            && array[summary] == SUMMARY_VALUE
            && array[summary + 1] == end - summary - 2
            && array[summary + 2] == VALUE_TAG
            && array[summary + 3] > 0) {
          int outcome = decodeOneValue(array, summary + 2, end, step, wallTime, visitor);
          if (outcome != OTHER_LAYOUT) {
            return outcome == REPORTED;
          }
        }
        if (readValues(array, summary, end)) {
          pending.report(step, wallTime, visitor);
          return true;
        }
      }
    }
    if (readAnyLayout(array, start, length) && Double.isFinite(this.wallTime)) {
      pending.report(this.step, this.wallTime, visitor);
      return true;
    }
    return false;
  }

  /** What {@link #decodeOneValue} did. */
  private static final int REPORTED = 1;

  private static final int OTHER_LAYOUT = 0;
  private static final int LEFT_TO_REFERENCE = -1;

  /**
   * The one value of a summary, from its tag field at {@code at} (a non-empty tag with a one-byte
   * length) to {@code end}, when it is what training loops write most: a tag and a simple_value, or
   * a tag, a tensor and optionally metadata. OTHER_LAYOUT when it is something else, which {@link
   * #readValues} then reads.
   */
  private int decodeOneValue(
      byte[] array, int at, int end, long step, double wallTime, EventVisitor visitor) {
    int tagStart = at + 2;
    int tagLength = array[at + 1];
    int next = tagStart + tagLength;
    if (end - next == 5 && array[next] == VALUE_SIMPLE) {
      TagState tag = tags.find(array, tagStart, tagLength);
      if (tag == null) {
        return LEFT_TO_REFERENCE; // first seen: its text, and any warning about it
      }
      float value = Float.intBitsToFloat(WireReader.fixed32(array, next + 1));
      visitor.scalar(tag.text, step, wallTime, value, ValueType.FLOAT32);
      return REPORTED;
    }
    if (end - next < 2 || array[next] != VALUE_TENSOR) {
      return OTHER_LAYOUT;
    }
    int tensorEnd = next + 2 + array[next + 1];
    if (tensorEnd < next + 2 || tensorEnd > end) {
      return OTHER_LAYOUT;
    }
    int declaration = ScalarMetadataReader.UNDECIDED;
    if (tensorEnd < end) {
      if (end - tensorEnd < 2
          || array[tensorEnd] != VALUE_METADATA
          || array[tensorEnd + 1] != end - tensorEnd - 2) {
        return OTHER_LAYOUT;
      }
      declaration = metadata.read(array, tensorEnd + 2, end);
      if (declaration == ScalarMetadataReader.UNDECIDED) {
        return LEFT_TO_REFERENCE;
      }
    }
    if (!tensor.read(array, next + 2, tensorEnd)) {
      return LEFT_TO_REFERENCE;
    }
    TagState tag = tags.find(array, tagStart, tagLength);
    if (tag == null) {
      return LEFT_TO_REFERENCE;
    }
    boolean declared = declaration != ScalarMetadataReader.UNDECIDED;
    boolean scalar =
        declared ? declaration == ScalarMetadataReader.SCALAR : Boolean.TRUE.equals(tag.scalar);
    if (scalar && !tensor.scalar(array)) {
      return LEFT_TO_REFERENCE; // the reference warns about this tensor
    }
    if (declared) {
      tag.scalar = scalar;
    }
    if (scalar) {
      visitor.scalar(tag.text, step, wallTime, tensor.value, tensor.type);
    }
    return REPORTED;
  }

  /** The values of a summary from {@code at} to {@code end}, each with a one-byte length. */
  private boolean readValues(byte[] array, int at, int end) {
    pending.clear();
    while (at < end) {
      int valueStart = at + 2;
      if (end - at < 2 || array[at] != SUMMARY_VALUE || array[at + 1] < 0) {
        return false;
      }
      int valueEnd = valueStart + array[at + 1];
      if (valueEnd > end || !readValue(array, valueStart, valueEnd)) {
        return false;
      }
      at = valueEnd;
    }
    return true;
  }

  /** Any layout of the fields the fast path knows, as protobuf reads them. */
  private boolean readAnyLayout(byte[] array, int start, int length) {
    pending.clear();
    long wallTimeBits = 0;
    step = 0;
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
    wallTime = Double.longBitsToDouble(wallTimeBits);
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

  private boolean readValue(byte[] array, int at, int end) {
    int tagStart = at;
    int tagLength = 0;
    int nameStart = at;
    int nameLength = 0;
    int kind = NOTHING;
    int simpleBits = 0;
    int declaration = ScalarMetadataReader.UNDECIDED;
    boolean metadataSeen = false;
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
      if (key != VALUE_TAG
          && key != VALUE_NODE_NAME
          && key != VALUE_TENSOR
          && key != VALUE_METADATA
          && !payload) {
        return false; // a field this schema does not have
      }
      at = wire.length(array, at, end);
      if (at < 0) {
        return false;
      }
      int fieldEnd = at + (int) wire.value;
      if (key == VALUE_TAG) {
        tagStart = at;
        tagLength = fieldEnd - at;
      } else if (key == VALUE_NODE_NAME) {
        nameStart = at;
        nameLength = fieldEnd - at;
      } else if (key == VALUE_METADATA) {
        if (metadataSeen) {
          return false; // protobuf would merge the two
        }
        metadataSeen = true;
        declaration = metadata.read(array, at, fieldEnd);
        if (declaration == ScalarMetadataReader.UNDECIDED) {
          return false;
        }
      } else if (kind != NOTHING) {
        return false; // a second member of the oneof: left to protobuf's rules
      } else if (key == VALUE_TENSOR) {
        if (!tensor.read(array, at, fieldEnd)) {
          return false;
        }
        kind = TENSOR;
      } else {
        kind = PAYLOAD;
      }
      at = fieldEnd;
    }
    if (tagLength == 0) {
      tagStart = nameStart;
      tagLength = nameLength;
    }
    // A tag met for the first time is left to the reference: its text may need a warning.
    TagState tag = tags.find(array, tagStart, tagLength);
    if (tag == null) {
      return false;
    }
    if (metadataSeen) {
      pending.declare(tag, declaration == ScalarMetadataReader.SCALAR);
    }
    if (kind == SIMPLE) {
      pending.add(tag, Float.intBitsToFloat(simpleBits), ValueType.FLOAT32);
    } else if (kind != TENSOR || !pending.isScalar(tag)) {
      pending.add(tag, 0, null);
    } else if (tensor.scalar(array)) {
      pending.add(tag, tensor.value, tensor.type);
    } else {
      return false; // the reference warns about this tensor
    }
    return true;
  }
}
