package dev.plateau.fixturegen;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.tensorflow.EagerSession;
import org.tensorflow.Operand;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.summary.SummaryWriter;
import org.tensorflow.proto.DataClass;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.SessionLog;
import org.tensorflow.proto.Summary;
import org.tensorflow.proto.SummaryMetadata;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TNumber;
import org.tensorflow.types.family.TType;

/**
 * Writes TensorBoard event files with TensorFlow's own C++ summary writer (the {@code
 * SummaryWriter}, {@code CreateSummaryFileWriter}, {@code WriteScalarSummary}, {@code
 * WriteSummary}, {@code WriteRawProtoSummary}, {@code ImportEvent}, {@code FlushSummaryWriter} and
 * {@code CloseSummaryWriter} ops, run eagerly through TensorFlow Java), one run directory per case,
 * and next to each run's event file an {@code expected.jsonl} holding every scalar point the
 * generator asked TensorFlow to write, in write order.
 *
 * <p>Usage: {@code GenerateFixtures OUTPUT_DIR [RUN_PREFIX]}. OUTPUT_DIR is the {@code tfjava}
 * fixtures folder; RUN_PREFIX (default {@code tfjava}) is prepended to each run's name in the
 * {@code run} field of {@code expected.jsonl}, which is relative to the fixtures root.
 */
public final class GenerateFixtures {

  /** The six scalar dtypes Plateau decodes from tensors. */
  enum DType {
    FLOAT32("float32", DataType.DT_FLOAT, 4),
    FLOAT64("float64", DataType.DT_DOUBLE, 8),
    FLOAT16("float16", DataType.DT_HALF, 2),
    BFLOAT16("bfloat16", DataType.DT_BFLOAT16, 2),
    INT32("int32", DataType.DT_INT32, 4),
    INT64("int64", DataType.DT_INT64, 8);

    final String json;
    final DataType proto;
    final int width;

    DType(String json, DataType proto, int width) {
      this.json = json;
      this.proto = proto;
      this.width = width;
    }

    boolean isInt() {
      return this == INT32 || this == INT64;
    }

    /** The typed TensorProto field this dtype's values go into. */
    String typedField() {
      switch (this) {
        case FLOAT32:
          return "float_val";
        case FLOAT64:
          return "double_val";
        case FLOAT16:
        case BFLOAT16:
          return "half_val";
        case INT32:
          return "int_val";
        default:
          return "int64_val";
      }
    }

    Class<? extends TType> tfClass() {
      switch (this) {
        case FLOAT32:
          return TFloat32.class;
        case FLOAT64:
          return TFloat64.class;
        case FLOAT16:
          return TFloat16.class;
        case BFLOAT16:
          return TBfloat16.class;
        case INT32:
          return TInt32.class;
        default:
          return TInt64.class;
      }
    }
  }

  /**
   * One value of a dtype, held exactly: {@code raw} is the IEEE bit pattern for float types (32, 64
   * or 16 bits) and the integer itself for int types.
   */
  record Val(DType dtype, long raw) {

    static Val f32(float f) {
      return new Val(DType.FLOAT32, Float.floatToRawIntBits(f) & 0xffffffffL);
    }

    static Val f32Bits(int bits) {
      return new Val(DType.FLOAT32, bits & 0xffffffffL);
    }

    static Val f64(double d) {
      return new Val(DType.FLOAT64, Double.doubleToRawLongBits(d));
    }

    static Val f64Bits(long bits) {
      return new Val(DType.FLOAT64, bits);
    }

    static Val bits16(DType t, int bits) {
      return new Val(t, bits & 0xffffL);
    }

    static Val i32(int i) {
      return new Val(DType.INT32, i);
    }

    static Val i64(long l) {
      return new Val(DType.INT64, l);
    }

    /**
     * Rounds a double to the dtype (round to nearest even for the float types, Math.round for
     * ints).
     */
    static Val of(DType t, double x) {
      switch (t) {
        case FLOAT32:
          return f32((float) x);
        case FLOAT64:
          return f64(x);
        case FLOAT16:
          return bits16(t, toMinifloat(x, 5, 10));
        case BFLOAT16:
          return bits16(t, toMinifloat(x, 8, 7));
        case INT32:
          return i32((int) Math.round(x));
        default:
          return i64(Math.round(x));
      }
    }

