package dev.plateau.write;

import com.google.protobuf.ByteString;
import dev.plateau.proto.DataClass;
import dev.plateau.proto.DataType;
import dev.plateau.proto.Event;
import dev.plateau.proto.SessionLog;
import dev.plateau.proto.Summary;
import dev.plateau.proto.SummaryMetadata;
import dev.plateau.proto.TensorProto;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * Writes TensorBoard event files the way real writers do: a {@code file_version} event first, then
 * one event per summary; tensor scalars carry the {@code scalars} plugin metadata on the first
 * value of each tag only, as TensorFlow 2 does. Used by {@code plateau demo}, the benchmarks and
 * the tests; Plateau itself never writes event files into a logdir it watches.
 */
public final class EventFileWriter implements Closeable {
  private final OutputStream out;
  private final RecordWriter records;
  private final Set<String> taggedWithMetadata = new HashSet<>();

  /** Writes to {@code out}, starting with the file_version event at {@code wallTime}. */
  public EventFileWriter(OutputStream out, double wallTime) throws IOException {
    this.out = out;
    this.records = new RecordWriter(out);
    write(Event.newBuilder().setWallTime(wallTime).setFileVersion("brain.Event:2").build());
  }

  /**
   * Creates {@code dir/events.out.tfevents.<seconds>.<host>.<pid>.<index>.v2} (and the directory)
   * and writes its file_version event.
   */
  public static EventFileWriter create(Path dir, double wallTime, String host, int index)
      throws IOException {
    Files.createDirectories(dir);
    String name =
        String.format(
            "events.out.tfevents.%d.%s.%d.%d.v2",
            (long) wallTime, host, ProcessHandle.current().pid(), index);
    OutputStream stream =
        Files.newOutputStream(
            dir.resolve(name), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    return new EventFileWriter(new BufferedOutputStream(stream, 1 << 16), wallTime);
  }

  /** A scalar as {@code simple_value} (float32), as TF1, PyTorch and tensorboardX write it. */
  public void simpleValue(String tag, long step, double wallTime, float value) throws IOException {
    Summary.Value v =
        Summary.Value.newBuilder()
            .setTag(ByteString.copyFrom(tag, StandardCharsets.UTF_8))
            .setSimpleValue(value)
            .build();
    write(summaryEvent(step, wallTime, v));
  }

  /**
   * A rank-0 tensor scalar, as {@code tf.summary.scalar} and Keras write it; {@code value} is
   * converted to {@code dtype} (rounded for float, half and bfloat16, truncated for integers).
   */
  public void tensorScalar(
      String tag, long step, double wallTime, DataType dtype, TensorStorage storage, double value)
      throws IOException {
    TensorProto.Builder tensor = TensorProto.newBuilder().setDtype(dtype);
    tensor.getTensorShapeBuilder(); // rank 0: a present, empty shape
    if (storage == TensorStorage.TENSOR_CONTENT) {
      tensor.setTensorContent(ByteString.copyFrom(littleEndian(dtype, value)));
    } else {
      switch (dtype) {
        case DT_FLOAT -> tensor.addFloatVal((float) value);
        case DT_DOUBLE -> tensor.addDoubleVal(value);
        case DT_INT32 -> tensor.addIntVal((int) value);
        case DT_INT64 -> tensor.addInt64Val((long) value);
        case DT_HALF -> tensor.addHalfVal(HalfFloatBits.toFloat16(value));
        case DT_BFLOAT16 -> tensor.addHalfVal(HalfFloatBits.toBfloat16(value));
        default -> throw new IllegalArgumentException("no typed field written for " + dtype);
      }
    }
    tensorValue(tag, step, wallTime, tensor.build());
  }

  /**
   * A tensor value with the given tag; the first value of each tag in this file carries the {@code
   * scalars} plugin metadata and the SCALAR data class.
   */
  public void tensorValue(String tag, long step, double wallTime, TensorProto tensor)
      throws IOException {
    Summary.Value.Builder v =
        Summary.Value.newBuilder()
            .setTag(ByteString.copyFrom(tag, StandardCharsets.UTF_8))
            .setTensor(tensor);
    if (taggedWithMetadata.add(tag)) {
      v.setMetadata(
          SummaryMetadata.newBuilder()
              .setPluginData(SummaryMetadata.PluginData.newBuilder().setPluginName("scalars"))
              .setDataClass(DataClass.DATA_CLASS_SCALAR));
    }
    write(summaryEvent(step, wallTime, v.build()));
  }

  /** A {@code SessionLog} START at {@code step}, as TF1's supervisor writes on a restart. */
  public void sessionStart(long step, double wallTime) throws IOException {
    write(
        Event.newBuilder()
            .setStep(step)
            .setWallTime(wallTime)
            .setSessionLog(SessionLog.newBuilder().setStatus(SessionLog.SessionStatus.START))
            .build());
  }

  /** Writes any event. */
  public void write(Event event) throws IOException {
    records.write(event.toByteArray());
  }

  public void flush() throws IOException {
    records.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  private static Event summaryEvent(long step, double wallTime, Summary.Value value) {
    return Event.newBuilder()
        .setStep(step)
        .setWallTime(wallTime)
        .setSummary(Summary.newBuilder().addValue(value))
        .build();
  }

  private static byte[] littleEndian(DataType dtype, double value) {
    ByteBuffer buffer = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    switch (dtype) {
      case DT_FLOAT -> buffer.putFloat((float) value);
      case DT_DOUBLE -> buffer.putDouble(value);
      case DT_INT32 -> buffer.putInt((int) value);
      case DT_INT64 -> buffer.putLong((long) value);
      case DT_HALF -> buffer.putShort((short) HalfFloatBits.toFloat16(value));
      case DT_BFLOAT16 -> buffer.putShort((short) HalfFloatBits.toBfloat16(value));
      default -> throw new IllegalArgumentException("no tensor_content written for " + dtype);
    }
    byte[] bytes = new byte[buffer.position()];
    buffer.flip().get(bytes);
    return bytes;
  }
}
