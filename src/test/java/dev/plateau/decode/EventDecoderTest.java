package dev.plateau.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.plateau.proto.DataClass;
import dev.plateau.proto.DataType;
import dev.plateau.proto.Event;
import dev.plateau.proto.SessionLog;
import dev.plateau.proto.Summary;
import dev.plateau.proto.SummaryMetadata;
import dev.plateau.proto.TensorProto;
import dev.plateau.proto.TensorShapeProto;
import dev.plateau.write.EventFileWriter;
import dev.plateau.write.TensorStorage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class EventDecoderTest {

  // ---------------------------------------------------------------- recording visitor

  record Scalar(String tag, long step, double wallTime, double value, ValueType type) {
    long bits() {
      return Double.doubleToRawLongBits(value);
    }
  }

  static final class Recorder implements EventVisitor {
    final List<Object> calls = new ArrayList<>();
    final List<Scalar> scalars = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    final List<long[]> sessionStarts = new ArrayList<>();
    final List<String> versions = new ArrayList<>();

    @Override
    public void scalar(String tag, long step, double wallTime, double value, ValueType type) {
      Scalar s = new Scalar(tag, step, wallTime, value, type);
      scalars.add(s);
      calls.add(s);
    }

    @Override
    public void fileVersion(String version, double wallTime) {
      versions.add(version);
      calls.add("version " + version);
    }

    @Override
    public void sessionStart(long step, double wallTime) {
      sessionStarts.add(new long[] {step, Double.doubleToLongBits(wallTime)});
      calls.add("start " + step);
    }

    @Override
    public void warning(String message) {
      warnings.add(message);
      calls.add("warning " + message);
    }
  }

  // ---------------------------------------------------------------- helpers

  private static final SummaryMetadata SCALARS_METADATA =
      SummaryMetadata.newBuilder()
          .setPluginData(SummaryMetadata.PluginData.newBuilder().setPluginName("scalars"))
          .build();

  private static Recorder decode(EventDecoder decoder, Event... events) throws DecodeException {
    Recorder recorder = new Recorder();
    for (Event e : events) {
      decoder.decode(ByteBuffer.wrap(e.toByteArray()), recorder);
    }
    return recorder;
  }

  private static Recorder decode(Event... events) throws DecodeException {
    return decode(new EventDecoder(DecodeLimits.DEFAULTS), events);
  }

  private static Event summary(long step, Summary.Value... values) {
    return Event.newBuilder()
        .setStep(step)
        .setWallTime(1000.5 + step)
        .setSummary(Summary.newBuilder().addAllValue(List.of(values)))
        .build();
  }

  private static Summary.Value.Builder value(String tag) {
    return Summary.Value.newBuilder().setTag(ByteString.copyFromUtf8(tag));
  }

  private static Summary.Value tensorValue(String tag, TensorProto tensor, SummaryMetadata meta) {
    Summary.Value.Builder v = value(tag).setTensor(tensor);
    if (meta != null) {
      v.setMetadata(meta);
    }
    return v.build();
  }

  private static TensorProto.Builder scalarTensor(DataType dtype) {
    TensorProto.Builder t = TensorProto.newBuilder().setDtype(dtype);
    t.getTensorShapeBuilder();
    return t;
  }

  private static TensorProto content(DataType dtype, int bytes, long raw) {
    ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(raw);
    return scalarTensor(dtype).setTensorContent(ByteString.copyFrom(b.array(), 0, bytes)).build();
  }

  /** Decodes every record of an event file written by the project's writer, with one decoder. */
  private static Recorder decodeFile(byte[] file, EventDecoder decoder) throws Exception {
    RecordReader reader = new RecordReader(new MemoryChannel(file), 0, DecodeLimits.DEFAULTS);
    Recorder recorder = new Recorder();
    ReadResult r;
    while ((r = reader.next()) instanceof ReadResult.Record record) {
      decoder.decode(record.data(), recorder);
    }
    assertThat(r).isEqualTo(new ReadResult.IncompleteTail(file.length, 0, false));
    return recorder;
  }

  // ---------------------------------------------------------------- simple_value

  @Test
  void simpleValueIsAFloat32ScalarWithStepAndWallTime() throws Exception {
    Recorder r = decode(summary(7, value("loss").setSimpleValue(0.25f).build()));
    assertThat(r.scalars).containsExactly(new Scalar("loss", 7, 1007.5, 0.25, ValueType.FLOAT32));
    assertThat(r.warnings).isEmpty();
  }

  @Test
  void simpleValuesKeepTheirFloatBitsExactly() throws Exception {
    float[] values = {
      0.1f,
      -0.0f,
      0.0f,
      Float.MIN_VALUE,
      Float.MIN_NORMAL,
      Float.MAX_VALUE,
      -Float.MAX_VALUE,
      Float.POSITIVE_INFINITY,
      Float.NEGATIVE_INFINITY,
      Float.NaN,
      1e-40f,
      3.4028235e38f
    };
    List<Summary.Value> proto = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      proto.add(value("t" + i).setSimpleValue(values[i]).build());
    }
    Recorder r = decode(summary(1, proto.toArray(Summary.Value[]::new)));
    assertThat(r.scalars).hasSize(values.length);
    for (int i = 0; i < values.length; i++) {
      Scalar s = r.scalars.get(i);
      assertThat(s.tag()).isEqualTo("t" + i);
      if (Float.isNaN(values[i])) {
        assertThat(s.value()).isNaN();
      } else {
        assertThat(s.bits())
            .as("value %s", values[i])
            .isEqualTo(Double.doubleToRawLongBits(values[i]));
      }
    }
  }

  @Test
  void simpleValueWithoutMetadataCountsEvenWhenTheTagIsKnownAsAnotherPlugin() throws Exception {
    // A simple_value is a scalar by its type; metadata only matters for tensors.
    Recorder r = decode(summary(1, value("x").setSimpleValue(1f).build()));
    assertThat(r.scalars).hasSize(1);
  }

  // ---------------------------------------------------------------- tensor scalars via the writer

  static Stream<Arguments> dtypesAndStorage() {
    List<Arguments> out = new ArrayList<>();
    for (TensorStorage storage : TensorStorage.values()) {
      out.add(Arguments.of(DataType.DT_FLOAT, storage, ValueType.FLOAT32, (double) 0.1f));
      out.add(Arguments.of(DataType.DT_DOUBLE, storage, ValueType.FLOAT64, 0.1));
      out.add(Arguments.of(DataType.DT_HALF, storage, ValueType.FLOAT16, 0.333251953125));
      out.add(Arguments.of(DataType.DT_BFLOAT16, storage, ValueType.BFLOAT16, 0.333984375));
      out.add(Arguments.of(DataType.DT_INT32, storage, ValueType.INT32, -123456789.0));
      out.add(Arguments.of(DataType.DT_INT64, storage, ValueType.INT64, 9007199254740992.0));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} in {1}")
  @MethodSource("dtypesAndStorage")
  void tensorScalarOfEachDtypeAndStorageIsDecodedExactly(
      DataType dtype, TensorStorage storage, ValueType type, double exact) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (EventFileWriter w = new EventFileWriter(out, 100.0)) {
      // The first value carries the metadata, the later ones do not.
      w.tensorScalar("m", 1, 101.0, dtype, storage, exact);
      w.tensorScalar("m", 2, 102.0, dtype, storage, exact);
      w.tensorScalar("m", 3, 103.0, dtype, storage, -exact);
      w.flush();
    }
    Recorder r = decodeFile(out.toByteArray(), new EventDecoder(DecodeLimits.DEFAULTS));
    assertThat(r.versions).containsExactly("brain.Event:2");
    assertThat(r.warnings).isEmpty();
    assertThat(r.scalars)
        .containsExactly(
            new Scalar("m", 1, 101.0, exact, type),
            new Scalar("m", 2, 102.0, exact, type),
            new Scalar("m", 3, 103.0, -exact, type));
  }

  // ---------------------------------------------------------------- tensor scalars, exact bits

  /** (dtype, bytes, raw little-endian bits, expected double) for tensor_content. */
  static Stream<Arguments> exactBits() {
    return Stream.of(
        // float16: subnormals, normals, extremes, signed zero, infinities
        Arguments.of(DataType.DT_HALF, 0x0001, 0x1p-24),
        Arguments.of(DataType.DT_HALF, 0x8001, -0x1p-24),
        Arguments.of(DataType.DT_HALF, 0x03ff, 1023 * 0x1p-24),
        Arguments.of(DataType.DT_HALF, 0x0200, 0x1p-15),
        Arguments.of(DataType.DT_HALF, 0x0400, 0x1p-14),
        Arguments.of(DataType.DT_HALF, 0x3c00, 1.0),
        Arguments.of(DataType.DT_HALF, 0x3c01, 1.0 + 0x1p-10),
        Arguments.of(DataType.DT_HALF, 0x3555, 0.333251953125),
        Arguments.of(DataType.DT_HALF, 0xc000, -2.0),
        Arguments.of(DataType.DT_HALF, 0x7bff, 65504.0),
        Arguments.of(DataType.DT_HALF, 0xfbff, -65504.0),
        Arguments.of(DataType.DT_HALF, 0x0000, 0.0),
        Arguments.of(DataType.DT_HALF, 0x8000, -0.0),
        Arguments.of(DataType.DT_HALF, 0x7c00, Double.POSITIVE_INFINITY),
        Arguments.of(DataType.DT_HALF, 0xfc00, Double.NEGATIVE_INFINITY),
        Arguments.of(DataType.DT_HALF, 0x7e00, Double.NaN),
        Arguments.of(DataType.DT_HALF, 0x7c01, Double.NaN),
        Arguments.of(DataType.DT_HALF, 0xfe00, Double.NaN),
        // bfloat16: the upper half of a float32
        Arguments.of(DataType.DT_BFLOAT16, 0x3f80, 1.0),
        Arguments.of(DataType.DT_BFLOAT16, 0xbf80, -1.0),
        Arguments.of(DataType.DT_BFLOAT16, 0x3eab, (double) Float.intBitsToFloat(0x3eab0000)),
        Arguments.of(DataType.DT_BFLOAT16, 0x0001, 0x1p-133),
        Arguments.of(DataType.DT_BFLOAT16, 0x007f, 127 * 0x1p-133),
        Arguments.of(DataType.DT_BFLOAT16, 0x7f7f, (double) Float.intBitsToFloat(0x7f7f0000)),
        Arguments.of(DataType.DT_BFLOAT16, 0x8000, -0.0),
        Arguments.of(DataType.DT_BFLOAT16, 0x7f80, Double.POSITIVE_INFINITY),
        Arguments.of(DataType.DT_BFLOAT16, 0xff80, Double.NEGATIVE_INFINITY),
        Arguments.of(DataType.DT_BFLOAT16, 0x7fc0, Double.NaN),
        // float32 / float64
        Arguments.of(DataType.DT_FLOAT, Float.floatToRawIntBits(0.1f), (double) 0.1f),
        Arguments.of(DataType.DT_FLOAT, 0x00000001, (double) Float.MIN_VALUE),
        Arguments.of(DataType.DT_FLOAT, 0x80000000, -0.0),
        Arguments.of(DataType.DT_FLOAT, 0x7f800000, Double.POSITIVE_INFINITY),
        Arguments.of(DataType.DT_FLOAT, 0xff800000, Double.NEGATIVE_INFINITY),
        Arguments.of(DataType.DT_FLOAT, 0x7fc00000, Double.NaN),
        Arguments.of(DataType.DT_DOUBLE, Double.doubleToRawLongBits(0.1), 0.1),
        Arguments.of(DataType.DT_DOUBLE, 1L, Double.MIN_VALUE),
        Arguments.of(DataType.DT_DOUBLE, Double.doubleToRawLongBits(-0.0), -0.0),
        Arguments.of(
            DataType.DT_DOUBLE, Double.doubleToRawLongBits(Double.MAX_VALUE), Double.MAX_VALUE),
        Arguments.of(DataType.DT_DOUBLE, 0x7ff0000000000000L, Double.POSITIVE_INFINITY),
        Arguments.of(DataType.DT_DOUBLE, 0x7ff8000000000000L, Double.NaN),
        // integers
        Arguments.of(DataType.DT_INT32, 0x80000000, (double) Integer.MIN_VALUE),
        Arguments.of(DataType.DT_INT32, 0x7fffffff, (double) Integer.MAX_VALUE),
        Arguments.of(DataType.DT_INT32, 0xffffffff, -1.0),
        Arguments.of(DataType.DT_INT64, Long.MIN_VALUE, (double) Long.MIN_VALUE),
        Arguments.of(DataType.DT_INT64, Long.MAX_VALUE, (double) Long.MAX_VALUE),
        Arguments.of(DataType.DT_INT64, (1L << 53) + 1, (double) ((1L << 53) + 1)),
        Arguments.of(DataType.DT_INT64, -42L, -42.0));
  }

  private static int width(DataType dtype) {
    return switch (dtype) {
      case DT_HALF, DT_BFLOAT16 -> 2;
      case DT_FLOAT, DT_INT32 -> 4;
      default -> 8;
    };
  }

  private static TensorProto typed(DataType dtype, long raw) {
    TensorProto.Builder t = scalarTensor(dtype);
    switch (dtype) {
      case DT_HALF, DT_BFLOAT16 -> t.addHalfVal((int) (raw & 0xffff));
      case DT_FLOAT -> t.addFloatVal(Float.intBitsToFloat((int) raw));
      case DT_DOUBLE -> t.addDoubleVal(Double.longBitsToDouble(raw));
      case DT_INT32 -> t.addIntVal((int) raw);
      case DT_INT64 -> t.addInt64Val(raw);
      default -> throw new IllegalArgumentException();
    }
    return t.build();
  }

  private static void assertSameDouble(double actual, double expected, String what) {
    if (Double.isNaN(expected)) {
      assertThat(actual).as(what).isNaN();
    } else {
      assertThat(Double.doubleToRawLongBits(actual))
          .as(
              "%s: got %s (%s), expected %s (%s)",
              what,
              actual,
              Long.toHexString(Double.doubleToRawLongBits(actual)),
              expected,
              Long.toHexString(Double.doubleToRawLongBits(expected)))
          .isEqualTo(Double.doubleToRawLongBits(expected));
    }
  }

  @ParameterizedTest(name = "{0} 0x{1}")
  @MethodSource("exactBits")
  void tensorScalarBitsAreWidenedExactlyInBothStorageForms(
      DataType dtype, long raw, double expected) throws Exception {
    Recorder r =
        decode(
            summary(1, tensorValue("c", content(dtype, width(dtype), raw), SCALARS_METADATA)),
            summary(2, tensorValue("c", typed(dtype, raw), null)));
    assertThat(r.warnings).isEmpty();
    assertThat(r.scalars).hasSize(2);
    assertSameDouble(r.scalars.get(0).value(), expected, dtype + " tensor_content");
    assertSameDouble(r.scalars.get(1).value(), expected, dtype + " typed field");
  }

  @Test
  void halfValStoredSignExtendedIsReadAsItsLow16Bits() throws Exception {
    TensorProto negativeInfinity =
        scalarTensor(DataType.DT_HALF).addHalfVal(0xfc00 - 0x10000).build();
    TensorProto minusTwo = scalarTensor(DataType.DT_BFLOAT16).addHalfVal((short) 0xc000).build();
    Recorder r =
        decode(
            summary(1, tensorValue("h", negativeInfinity, SCALARS_METADATA)),
            summary(1, tensorValue("b", minusTwo, SCALARS_METADATA)));
    assertThat(r.scalars).extracting(Scalar::value).containsExactly(Double.NEGATIVE_INFINITY, -2.0);
  }

  @Test
  void everyFloat16BitPatternConvertsExactly() {
    double previous = Double.NEGATIVE_INFINITY;
    for (int bits = 0; bits <= 0x7c00; bits++) {
      double value = HalfFloats.float16ToDouble(bits);
      // Independent reference: for normals, the float32 with the same sign, exponent and
      // fraction; for subnormals, fraction * 2^-24.
      int exponent = bits >>> 10;
      int fraction = bits & 0x3ff;
      double reference =
          exponent == 0x1f
              ? Double.POSITIVE_INFINITY
              : exponent == 0
                  ? fraction / 16777216.0
                  : Float.intBitsToFloat(((exponent - 15 + 127) << 23) | (fraction << 13));
      assertThat(value).as("0x%04x", bits).isEqualTo(reference);
      assertThat(HalfFloats.float16ToDouble(bits | 0x8000)).isEqualTo(-reference);
      assertThat(value).as("monotonic at 0x%04x", bits).isGreaterThan(previous);
      previous = value;
    }
    for (int bits = 0x7c01; bits <= 0x7fff; bits++) {
      assertThat(HalfFloats.float16ToDouble(bits)).isNaN();
      assertThat(HalfFloats.float16ToDouble(bits | 0x8000)).isNaN();
    }
  }

  @Test
  void everyBfloat16BitPatternIsTheUpperHalfOfAFloat32() {
    for (int bits = 0; bits <= 0xffff; bits++) {
      float f = Float.intBitsToFloat(bits << 16);
      double value = HalfFloats.bfloat16ToDouble(bits);
      if (Float.isNaN(f)) {
        assertThat(value).isNaN();
      } else {
        assertThat(Double.doubleToRawLongBits(value))
            .isEqualTo(Double.doubleToRawLongBits((double) f));
      }
    }
  }

  @Test
  void tensorContentTakesPrecedenceAndAWrongSizedContentFallsBackToTheTypedField()
      throws Exception {
    TensorProto wrongSize =
        scalarTensor(DataType.DT_FLOAT)
            .setTensorContent(ByteString.copyFrom(new byte[] {1, 2}))
            .addFloatVal(5f)
            .build();
    Recorder r = decode(summary(1, tensorValue("x", wrongSize, SCALARS_METADATA)));
    assertThat(r.scalars).extracting(Scalar::value).containsExactly(5.0);
  }

  @Test
  void scalarTensorWithNoValueIsSkippedWithAWarning() throws Exception {
    Recorder r =
        decode(
            summary(1, tensorValue("x", scalarTensor(DataType.DT_FLOAT).build(), SCALARS_METADATA)),
            summary(2, tensorValue("x", scalarTensor(DataType.DT_FLOAT).build(), null)),
            summary(3, tensorValue("x", typed(DataType.DT_FLOAT, Float.floatToIntBits(3f)), null)));
    assertThat(r.warnings).singleElement().asString().contains("'x'");
    assertThat(r.scalars).extracting(Scalar::step).containsExactly(3L);
  }

  @Test
  void unsupportedDtypeOfAScalarSummaryIsSkippedWithOneWarning() throws Exception {
    TensorProto string =
        scalarTensor(DataType.DT_STRING).setTensorContent(ByteString.copyFromUtf8("abcd")).build();
    TensorProto unknown =
        TensorProto.newBuilder()
            .setDtypeValue(99)
            .setTensorContent(ByteString.copyFrom(new byte[4]))
            .build();
    Recorder r =
        decode(
            summary(1, tensorValue("s", string, SCALARS_METADATA)),
            summary(2, tensorValue("s", string, null)),
            summary(3, tensorValue("u", unknown, SCALARS_METADATA)));
    assertThat(r.scalars).isEmpty();
    assertThat(r.warnings).hasSize(2);
    assertThat(r.warnings.get(0)).contains("DT_STRING");
    assertThat(r.warnings.get(1)).contains("#99");
  }

  // ---------------------------------------------------------------- metadata

  @Test
  void metadataOnlyOnTheFirstValueOfATagAppliesToLaterValuesInTheFile() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (EventFileWriter w = new EventFileWriter(out, 100.0)) {
      for (int step = 0; step < 5; step++) {
        w.tensorScalar(
            "a", step, 100 + step, DataType.DT_FLOAT, TensorStorage.TENSOR_CONTENT, step);
        w.tensorScalar("b", step, 100 + step, DataType.DT_DOUBLE, TensorStorage.TYPED_FIELD, -step);
      }
    }
    byte[] file = out.toByteArray();
    EventDecoder decoder = new EventDecoder(DecodeLimits.DEFAULTS);
    Recorder r = decodeFile(file, decoder);
    assertThat(r.scalars).hasSize(10);
    assertThat(r.scalars)
        .filteredOn(s -> s.tag().equals("a"))
        .extracting(Scalar::value)
        .containsExactly(0.0, 1.0, 2.0, 3.0, 4.0);
    assertThat(r.scalars)
        .filteredOn(s -> s.tag().equals("b"))
        .extracting(Scalar::value)
        .containsExactly(0.0, -1.0, -2.0, -3.0, -4.0);
    assertThat(decoder.knownTags()).isEqualTo(Map.of("a", true, "b", true));
  }

  @Test
  void freshDecoderThatMissedTheMetadataIgnoresMetadataLessTensors() throws Exception {
    Event withMetadata =
        summary(
            1,
            tensorValue("a", typed(DataType.DT_FLOAT, Float.floatToIntBits(1f)), SCALARS_METADATA));
    Event without =
        summary(2, tensorValue("a", typed(DataType.DT_FLOAT, Float.floatToIntBits(2f)), null));

    EventDecoder first = new EventDecoder(DecodeLimits.DEFAULTS);
    assertThat(decode(first, withMetadata).scalars).hasSize(1);

    // Resumed in the middle of the file without the stored tags: the tensor is not known.
    Recorder fresh = decode(new EventDecoder(DecodeLimits.DEFAULTS), without);
    assertThat(fresh.scalars).isEmpty();
    assertThat(fresh.warnings).isEmpty();

    // Resumed with the first decoder's knownTags(): the tensor counts.
    Recorder resumed = decode(new EventDecoder(DecodeLimits.DEFAULTS, first.knownTags()), without);
    assertThat(resumed.scalars).containsExactly(new Scalar("a", 2, 1002.5, 2.0, ValueType.FLOAT32));
  }

  @Test
  void knownTagsRoundTripThroughTheSecondConstructorAndAreACopy() throws Exception {
    EventDecoder first = new EventDecoder(DecodeLimits.DEFAULTS);
    SummaryMetadata histograms =
        SummaryMetadata.newBuilder()
            .setPluginData(SummaryMetadata.PluginData.newBuilder().setPluginName("histograms"))
            .build();
    decode(
        first,
        summary(1, tensorValue("s", typed(DataType.DT_FLOAT, 0), SCALARS_METADATA)),
        summary(1, tensorValue("h", typed(DataType.DT_FLOAT, 0), histograms)));
    Map<String, Boolean> known = first.knownTags();
    assertThat(known).isEqualTo(Map.of("s", true, "h", false));
    assertThatThrownBy(() -> known.put("x", true))
        .isInstanceOf(UnsupportedOperationException.class);

    EventDecoder second = new EventDecoder(DecodeLimits.DEFAULTS, known);
    assertThat(second.knownTags()).isEqualTo(known);
    Recorder r =
        decode(
            second,
            summary(2, tensorValue("s", typed(DataType.DT_FLOAT, Float.floatToIntBits(4f)), null)),
            summary(2, tensorValue("h", typed(DataType.DT_FLOAT, Float.floatToIntBits(4f)), null)));
    assertThat(r.scalars).extracting(Scalar::tag).containsExactly("s");
  }

  @Test
  void tensorTagWhoseMetadataNamesAnotherPluginIsSkippedSilently() throws Exception {
    for (String plugin : List.of("histograms", "images", "text", "hparams", "pr_curves")) {
      SummaryMetadata other =
          SummaryMetadata.newBuilder()
              .setPluginData(SummaryMetadata.PluginData.newBuilder().setPluginName(plugin))
              .build();
      Recorder r =
          decode(
              summary(1, tensorValue("x", typed(DataType.DT_FLOAT, 0), other)),
              summary(2, tensorValue("x", typed(DataType.DT_FLOAT, 0), null)));
      assertThat(r.scalars).as(plugin).isEmpty();
      assertThat(r.warnings).as(plugin).isEmpty();
    }
  }

  @Test
  void dataClassScalarWithoutAPluginNameCounts() throws Exception {
    SummaryMetadata scalarClass =
        SummaryMetadata.newBuilder().setDataClass(DataClass.DATA_CLASS_SCALAR).build();
    Recorder r =
        decode(
            summary(
                1,
                tensorValue(
                    "x", typed(DataType.DT_DOUBLE, Double.doubleToLongBits(1.5)), scalarClass)),
            summary(
                2,
                tensorValue("x", typed(DataType.DT_DOUBLE, Double.doubleToLongBits(2.5)), null)));
    assertThat(r.scalars).extracting(Scalar::value).containsExactly(1.5, 2.5);
  }

  @Test
  void tensorWithoutAnyMetadataIsNotAScalar() throws Exception {
    Recorder r = decode(summary(1, tensorValue("x", typed(DataType.DT_FLOAT, 0), null)));
    assertThat(r.scalars).isEmpty();
    assertThat(r.warnings).isEmpty();
  }

  @Test
  void tensorWithDataClassTensorAndNoPluginIsNotAScalar() throws Exception {
    SummaryMetadata tensorClass =
        SummaryMetadata.newBuilder().setDataClass(DataClass.DATA_CLASS_TENSOR).build();
    Recorder r = decode(summary(1, tensorValue("x", typed(DataType.DT_FLOAT, 0), tensorClass)));
    assertThat(r.scalars).isEmpty();
  }

  @Test
  void tensorsWithMoreThanOneElementAreSkippedWithOneWarningPerTag() throws Exception {
    TensorProto vector =
        TensorProto.newBuilder()
            .setDtype(DataType.DT_FLOAT)
            .setTensorShape(
                TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(2)))
            .addFloatVal(1f)
            .addFloatVal(2f)
            .build();
    Recorder r =
        decode(
            summary(1, tensorValue("v", vector, SCALARS_METADATA)),
            summary(2, tensorValue("v", vector, null)),
            summary(3, value("ok").setSimpleValue(1f).build()));
    assertThat(r.scalars).extracting(Scalar::tag).containsExactly("ok");
    assertThat(r.warnings).singleElement().asString().contains("'v'").contains("2 elements");
  }

  @Test
  void shapesWithOneElementCountAndEmptyShapesDoNot() throws Exception {
    TensorShapeProto oneByOne =
        TensorShapeProto.newBuilder()
            .addDim(TensorShapeProto.Dim.newBuilder().setSize(1))
            .addDim(TensorShapeProto.Dim.newBuilder().setSize(1))
            .build();
    TensorShapeProto empty =
        TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(0)).build();
    Recorder r =
        decode(
            summary(
                1,
                tensorValue(
                    "one",
                    typed(DataType.DT_FLOAT, Float.floatToIntBits(8f)).toBuilder()
                        .setTensorShape(oneByOne)
                        .build(),
                    SCALARS_METADATA)),
            summary(
                1,
                tensorValue(
                    "zero",
                    typed(DataType.DT_FLOAT, 0).toBuilder().setTensorShape(empty).build(),
                    SCALARS_METADATA)));
    assertThat(r.scalars).extracting(Scalar::tag).containsExactly("one");
    assertThat(r.warnings).singleElement().asString().contains("'zero'");
  }

  // ---------------------------------------------------------------- tags

  @Test
  void nonUtf8TagGivesAWarningAndAReplacementCharacterAndTheOtherValuesAreStillDecoded()
      throws Exception {
    ByteString bad = ByteString.copyFrom(new byte[] {'l', 'o', (byte) 0xff, 's', 's'});
    Event event =
        summary(
            3,
            value("before").setSimpleValue(1f).build(),
            Summary.Value.newBuilder().setTag(bad).setSimpleValue(2f).build(),
            value("after").setSimpleValue(3f).build());
    Recorder r = decode(event, event);
    assertThat(r.scalars)
        .extracting(Scalar::tag)
        .containsExactly("before", "lo\uFFFDss", "after", "before", "lo\uFFFDss", "after");
    assertThat(r.scalars).extracting(Scalar::value).containsExactly(1.0, 2.0, 3.0, 1.0, 2.0, 3.0);
    assertThat(r.warnings).singleElement().asString().contains("6c6fff7373").contains("UTF-8");
  }

  @Test
  void visitorCallsFollowTheOrderOfValuesInTheEvent() throws Exception {
    ByteString bad = ByteString.copyFrom(new byte[] {(byte) 0xc3});
    Recorder r =
        decode(
            summary(
                1,
                value("a").setSimpleValue(1f).build(),
                Summary.Value.newBuilder().setTag(bad).setSimpleValue(2f).build()));
    assertThat(r.calls).hasSize(3);
    assertThat(r.calls.get(0)).isEqualTo(new Scalar("a", 1, 1001.5, 1.0, ValueType.FLOAT32));
    assertThat(r.calls.get(1)).asString().startsWith("warning");
    assertThat(r.calls.get(2)).isEqualTo(new Scalar("\uFFFD", 1, 1001.5, 2.0, ValueType.FLOAT32));
  }

  @Test
  void unicodeTagsAreDecodedAsUtf8() throws Exception {
    String tag = "loss/λ—ü/😀";
    Recorder r =
        decode(
            summary(
                1,
                Summary.Value.newBuilder()
                    .setTag(ByteString.copyFrom(tag, StandardCharsets.UTF_8))
                    .setSimpleValue(1f)
                    .build()));
    assertThat(r.scalars).extracting(Scalar::tag).containsExactly(tag);
    assertThat(r.warnings).isEmpty();
  }

  @Test
  void nodeNameIsTheTagWhenTagIsEmpty() throws Exception {
    Recorder r =
        decode(
            summary(
                1,
                Summary.Value.newBuilder()
                    .setNodeName(ByteString.copyFromUtf8("legacy"))
                    .setSimpleValue(1f)
                    .build()));
    assertThat(r.scalars).extracting(Scalar::tag).containsExactly("legacy");
  }

  @Test
  void tagLongerThanTheLimitIsCutWithAWarning() throws Exception {
    DecodeLimits limits = new DecodeLimits(1 << 20, 1 << 16, 8);
    Recorder r =
        decode(
            new EventDecoder(limits), summary(1, value("abcdefghijkl").setSimpleValue(1f).build()));
    assertThat(r.scalars).extracting(Scalar::tag).containsExactly("abcdefgh");
    assertThat(r.warnings).singleElement().asString().contains("12 bytes");
  }

  @Test
  void tagCutAtTheLimitDoesNotSplitAUtf8Character() throws Exception {
    DecodeLimits limits = new DecodeLimits(1 << 20, 1 << 16, 8);
    // "abcdefg" + "é" (2 bytes) + "z" = 10 bytes; the cut at 8 falls inside "é".
    Recorder r =
        decode(new EventDecoder(limits), summary(1, value("abcdefgéz").setSimpleValue(1f).build()));
    assertThat(r.scalars).extracting(Scalar::tag).containsExactly("abcdefg");
    assertThat(r.warnings).singleElement().asString().doesNotContain("UTF-8");
  }

  @Test
  void anEventOfManyTagsKeepsTheFirstUpToTheLimitAndSaysOnceWhatItSkipped() throws Exception {
    DecodeLimits limits = DecodeLimits.DEFAULTS.withMaxTagsPerFile(1_000);
    EventDecoder decoder = new EventDecoder(limits);
    Summary.Value[] many = new Summary.Value[3_000];
    for (int i = 0; i < many.length; i++) {
      many[i] = value("loss_" + i).setSimpleValue(i).build();
    }
    Recorder r =
        decode(
            decoder,
            summary(1, many),
            summary(2, value("loss_5").setSimpleValue(7f).build()),
            summary(3, value("late_tag").setSimpleValue(1f).build()));
    assertThat(r.scalars).hasSize(1_000 + 1);
    assertThat(r.scalars.get(999).tag()).isEqualTo("loss_999");
    assertThat(r.scalars.get(1_000).tag()).as("a tag kept goes on being read").isEqualTo("loss_5");
    assertThat(r.warnings)
        .singleElement()
        .asString()
        .contains("more than 1000 distinct tags in this file")
        .contains("2000 values of new tags in this event skipped");
  }

  @Test
  void atTheLimitATagRestoredWithTheFilesCursorIsStillRead() throws Exception {
    java.util.Map<String, Boolean> known = new java.util.HashMap<>();
    for (int i = 0; i < 10; i++) {
      known.put("t" + i, Boolean.FALSE);
    }
    EventDecoder decoder = new EventDecoder(DecodeLimits.DEFAULTS.withMaxTagsPerFile(10), known);
    Recorder r =
        decode(
            decoder,
            summary(
                1,
                value("t3").setSimpleValue(1f).build(),
                value("new").setSimpleValue(2f).build()));
    assertThat(r.scalars).extracting(Scalar::tag).containsExactly("t3");
  }

  // ---------------------------------------------------------------- other events

  @Test
  void sessionLogStartReachesTheVisitorWithItsStepAndOtherStatusesDoNot() throws Exception {
    Event start =
        Event.newBuilder()
            .setStep(500)
            .setWallTime(12.25)
            .setSessionLog(SessionLog.newBuilder().setStatus(SessionLog.SessionStatus.START))
            .build();
    Event stop =
        start.toBuilder()
            .setSessionLog(SessionLog.newBuilder().setStatus(SessionLog.SessionStatus.STOP))
            .build();
    Event checkpoint =
        start.toBuilder()
            .setSessionLog(SessionLog.newBuilder().setStatus(SessionLog.SessionStatus.CHECKPOINT))
            .build();
    Recorder r = decode(start, stop, checkpoint);
    assertThat(r.sessionStarts).hasSize(1);
    assertThat(r.sessionStarts.get(0)[0]).isEqualTo(500);
    assertThat(Double.longBitsToDouble(r.sessionStarts.get(0)[1])).isEqualTo(12.25);
    assertThat(r.scalars).isEmpty();
  }

  @Test
  void sessionStartWrittenByTheProjectWriterIsDecoded() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (EventFileWriter w = new EventFileWriter(out, 1.0)) {
      w.simpleValue("x", 10, 2.0, 1f);
      w.sessionStart(5, 3.0);
      w.simpleValue("x", 5, 4.0, 2f);
    }
    Recorder r = decodeFile(out.toByteArray(), new EventDecoder(DecodeLimits.DEFAULTS));
    assertThat(r.calls)
        .containsExactly(
            "version brain.Event:2",
            new Scalar("x", 10, 2.0, 1.0, ValueType.FLOAT32),
            "start 5",
            new Scalar("x", 5, 4.0, 2.0, ValueType.FLOAT32));
  }

  @Test
  void graphsAndLogMessagesCarryNoScalars() throws Exception {
    Recorder r =
        decode(
            Event.newBuilder().setGraphDef(ByteString.copyFromUtf8("graph")).build(),
            Event.newBuilder().setLogMessage(ByteString.copyFromUtf8("log")).build(),
            Event.newBuilder().setStep(3).build());
    assertThat(r.calls).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("garbage")
  void garbageBytesThrowDecodeException(String name, byte[] bytes) {
    EventDecoder decoder = new EventDecoder(DecodeLimits.DEFAULTS);
    assertThatThrownBy(() -> decoder.decode(ByteBuffer.wrap(bytes), new Recorder()))
        .isInstanceOf(DecodeException.class)
        .hasMessageStartingWith("not a valid Event");
  }

  static Stream<Arguments> garbage() {
    byte[] valid = summary(1, value("x").setSimpleValue(1f).build()).toByteArray();
    byte[] truncated = java.util.Arrays.copyOf(valid, valid.length - 3);
    return Stream.of(
        Arguments.of("zero tag", new byte[] {0, 0, 0}),
        Arguments.of(
            "unterminated varint", new byte[] {0x10, (byte) 0xff, (byte) 0xff, (byte) 0xff}),
        Arguments.of(
            "over-long varint", new byte[] {0x10, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 1}),
        Arguments.of("length past the end", new byte[] {0x2a, 0x40, 1, 2}),
        Arguments.of("truncated summary", truncated),
        Arguments.of("end-group without start", new byte[] {0x0c}));
  }

  @Test
  void decoderStillWorksAfterADecodeException() throws Exception {
    EventDecoder decoder = new EventDecoder(DecodeLimits.DEFAULTS);
    assertThatThrownBy(() -> decoder.decode(ByteBuffer.wrap(new byte[] {0}), new Recorder()))
        .isInstanceOf(DecodeException.class);
    assertThat(decode(decoder, summary(1, value("x").setSimpleValue(1f).build())).scalars)
        .hasSize(1);
  }

  @Test
  void decodesOnlyTheRemainingBytesOfSlicedArrayAndDirectBuffers() throws Exception {
    byte[] event = summary(9, value("x").setSimpleValue(6f).build()).toByteArray();
    byte[] padded = new byte[event.length + 10];
    System.arraycopy(event, 0, padded, 5, event.length);
    padded[0] = padded[1] = padded[padded.length - 1] = (byte) 0xff;

    ByteBuffer slice = ByteBuffer.wrap(padded, 3, event.length + 4).slice();
    slice.position(2).limit(2 + event.length);
    ByteBuffer direct = ByteBuffer.allocateDirect(padded.length).put(padded);
    direct.position(5).limit(5 + event.length);
    ByteBuffer readOnly = ByteBuffer.wrap(padded, 5, event.length).asReadOnlyBuffer();

    for (ByteBuffer b : List.of(slice, direct, readOnly)) {
      Recorder r = new Recorder();
      new EventDecoder(DecodeLimits.DEFAULTS).decode(b, r);
      assertThat(r.scalars).containsExactly(new Scalar("x", 9, 1009.5, 6.0, ValueType.FLOAT32));
    }
  }

  @ParameterizedTest
  @EnumSource(TensorStorage.class)
  void mixedSimpleAndTensorValuesInOneEventAreAllDecoded(TensorStorage storage) throws Exception {
    Recorder r =
        decode(
            summary(
                4,
                value("simple").setSimpleValue(1f).build(),
                tensorValue(
                    "tensor",
                    storage == TensorStorage.TENSOR_CONTENT
                        ? content(DataType.DT_INT64, 8, 77)
                        : typed(DataType.DT_INT64, 77),
                    SCALARS_METADATA),
                value("image").setImage(ByteString.copyFromUtf8("png")).build()));
    assertThat(r.scalars)
        .containsExactly(
            new Scalar("simple", 4, 1004.5, 1.0, ValueType.FLOAT32),
            new Scalar("tensor", 4, 1004.5, 77.0, ValueType.INT64));
  }
}