    /**
     * The exact value widened to double (ints: the nearest double, as a reader converting to double
     * gets).
     */
    double asDouble() {
      switch (dtype) {
        case FLOAT32:
          return Float.intBitsToFloat((int) raw);
        case FLOAT64:
          return Double.longBitsToDouble(raw);
        case FLOAT16:
          return fromMinifloat((int) raw, 5, 10);
        case BFLOAT16:
          return Float.intBitsToFloat(((int) raw) << 16);
        case INT32:
          return (double) (int) raw;
        default:
          return (double) raw;
      }
    }

    float asFloat() {
      return dtype == DType.FLOAT32 ? Float.intBitsToFloat((int) raw) : (float) asDouble();
    }

    /**
     * The bytes of this value as TensorFlow holds them in memory and in tensor_content
     * (little-endian).
     */
    byte[] littleEndian() {
      byte[] b = new byte[dtype.width];
      for (int i = 0; i < b.length; i++) {
        b[i] = (byte) (raw >>> (8 * i));
      }
      return b;
    }

    String bitsJson() {
      switch (dtype) {
        case FLOAT32:
          return String.format(Locale.ROOT, "\"0x%08x\"", raw);
        case FLOAT64:
          return String.format(Locale.ROOT, "\"0x%016x\"", raw);
        case FLOAT16:
        case BFLOAT16:
          return String.format(Locale.ROOT, "\"0x%04x\"", raw);
        default:
          return "null";
      }
    }

    String valueJson() {
      return jsonNumber(asDouble());
    }

    /** Adds this value to a TensorProto builder's typed field. */
    void addTyped(TensorProto.Builder b) {
      switch (dtype) {
        case FLOAT32:
          b.addFloatVal(Float.intBitsToFloat((int) raw));
          break;
        case FLOAT64:
          b.addDoubleVal(Double.longBitsToDouble(raw));
          break;
        case FLOAT16:
        case BFLOAT16:
          b.addHalfVal((int) raw);
          break; // the 16 raw bits, zero-padded to 32
        case INT32:
          b.addIntVal((int) raw);
          break;
        default:
          b.addInt64Val(raw);
      }
    }
  }

  static String jsonNumber(double d) {
    if (Double.isNaN(d)) {
      return "\"NaN\"";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "\"Infinity\"" : "\"-Infinity\"";
    }
    return Double.toString(d); // round-trips to exactly this double
  }

  /**
   * Rounds x to the nearest (ties to even) binary float with the given exponent and mantissa
   * widths.
   */
  static int toMinifloat(double x, int expBits, int mantBits) {
    int bias = (1 << (expBits - 1)) - 1;
    int expMax = (1 << expBits) - 1;
    int signBit = 1 << (expBits + mantBits);
    if (Double.isNaN(x)) {
      return (expMax << mantBits) | (1 << (mantBits - 1));
    }
    int sign = (x < 0 || (x == 0 && 1 / x < 0)) ? signBit : 0;
    double a = Math.abs(x);
    if (Double.isInfinite(a)) {
      return sign | (expMax << mantBits);
    }
    if (a == 0) {
      return sign;
    }
    int emin = 1 - bias;
    int e = Math.getExponent(a);
    if (e < emin) {
      // subnormal: rounding up to 1 << mantBits gives exactly the smallest normal's bit pattern
      return sign | (int) Math.rint(Math.scalb(a, mantBits - emin));
    }
    long m = (long) Math.rint(Math.scalb(a, mantBits - e));
    if (m == (2L << mantBits)) {
      e++;
      m = 1L << mantBits;
    }
    int biased = e + bias;
    if (biased >= expMax) {
      return sign | (expMax << mantBits);
    }
    return sign | (biased << mantBits) | (int) (m - (1L << mantBits));
  }

  static double fromMinifloat(int bits, int expBits, int mantBits) {
    int bias = (1 << (expBits - 1)) - 1;
    int expMax = (1 << expBits) - 1;
    boolean neg = (bits >>> (expBits + mantBits) & 1) != 0;
    int e = (bits >>> mantBits) & expMax;
    int m = bits & ((1 << mantBits) - 1);
    double v;
    if (e == expMax) {
      v = m == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
    } else if (e == 0) {
      v = Math.scalb((double) m, 1 - bias - mantBits);
    } else {
      v = Math.scalb((double) (m | (1 << mantBits)), e - bias - mantBits);
    }
    return neg ? -v : v;
  }

