package dev.plateau.decode;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import dev.plateau.proto.DataClass;
import dev.plateau.proto.DataType;
import dev.plateau.proto.Event;
import dev.plateau.proto.SessionLog;
import dev.plateau.proto.Summary;
import dev.plateau.proto.SummaryMetadata;
import dev.plateau.proto.TensorProto;
import dev.plateau.proto.TensorShapeProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Decodes the records of one event file into scalar points.
 *
 * <p>A scalar is a {@code Summary.Value.simple_value}, or a {@code Summary.Value.tensor} with
 * exactly one element of type float, double, half, bfloat16, int32 or int64, stored in {@code
 * tensor_content} or in the typed value fields, whose tag is known to be a scalar summary: its
 * metadata names the {@code scalars} plugin or the SCALAR data class. Writers usually attach
 * metadata only to the first value of a tag in a file, so the decoder remembers, per tag, what the
 * file's metadata said; one decoder is therefore used for one file, from its first record on.
 * Histograms, images, audio, text, hparams and other plugins are skipped without error.
 *
 * <p>Two paths give the same results. Records passed as an array go first to a wire-format fast
 * path ({@link ScalarEventDecoder}) that reads common summary events without building messages;
 * every event it does not fully understand goes to the generated protobuf classes, which are the
 * reference (and the only path of a decoder made by {@link #referenceOnly}). Tags are turned into
 * text once per file, by the reference path, and both paths share what the file's metadata said.
 *
 * <p>Not thread-safe.
 */
public final class EventDecoder {
  static final String SCALARS_PLUGIN = "scalars";

  private final DecodeLimits limits;

  /** Every tag of this file by its text, with what the file's metadata said about it. */
  private final Map<String, TagState> tagStates = new HashMap<>();

  private final Map<ByteString, TagState> tagNames = new HashMap<>();

  /** The same tags by their bytes, for the fast path; filled together with {@link #tagNames}. */
  private final TagTable tagTable = new TagTable();

  private final Set<String> warned = new HashSet<>();

  /** Null for a decoder that uses the generated classes only. */
  private final ScalarEventDecoder fastPath;

  private long fastEvents;
  private long referenceEvents;

  public EventDecoder(DecodeLimits limits) {
    this(limits, Map.of());
  }

  /**
   * A decoder for a file whose earlier records were decoded by another decoder (before a restart):
   * {@code knownTags} is what that decoder's {@link #knownTags()} returned.
   */
  public EventDecoder(DecodeLimits limits, Map<String, Boolean> knownTags) {
    this(limits, knownTags, true);
  }

  private EventDecoder(DecodeLimits limits, Map<String, Boolean> knownTags, boolean fast) {
    this.limits = limits;
    knownTags.forEach((tag, scalar) -> stateOf(tag).scalar = scalar);
    this.fastPath = fast ? new ScalarEventDecoder(tagTable) : null;
  }

  /**
   * A decoder that decodes every event with the generated protobuf classes: the reference the fast
   * path is tested against, and the baseline of the benchmarks.
   */
  public static EventDecoder referenceOnly(DecodeLimits limits) {
    return new EventDecoder(limits, Map.of(), false);
  }

  /** How many events each path has decoded so far. */
  public DecodePathCounts pathCounts() {
    return new DecodePathCounts(fastEvents, referenceEvents);
  }

  /**
   * What this file's metadata said so far about each tag (true: a scalar summary). Stored with a
   * file's offset so that resuming in the middle of the file still knows which tensors are scalars.
   */
  public Map<String, Boolean> knownTags() {
    Map<String, Boolean> known = new HashMap<>();
    for (TagState state : tagStates.values()) {
      if (state.scalar != null) {
        known.put(state.text, state.scalar);
      }
    }
    return Map.copyOf(known);
  }

  /**
   * Decodes one record's data, {@code array[start, start + length)}, and reports what it holds to
   * {@code visitor}. The array is not kept or written to.
   *
   * @throws DecodeException when the bytes are not a valid Event
   */
  public void decode(byte[] array, int start, int length, EventVisitor visitor)
      throws DecodeException {
    if (fastPath != null && fastPath.decode(array, start, length, visitor)) {
      fastEvents++;
      return;
    }
    decodeWithMessages(CodedInputStream.newInstance(array, start, length), visitor);
  }

  /**
   * Decodes one record's data (the buffer's remaining bytes; its position is not moved) and reports
   * what it holds to {@code visitor}.
   *
   * @throws DecodeException when the bytes are not a valid Event
   */
  public void decode(ByteBuffer data, EventVisitor visitor) throws DecodeException {
    if (data.hasArray()) {
      decode(data.array(), data.arrayOffset() + data.position(), data.remaining(), visitor);
    } else {
      decodeWithMessages(CodedInputStream.newInstance(data.duplicate()), visitor);
    }
  }

  private void decodeWithMessages(CodedInputStream input, EventVisitor visitor)
      throws DecodeException {
    referenceEvents++;
    Event event;
    try {
      event = Event.parseFrom(input);
    } catch (IOException e) {
      throw new DecodeException("not a valid Event: " + e.getMessage(), e);
    }
    switch (event.getWhatCase()) {
      case FILE_VERSION -> visitor.fileVersion(event.getFileVersion(), event.getWallTime());
      case SESSION_LOG -> {
        if (event.getSessionLog().getStatus() == SessionLog.SessionStatus.START) {
          visitor.sessionStart(event.getStep(), event.getWallTime());
        }
      }
      case SUMMARY -> decodeSummary(event, visitor);
      default -> {
        // Graphs, run metadata and log messages carry no scalars.
      }
    }
  }

  private void decodeSummary(Event event, EventVisitor visitor) {
    Summary summary = event.getSummary();
    int skipped = 0;
    for (int i = 0; i < summary.getValueCount(); i++) {
      Summary.Value value = summary.getValue(i);
      TagState state = tagOf(value, visitor);
      if (state == null) {
        skipped++;
        continue;
      }
      String tag = state.text;
      if (value.hasMetadata()) {
        remember(state, value.getMetadata());
      }
      switch (value.getValueCase()) {
        case SIMPLE_VALUE -> scalar(visitor, tag, event, value.getSimpleValue(), ValueType.FLOAT32);
        case TENSOR -> {
          if (Boolean.TRUE.equals(state.scalar)) {
            decodeTensor(tag, event, value.getTensor(), visitor);
          }
        }
        default -> {
          // Images, histograms, audio, metadata-only values (hparams): not scalars.
        }
      }
    }
    if (skipped > 0) {
      warnOnce(
          visitor,
          "",
          "tags per file",
          "more than "
              + limits.maxTagsPerFile()
              + " distinct tags in this file (the limit); "
              + skipped
              + " values of new tags in this event skipped, and every new tag from here on (said once per file)");
    }
  }

  private void remember(TagState state, SummaryMetadata metadata) {
    boolean scalar =
        SCALARS_PLUGIN.equals(metadata.getPluginData().getPluginName())
            || metadata.getDataClass() == DataClass.DATA_CLASS_SCALAR;
    state.scalar = scalar;
  }

  private void decodeTensor(String tag, Event event, TensorProto tensor, EventVisitor visitor) {
    long elements = elementCount(tensor.getTensorShape());
    if (elements != 1) {
      warnOnce(
          visitor,
          tag,
          "shape",
          "tag '" + tag + "' is a scalar summary with " + elements + " elements; skipped");
      return;
    }
    ByteString content = tensor.getTensorContent();
    ByteBuffer bytes = content.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    int size = content.size();
    double value;
    ValueType type;
    DataType dtype = tensor.getDtype();
    switch (tensor.getDtypeValue()) {
      case DataType.DT_FLOAT_VALUE -> {
        type = ValueType.FLOAT32;
        if (size == 4) {
          value = bytes.getFloat(0);
        } else if (tensor.getFloatValCount() > 0) {
          value = tensor.getFloatVal(0);
        } else {
          missing(visitor, tag, dtype);
          return;
        }
      }
      case DataType.DT_DOUBLE_VALUE -> {
        type = ValueType.FLOAT64;
        if (size == 8) {
          value = bytes.getDouble(0);
        } else if (tensor.getDoubleValCount() > 0) {
          value = tensor.getDoubleVal(0);
        } else {
          missing(visitor, tag, dtype);
          return;
        }
      }
      case DataType.DT_HALF_VALUE, DataType.DT_BFLOAT16_VALUE -> {
        boolean half = tensor.getDtypeValue() == DataType.DT_HALF_VALUE;
        type = half ? ValueType.FLOAT16 : ValueType.BFLOAT16;
        int bits;
        if (size == 2) {
          bits = bytes.getShort(0) & 0xffff;
        } else if (tensor.getHalfValCount() > 0) {
          bits = tensor.getHalfVal(0) & 0xffff;
        } else {
          missing(visitor, tag, dtype);
          return;
        }
        value = half ? HalfFloats.float16ToDouble(bits) : HalfFloats.bfloat16ToDouble(bits);
      }
      case DataType.DT_INT32_VALUE -> {
        type = ValueType.INT32;
        if (size == 4) {
          value = bytes.getInt(0);
        } else if (tensor.getIntValCount() > 0) {
          value = tensor.getIntVal(0);
        } else {
          missing(visitor, tag, dtype);
          return;
        }
      }
      case DataType.DT_INT64_VALUE -> {
        type = ValueType.INT64;
        if (size == 8) {
          value = bytes.getLong(0);
        } else if (tensor.getInt64ValCount() > 0) {
          value = tensor.getInt64Val(0);
        } else {
          missing(visitor, tag, dtype);
          return;
        }
      }
      default -> {
        warnOnce(
            visitor,
            tag,
            "dtype",
            "tag '"
                + tag
                + "' is a scalar summary of unsupported type "
                + dtypeName(tensor)
                + "; skipped");
        return;
      }
    }
    scalar(visitor, tag, event, value, type);
  }

  private void scalar(EventVisitor visitor, String tag, Event event, double value, ValueType type) {
    double wallTime = event.getWallTime();
    if (!Double.isFinite(wallTime)) {
      // A writer with a broken clock; the step still orders the points, so they are kept.
      warnOnce(
          visitor,
          "",
          "wall time",
          "tag '"
              + tag
              + "' step "
              + event.getStep()
              + " has wall time "
              + wallTime
              + " (said once per file); its points are kept, ordered by step");
    }
    visitor.scalar(tag, event.getStep(), wallTime, value, type);
  }

  private static long elementCount(TensorShapeProto shape) {
    long count = 1;
    for (int i = 0; i < shape.getDimCount(); i++) {
      long size = shape.getDim(i).getSize();
      if (size < 0) {
        return -1;
      }
      count *= size;
      if (count > 1) {
        return count;
      }
    }
    return count;
  }

  private void missing(EventVisitor visitor, String tag, DataType dtype) {
    warnOnce(
        visitor,
        tag,
        "empty",
        "tag '" + tag + "' has a " + dtype + " scalar tensor with no value; skipped");
  }

  private static String dtypeName(TensorProto tensor) {
    DataType dtype = tensor.getDtype();
    return dtype == DataType.UNRECOGNIZED ? "#" + tensor.getDtypeValue() : dtype.name();
  }

  private void warnOnce(EventVisitor visitor, String tag, String kind, String message) {
    if (warned.add(kind + '\u0000' + tag)) {
      visitor.warning(message);
    }
  }

  /** The tag's state, or null for a new tag past {@link DecodeLimits#maxTagsPerFile}. */
  private @Nullable TagState tagOf(Summary.Value value, EventVisitor visitor) {
    ByteString raw = value.getTag().isEmpty() ? value.getNodeName() : value.getTag();
    TagState known = tagNames.get(raw);
    if (known != null) {
      return known;
    }
    if (tagStates.size() >= limits.maxTagsPerFile()) {
      // At the limit only a tag known already (its state restored with the file's cursor) is kept.
      TagState restored = tagStates.get(raw.toStringUtf8());
      if (restored == null) {
        return null;
      }
    }
    TagState state = stateOf(toText(raw, visitor));
    tagNames.put(raw, state);
    tagTable.add(raw.toByteArray(), state);
    return state;
  }

  private TagState stateOf(String tag) {
    return tagStates.computeIfAbsent(tag, TagState::new);
  }

  private String toText(ByteString raw, EventVisitor visitor) {
    ByteString kept = raw;
    if (raw.size() > limits.maxTagLength()) {
      int cut = limits.maxTagLength();
      // Cut before a character, not inside one: step back over UTF-8 continuation bytes.
      while (cut > 0 && (raw.byteAt(cut) & 0xc0) == 0x80) {
        cut--;
      }
      kept = raw.substring(0, cut);
      visitor.warning(
          "a tag of "
              + raw.size()
              + " bytes is longer than the limit of "
              + limits.maxTagLength()
              + "; cut to the limit");
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(kept.asReadOnlyByteBuffer())
          .toString();
    } catch (CharacterCodingException e) {
      String replaced = kept.toString(StandardCharsets.UTF_8);
      visitor.warning(
          "tag bytes "
              + hex(kept)
              + " are not valid UTF-8; kept as '"
              + replaced
              + "' with U+FFFD for the invalid bytes");
      return replaced;
    }
  }

  private static String hex(ByteString bytes) {
    StringBuilder out = new StringBuilder(bytes.size() * 2);
    int shown = Math.min(bytes.size(), 64);
    for (int i = 0; i < shown; i++) {
      out.append(String.format("%02x", bytes.byteAt(i) & 0xff));
    }
    if (shown < bytes.size()) {
      out.append("...");
    }
    return out.toString();
  }
}
