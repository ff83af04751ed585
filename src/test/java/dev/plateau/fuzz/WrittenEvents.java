package dev.plateau.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.google.protobuf.ByteString;
import dev.plateau.proto.DataType;
import dev.plateau.proto.Event;
import dev.plateau.proto.SessionLog;
import dev.plateau.proto.Summary;
import dev.plateau.proto.SummaryMetadata;
import dev.plateau.proto.TensorProto;
import dev.plateau.series.ScalarPoint;
import dev.plateau.write.EventFileWriter;
import dev.plateau.write.TensorStorage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An event file written from fuzzer data with the project's own writer ({@link EventFileWriter}):
 * simple_value and tensor scalars of every supported type in both storages, SessionLog STARTs, and
 * optionally events the writer would never make (any tag bytes, metadata, dtype, shape and content)
 * and raw bytes between records.
 *
 * <p>For the writer's own scalars the points a reader must find are known: a tensor scalar is
 * written with a value its type holds exactly (an integer for int32 and int64, a float for float32,
 * m &times; 2^e with an 11-bit m for float16 and an 8-bit m for bfloat16), so reading it back must
 * give that value, not merely something close.
 *
 * @param bytes the file's content
 * @param expected the points a reader must find, in order, when {@code predictable}
 * @param predictable false when odd events or raw bytes make the points unpredictable
 */
record WrittenEvents(byte[] bytes, List<Expected> expected, boolean predictable) {
  static final int MAX_EVENTS = 40;
  private static final String[] TAGS = {"loss", "val_loss", "epoch_accuracy", "lr", "a/b/c", ""};
  private static final DataType[] SCALAR_TYPES = {
    DataType.DT_FLOAT,
    DataType.DT_DOUBLE,
    DataType.DT_INT32,
    DataType.DT_INT64,
    DataType.DT_HALF,
    DataType.DT_BFLOAT16
  };

  /** A point the file must yield (run and file name are the reader's business). */
  record Expected(String tag, long step, double wallTime, double value) {
    ScalarPoint in(String run, String file) {
      return new ScalarPoint(run, file, tag, step, wallTime, value);
    }
  }

  static WrittenEvents from(FuzzedDataProvider data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    EventFileWriter writer = new EventFileWriter(out, data.consumeDouble());
    List<Expected> expected = new ArrayList<>();
    // Half the inputs hold only what the writer makes, so that the points can be predicted.
    boolean predictable = data.consumeBoolean();
    int kinds = predictable ? 3 : 5;
    int events = data.consumeInt(0, MAX_EVENTS);
    for (int i = 0; i < events && data.remainingBytes() > 0; i++) {
      String tag = tag(data);
      long step = data.consumeBoolean() ? i : data.consumeLong();
      double wallTime = data.consumeBoolean() ? 1.7e9 + i : data.consumeDouble();
      switch (data.consumeInt(0, kinds)) {
        case 0 -> {
          float value = data.consumeFloat();
          writer.simpleValue(tag, step, wallTime, value);
          expected.add(new Expected(tag, step, wallTime, value));
        }
        case 1, 2 -> {
          DataType dtype = data.pickValue(SCALAR_TYPES);
          TensorStorage storage = data.pickValue(TensorStorage.values());
          double value = exactlyHeldBy(dtype, data);
          writer.tensorScalar(tag, step, wallTime, dtype, storage, value);
          expected.add(new Expected(tag, step, wallTime, value));
        }
        case 3 -> writer.sessionStart(step, wallTime);
        case 4 -> {
          writer.write(oddEvent(data, step, wallTime));
        }
        default -> {
          writer.flush();
          out.writeBytes(data.consumeBytes(data.consumeInt(1, 64)));
        }
      }
    }
    writer.flush();
    return new WrittenEvents(out.toByteArray(), expected, predictable);
  }

  private static String tag(FuzzedDataProvider data) {
    return data.consumeBoolean() ? data.pickValue(TAGS) : data.consumeAsciiString(24);
  }