  // ------------------------------------------------------------------------------------------ edge
  // values

  static List<Val> edgeValues(DType t) {
    List<Val> v = new ArrayList<>();
    switch (t) {
      case FLOAT32:
        v.add(Val.f32(0.0f));
        v.add(Val.f32(-0.0f));
        v.add(Val.f32(1.0f));
        v.add(Val.f32(-1.0f));
        v.add(Val.f32(0.1f));
        v.add(Val.f32(-123.456f));
        v.add(Val.f32(1e-7f));
        v.add(Val.f32(Float.MIN_VALUE)); // smallest subnormal 0x00000001
        v.add(Val.f32(Float.MIN_NORMAL));
        v.add(Val.f32(Float.MAX_VALUE));
        v.add(Val.f32(-Float.MAX_VALUE));
        v.add(Val.f32(16777216.0f));
        v.add(Val.f32Bits(0x7fc00000)); // NaN
        v.add(
            Val.f32Bits(0xffc00000)); // NaN with the sign bit, as x86 produces from 0/0 or inf-inf
        v.add(Val.f32(Float.POSITIVE_INFINITY));
        v.add(Val.f32(Float.NEGATIVE_INFINITY));
        break;
      case FLOAT64:
        v.add(Val.f64(0.0));
        v.add(Val.f64(-0.0));
        v.add(Val.f64(1.0));
        v.add(Val.f64(-1.0));
        v.add(Val.f64(0.1)); // not a float32
        v.add(Val.f64(1.0 / 3.0));
        v.add(Val.f64(1.0000000000000002)); // 1 + ulp: float32 would round it to 1
        v.add(Val.f64(-123.456));
        v.add(Val.f64(1e-300)); // below float32 range
        v.add(Val.f64(Double.MIN_VALUE)); // smallest subnormal 0x0000000000000001
        v.add(Val.f64(Double.MIN_NORMAL));
        v.add(Val.f64(1e300)); // above float32 range
        v.add(Val.f64(Double.MAX_VALUE));
        v.add(Val.f64(-Double.MAX_VALUE));
        v.add(Val.f64(9007199254740993.0)); // rounds to 2^53 in the source already
        v.add(Val.f64Bits(0x7ff8000000000000L)); // NaN
        v.add(Val.f64Bits(0xfff8000000000000L)); // NaN with the sign bit
        v.add(Val.f64(Double.POSITIVE_INFINITY));
        v.add(Val.f64(Double.NEGATIVE_INFINITY));
        break;
      case FLOAT16:
        for (int b :
            new int[] {
              0x0000,
              0x8000,
              0x3c00,
              0xbc00,
              0x2e66 /* 0.1 -> 0.0999755859375 */,
              0x3555 /* ~1/3 */,
              0xd7b7 /* -123.4375 */,
              0x0001 /* smallest subnormal 2^-24 */,
              0x03ff /* largest subnormal */,
              0x0400 /* smallest normal 2^-14 */,
              0x7bff /* max 65504 */,
              0xfbff /* -65504 */,
              0x7e00 /* NaN */,
              0xfe00 /* NaN with sign bit */,
              0x7c00 /* +Inf */,
              0xfc00 /* -Inf */
            }) {
          v.add(Val.bits16(t, b));
        }
        break;
      case BFLOAT16:
        for (int b :
            new int[] {
              0x0000,
              0x8000,
              0x3f80,
              0xbf80,
              0x3dcd /* 0.1 -> 0.10009765625 */,
              0x3eab /* ~1/3 */,
              0xc2f7 /* -123.5 */,
              0x0001 /* smallest subnormal 2^-133 */,
              0x0080 /* smallest normal 2^-126 */,
              0x5f80 /* 2^64 */,
              0x7f7f /* max 3.3895e38 */,
              0xff7f /* -max */,
              0x7fc0 /* NaN */,
              0xffc0 /* NaN with sign bit */,
              0x7f80 /* +Inf */,
              0xff80 /* -Inf */
            }) {
          v.add(Val.bits16(t, b));
        }
        break;
      case INT32:
        for (int i :
            new int[] {
              0,
              1,
              -1,
              42,
              -42,
              1_000_000,
              16_777_217 /* not a float32 */,
              Integer.MAX_VALUE,
              Integer.MIN_VALUE,
              Integer.MIN_VALUE + 1
            }) {
          v.add(Val.i32(i));
        }
        break;
      case INT64:
        for (long l :
            new long[] {
              0,
              1,
              -1,
              42,
              1L << 31 /* past int32 */,
              -(1L << 31) - 1,
              (1L << 53) /* 9007199254740992, exact as double */,
              (1L << 53) + 1 /* 9007199254740993 -> 9007199254740992.0 as double */,
              -((1L << 53) + 1),
              (1L << 62) + 1 /* -> 4611686018427387904.0 */,
              Long.MAX_VALUE /* -> 9223372036854775808.0 */,
              Long.MIN_VALUE /* exact -2^63 */
            }) {
          v.add(Val.i64(l));
        }
        break;
      default:
        throw new AssertionError(t);
    }
    return v;
  }

  /** A plausible decaying loss; ints carry it in thousandths. */
  static double loss(int step, Random noise) {
    return 2.5 * Math.exp(-step / 8.0) + 0.12 + 0.03 * noise.nextGaussian();
  }

  static double accuracy(int step, Random noise) {
    return Math.min(1.0, 1.0 - 0.9 * Math.exp(-step / 10.0) + 0.01 * noise.nextGaussian());
  }

  // ------------------------------------------------------------------------------------------ the
  // writer

  /** A scalar point as written. */
  record Point(String tag, long step, Val val, String kind, String field) {}

  /**
   * One run directory, one TensorFlow summary file writer, and the points it was asked to write.
   */
  static final class Run implements AutoCloseable {
    final String name;
    final Path dir;
    final Ops tf;
    final SummaryWriter handle;
    final List<Point> points = new ArrayList<>();
    final List<String> notes = new ArrayList<>();

    Run(Ops tf, Path root, String name) throws IOException {
      this.tf = tf;
      this.name = name;
      this.dir = root.resolve(name);
      Files.createDirectories(dir);
      try (Stream<Path> old = Files.list(dir)) {
        for (Path p : (Iterable<Path>) old::iterator) {
          String f = p.getFileName().toString();
          if (f.startsWith("events.out.tfevents.") || f.equals("expected.jsonl")) {
            Files.delete(p);
          }
        }
      }
      handle = tf.summary.summaryWriter(SummaryWriter.sharedName("plateau_fixture_" + name));
      tf.summary.createSummaryFileWriter(
          handle,
          tf.constant(dir.toAbsolutePath().toString()),
          tf.constant(1000) /* max_queue */,
          tf.constant(600_000) /* flush_millis */,
          tf.constant(".v2"));
    }

    /**
     * WriteScalarSummary: TF converts the tensor's one value to float and writes
     * Summary.Value.simple_value.
     */
    void writeScalarSummary(long step, String tag, Val v, Val expectedFloat) {
      try (TType t = tensorOf(v)) {
        tf.summary.writeScalarSummary(
            handle, tf.constant(step), tf.constant(tag), asNumber(tf.constantOf(t)));
      }
      points.add(new Point(tag, step, expectedFloat, "simple_value", "simple_value"));
    }

    /** WriteSummary: a rank-0 tensor plus serialized SummaryMetadata (empty bytes: no metadata). */
    void writeTensorSummary(long step, String tag, Val v, SummaryMetadata md) {
      byte[] mdBytes = md == null ? new byte[0] : md.toByteArray();
      try (TType t = tensorOf(v);
          TString m = bytesScalar(mdBytes)) {
        tf.summary.writeSummary(
            handle, tf.constant(step), tf.constantOf(t), tf.constant(tag), tf.constantOf(m));
      }
      points.add(new Point(tag, step, v, "tensor", "tensor_content"));
    }