  /** A value that {@code dtype} holds exactly, so that writing and reading it loses nothing. */
  private static double exactlyHeldBy(DataType dtype, FuzzedDataProvider data) {
    return switch (dtype) {
      case DT_FLOAT -> data.consumeFloat();
      case DT_DOUBLE -> data.consumeDouble();
      case DT_INT32 -> data.consumeInt();
      // Through double: the writer takes a double, which holds this long's rounded value.
      case DT_INT64 -> (double) data.consumeLong();
      // 11 significant bits, exponents from the smallest subnormal to below 65504.
      case DT_HALF ->
          special(data, Math.scalb((double) data.consumeInt(-2047, 2047), data.consumeInt(-24, 4)));
      // 8 significant bits over float32's exponent range.
      default ->
          special(
              data, Math.scalb((double) data.consumeInt(-255, 255), data.consumeInt(-133, 120)));
    };
  }

  /** Sometimes NaN, an infinity or negative zero instead: every 16-bit float holds those. */
  private static double special(FuzzedDataProvider data, double otherwise) {
    return switch (data.consumeInt(0, 7)) {
      case 0 -> Double.NaN;
      case 1 -> Double.POSITIVE_INFINITY;
      case 2 -> Double.NEGATIVE_INFINITY;
      case 3 -> -0.0;
      default -> otherwise;
    };
  }

  /** An event the writer would not make: any tag bytes, metadata, dtype, shape and content. */
  private static Event oddEvent(FuzzedDataProvider data, long step, double wallTime) {
    Event.Builder event = Event.newBuilder().setStep(step).setWallTime(wallTime);
    switch (data.consumeInt(0, 3)) {
      case 0 -> event.setSessionLog(SessionLog.newBuilder().setStatusValue(data.consumeInt(0, 5)));
      case 1 -> event.setFileVersion(data.consumeAsciiString(16));
      default -> {
        Summary.Builder summary = Summary.newBuilder();
        int values = data.consumeInt(0, 3);
        for (int v = 0; v < values; v++) {
          summary.addValue(oddValue(data));
        }
        event.setSummary(summary);
      }
    }
    return event.build();
  }

  private static Summary.Value oddValue(FuzzedDataProvider data) {
    Summary.Value.Builder value = Summary.Value.newBuilder();
    if (data.consumeBoolean()) {
      value.setTag(ByteString.copyFrom(data.consumeBytes(data.consumeInt(0, 32))));
    } else {
      value.setNodeName(ByteString.copyFromUtf8(data.pickValue(TAGS)));
    }
    if (data.consumeBoolean()) {
      value.setMetadata(
          SummaryMetadata.newBuilder()
              .setPluginData(
                  SummaryMetadata.PluginData.newBuilder()
                      .setPluginName(
                          data.consumeBoolean()
                              ? data.pickValue(
                                  new String[] {"scalars", "histograms", "hparams", "text"})
                              : data.consumeAsciiString(12)))
              .setDataClassValue(data.consumeInt(0, 4)));
    }
    switch (data.consumeInt(0, 3)) {
      case 0 -> value.setSimpleValue(data.consumeFloat());
      case 1 -> value.setHisto(ByteString.copyFrom(data.consumeBytes(8)));
      case 2 -> {
        TensorProto.Builder tensor = TensorProto.newBuilder().setDtypeValue(data.consumeInt(0, 24));
        int dims = data.consumeInt(0, 3);
        for (int d = 0; d < dims; d++) {
          tensor
              .getTensorShapeBuilder()
              .addDimBuilder()
              .setSize(data.consumeBoolean() ? data.consumeLong(-1, 2) : data.consumeLong());
        }
        tensor.setTensorContent(ByteString.copyFrom(data.consumeBytes(data.consumeInt(0, 9))));
        int typed = data.consumeInt(0, 2);
        for (int t = 0; t < typed; t++) {
          switch (data.consumeInt(0, 4)) {
            case 0 -> tensor.addFloatVal(data.consumeFloat());
            case 1 -> tensor.addDoubleVal(data.consumeDouble());
            case 2 -> tensor.addIntVal(data.consumeInt());
            case 3 -> tensor.addInt64Val(data.consumeLong());
            default -> tensor.addHalfVal(data.consumeInt());
          }
        }
        value.setTensor(tensor);
      }
      default -> {
        // A value with no content: metadata only, as hparams summaries are.
      }
    }
    return value.build();
  }
}