    /**
     * WriteRawProtoSummary: a Summary we build with TF Java's proto classes, scalar in the typed
     * field.
     */
    void writeTypedTensor(long step, String tag, Val v, SummaryMetadata md) {
      TensorProto.Builder tp =
          TensorProto.newBuilder()
              .setDtype(v.dtype().proto)
              .setTensorShape(TensorShapeProto.newBuilder().build()); // rank 0
      v.addTyped(tp);
      Summary.Value.Builder sv = Summary.Value.newBuilder().setTag(tag).setTensor(tp);
      if (md != null) {
        sv.setMetadata(md);
      }
      writeRawSummary(step, Summary.newBuilder().addValue(sv).build());
      points.add(new Point(tag, step, v, "tensor", v.dtype().typedField()));
    }

    void writeRawSummary(long step, Summary s) {
      try (TString m = bytesScalar(s.toByteArray())) {
        tf.summary.writeRawProtoSummary(handle, tf.constant(step), tf.constantOf(m));
      }
    }

    /** ImportEvent: hands a whole serialized Event to the writer. */
    void importEvent(Event e) {
      try (TString m = bytesScalar(e.toByteArray())) {
        tf.summary.importEvent(handle, tf.constantOf(m));
      }
    }

    @Override
    public void close() {
      tf.summary.flushSummaryWriter(handle);
      tf.summary.closeSummaryWriter(handle);
    }

    /** After close: the one event file the writer made. */
    String eventFile() throws IOException {
      try (Stream<Path> s = Files.list(dir)) {
        List<String> files =
            s.map(p -> p.getFileName().toString())
                .filter(f -> f.startsWith("events.out.tfevents."))
                .sorted()
                .toList();
        if (files.size() != 1) {
          throw new IllegalStateException(dir + ": expected one event file, found " + files);
        }
        return files.get(0);
      }
    }
  }

  @SuppressWarnings("unchecked")
  static Operand<? extends TNumber> asNumber(Operand<?> o) {
    return (Operand<? extends TNumber>) o;
  }

  static TString bytesScalar(byte[] b) {
    return TString.tensorOfBytes(NdArrays.scalarOfObject(b));
  }

  /** A rank-0 tensor of the value's dtype, filled from the exact little-endian bytes. */
  static TType tensorOf(Val v) {
    TType t = Tensor.of(v.dtype().tfClass(), Shape.scalar(), DataBuffers.of(v.littleEndian()));
    byte[] back = new byte[v.dtype().width];
    t.asRawTensor().data().read(back);
    if (!java.util.Arrays.equals(back, v.littleEndian())) {
      throw new IllegalStateException("tensor bytes differ from the requested bytes for " + v);
    }
    return t;
  }

  static SummaryMetadata scalarsMetadata() {
    // what TensorBoard's tf.summary.scalar (TF2) attaches: plugin "scalars", empty content,
    // DATA_CLASS_SCALAR
    return SummaryMetadata.newBuilder()
        .setPluginData(
            SummaryMetadata.PluginData.newBuilder()
                .setPluginName("scalars")
                .setContent(ByteString.EMPTY))
        .setDataClass(DataClass.DATA_CLASS_SCALAR)
        .build();
  }

  // ------------------------------------------------------------------------------------------ the
  // runs

  static final int STEPS = 40; // loss every step 0..39, accuracy every 2nd step

  /**
   * loss, accuracy and edge in a training-loop order; metadata with each tag's first value only.
   */
  static void tensorRun(Run r, DType t, boolean typed) {
    Random noise = new Random(1000L * t.ordinal() + (typed ? 1 : 0));
    List<Val> edges = edgeValues(t);
    boolean[] first = {true, true, true};
    double scale = t.isInt() ? 1000.0 : 1.0; // ints: thousandths
    for (int step = 0; step < STEPS; step++) {
      Val loss = Val.of(t, loss(step, noise) * scale);
      write(r, typed, step, "loss", loss, first, 0);
      if (step % 2 == 0) {
        Val acc =
            t.isInt()
                ? Val.of(t, Math.round(accuracy(step, noise) * 10000))
                : Val.of(t, accuracy(step, noise));
        write(r, typed, step, "accuracy", acc, first, 1);
      }
      if (step < edges.size()) {
        write(r, typed, step, "edge", edges.get(step), first, 2);
      }
    }
  }

  static void write(Run r, boolean typed, long step, String tag, Val v, boolean[] first, int i) {
    SummaryMetadata md = first[i] ? scalarsMetadata() : null;
    first[i] = false;
    if (typed) {
      r.writeTypedTensor(step, tag, v, md);
    } else {
      r.writeTensorSummary(step, tag, v, md);
    }
  }

  static void simpleValueRun(Run r) {
    Random noise = new Random(7);
    List<Val> edges = edgeValues(DType.FLOAT32);
    for (int step = 0; step < STEPS; step++) {
      Val loss = Val.of(DType.FLOAT32, loss(step, noise));
      r.writeScalarSummary(step, "loss", loss, loss);
      if (step % 2 == 0) {
        Val acc = Val.of(DType.FLOAT32, accuracy(step, noise));
        r.writeScalarSummary(step, "accuracy", acc, acc);
      }
      if (step < edges.size()) {
        r.writeScalarSummary(step, "edge", edges.get(step), edges.get(step));
      }
    }
  }

  /**
   * WriteScalarSummary fed non-float32 tensors: TF's C++ writer static_casts to float for
   * simple_value.
   */
  static void simpleValueConvertedRun(Run r, boolean tryBfloat16) {
    List<Val> f64 =
        List.of(
            Val.f64(0.1),
            Val.f64(1.0 / 3.0),
            Val.f64(1.0000000000000002),
            Val.f64(-123.456),
            Val.f64(1e-300),
            Val.f64(1e300),
            Val.f64(-1e300),
            Val.f64(Double.POSITIVE_INFINITY),
            Val.f64(Double.NEGATIVE_INFINITY),
            Val.f64Bits(0x7ff8000000000000L));
    List<Val> i64 =
        List.of(
            Val.i64(0),
            Val.i64(-1),
            Val.i64(16_777_217),
            Val.i64((1L << 53) + 1),
            Val.i64(Long.MAX_VALUE),
            Val.i64(Long.MIN_VALUE));
    List<Val> i32 =
        List.of(
            Val.i32(0),
            Val.i32(42),
            Val.i32(16_777_217),
            Val.i32(Integer.MAX_VALUE),
            Val.i32(Integer.MIN_VALUE));
    List<Val> f16 =
        List.of(
            Val.bits16(DType.FLOAT16, 0x2e66),
            Val.bits16(DType.FLOAT16, 0x0001),
            Val.bits16(DType.FLOAT16, 0x7bff),
            Val.bits16(DType.FLOAT16, 0xfc00),
            Val.bits16(DType.FLOAT16, 0x7e00));
    for (int step = 0; step < 10; step++) {
      convert(r, "from_float64", step, f64);
      convert(r, "from_int64", step, i64);
      convert(r, "from_int32", step, i32);
      convert(r, "from_float16", step, f16);
    }
    if (tryBfloat16) {
      convert(r, "from_bfloat16", 0, List.of(Val.bits16(DType.BFLOAT16, 0x3dcd)));
    }
  }

  static void convert(Run r, String tag, int step, List<Val> vals) {
    if (step >= vals.size()) {
      return;
    }
    Val v = vals.get(step);
    Val expected;
    double d = v.asDouble();
    if (Double.isNaN(d)) {
      expected = Val.f32Bits(0x7fc00000); // x86 cvtsd2ss / half->float of a quiet positive NaN
    } else if (v.dtype() == DType.INT64) {
      expected = Val.f32((float) v.raw()); // long -> float, round to nearest even, like static_cast
    } else {
      expected = Val.f32((float) d); // double -> float RNE; int32 and halves are exact as double
    }
    r.writeScalarSummary(step, tag, v, expected);
  }

  static void dataClassRun(Run r) {
    Random noise = new Random(99);
    SummaryMetadata classOnly =
        SummaryMetadata.newBuilder().setDataClass(DataClass.DATA_CLASS_SCALAR).build();
    SummaryMetadata otherPlugin =
        SummaryMetadata.newBuilder()
            .setPluginData(SummaryMetadata.PluginData.newBuilder().setPluginName("custom_metrics"))
            .setDataClass(DataClass.DATA_CLASS_SCALAR)
            .build();
    for (int step = 0; step < 30; step++) {
      r.writeTensorSummary(
          step, "loss", Val.of(DType.FLOAT32, loss(step, noise)), step == 0 ? classOnly : null);
      r.writeTensorSummary(
          step,
          "accuracy",
          Val.of(DType.FLOAT32, accuracy(step, noise)),
          step == 0 ? otherPlugin : null);
    }
  }

  static void restartRun(Run r) throws InterruptedException {
    Random before = new Random(5);
    for (int step = 0; step <= 100; step += 5) {
      r.writeTensorSummary(
          step,
          "loss",
          Val.of(DType.FLOAT32, loss(step / 5, before)),
          step == 0 ? scalarsMetadata() : null);
      r.writeTensorSummary(
          step,
          "accuracy",
          Val.of(DType.FLOAT32, accuracy(step / 5, before)),
          step == 0 ? scalarsMetadata() : null);
    }
    Thread.sleep(1100); // the restarted job's wall times come later
    r.importEvent(
        Event.newBuilder()
            .setWallTime(System.currentTimeMillis() / 1000.0)
            .setStep(50)
            .setSessionLog(
                SessionLog.newBuilder()
                    .setStatus(SessionLog.SessionStatus.START)
                    .setCheckpointPath("/tmp/train/ckpt-50"))
            .build());
    r.notes.add("SessionLog START at step 50 after the step-100 point");
    Random after = new Random(6);
    for (int step = 50; step <= 150; step += 5) {
      // a new process: metadata again with each tag's first value after the restart
      r.writeTensorSummary(
          step,
          "loss",
          Val.of(DType.FLOAT32, 0.9 * loss(step / 5, after)),
          step == 50 ? scalarsMetadata() : null);
      r.writeTensorSummary(
          step,
          "accuracy",
          Val.of(DType.FLOAT32, accuracy(step / 5, after)),
          step == 50 ? scalarsMetadata() : null);
    }
  }

  // ------------------------------------------------------------------------------------------ main

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: GenerateFixtures OUTPUT_DIR [RUN_PREFIX]");
      System.exit(2);
    }
    Path root = Paths.get(args[0]).toAbsolutePath().normalize();
    String prefix = args.length > 1 ? args[1] : "tfjava";
    boolean tryBfloat16Scalar = Boolean.getBoolean("fixturegen.bfloat16ScalarSummary");
    Files.createDirectories(root);
    List<Run> runs = new ArrayList<>();
    try (EagerSession session = EagerSession.create()) {
      Ops tf = Ops.create(session);
      try (Run r = new Run(tf, root, "simple_value")) {
        simpleValueRun(r);
        runs.add(r);
      }
      try (Run r = new Run(tf, root, "simple_value_converted")) {
        simpleValueConvertedRun(r, tryBfloat16Scalar);
        runs.add(r);
      }
      for (DType t : DType.values()) {
        for (boolean typed : new boolean[] {false, true}) {
          try (Run r = new Run(tf, root, "tensor_" + t.json + (typed ? "_typed" : "_content"))) {
            tensorRun(r, t, typed);
            runs.add(r);
          }
        }
      }
      try (Run r = new Run(tf, root, "tensor_float32_dataclass")) {
        dataClassRun(r);
        runs.add(r);
      }
      try (Run r = new Run(tf, root, "restart_sessionlog")) {
        restartRun(r);
        runs.add(r);
      }
    }
    for (Run r : runs) {
      String file = r.eventFile();
      try (Writer w =
          Files.newBufferedWriter(r.dir.resolve("expected.jsonl"), StandardCharsets.UTF_8)) {
        for (Point p : r.points) {
          w.write(
              "{\"run\": \""
                  + prefix
                  + "/"
                  + r.name
                  + "\", \"file\": \""
                  + file
                  + "\", \"tag\": \""
                  + p.tag()
                  + "\", \"step\": "
                  + p.step()
                  + ", \"value\": "
                  + p.val().valueJson()
                  + ", \"bits\": "
                  + p.val().bitsJson()
                  + ", \"kind\": \""
                  + p.kind()
                  + "\", \"field\": \""
                  + p.field()
                  + "\", \"dtype\": \""
                  + p.val().dtype().json
                  + "\""
                  + (p.val().dtype().isInt() ? ", \"exact\": \"" + p.val().raw() + "\"" : "")
                  + "}\n");
        }
      }
      System.out.printf(
          Locale.ROOT,
          "%-28s %-52s %4d scalars %7d bytes%n",
          r.name,
          file,
          r.points.size(),
          Files.size(r.dir.resolve(file)));
    }
  }
}
