package dev.plateau.decode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Generates event records at the wire level from a seed: mostly summary events as writers make
 * them, and many that no writer makes but protobuf accepts (fields out of order, singular fields
 * repeated, packed and unpacked repeated fields, several values, empty tags with node names,
 * non-minimal varints), plus unknown fields, metadata, other event kinds and malformed bytes. Each
 * event comes with the names of the odd features it has, so a test can see which of them the fast
 * path decided.
 */
final class RandomEvents {
  /** An event's bytes and its odd features. */
  record Generated(byte[] bytes, Set<String> features) {}

  private static final byte[][] TAGS = {
    utf8("loss"),
    utf8("accuracy"),
    utf8("train/learning_rate"),
    utf8("λ/ü"),
    utf8("a-tag-longer-than-the-limit"),
    {},
    {'l', 'o', (byte) 0xff, 's', 's'},
    {(byte) 0xc3}
  };

  private static final int[] FLOAT_SPECIALS = {
    0x7fc00000, 0x7f800001, 0xffc00001, 0x80000000, 0x7f800000, 0xff800000, 0x00000001, 0x7f7fffff
  };

  private final Random random;
  private final Set<String> features = new TreeSet<>();

  RandomEvents(long seed) {
    this.random = new Random(seed);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private boolean chance(double p) {
    return random.nextDouble() < p;
  }

  private <T> T pick(List<T> options) {
    return options.get(random.nextInt(options.size()));
  }

  Generated next() {
    features.clear();
    double kind = random.nextDouble();
    byte[] bytes;
    if (kind < 0.80) {
      bytes = summaryEvent();
    } else if (kind < 0.84) {
      features.add("file_version");
      bytes =
          shuffled(
              List.of(
                  wallTime(), new WireBytes().lengthDelimited(3, utf8("brain.Event:2")).bytes()));
    } else if (kind < 0.88) {
      features.add("session_log");
      byte[] log = new WireBytes().field(1, 0).varint(random.nextInt(4)).bytes();
      bytes =
          shuffled(List.of(wallTime(), step(), new WireBytes().lengthDelimited(7, log).bytes()));
    } else if (kind < 0.91) {
      features.add("graph_def");
      bytes =
          shuffled(
              List.of(wallTime(), new WireBytes().lengthDelimited(4, randomBytes(12)).bytes()));
    } else if (kind < 0.94) {
      features.add("no_summary");
      bytes = shuffled(List.of(wallTime(), step()));
    } else {
      bytes = malformed(summaryEvent());
    }
    return new Generated(bytes, Set.copyOf(features));
  }

  private byte[] malformed(byte[] event) {
    features.add("malformed");
    byte[] copy = event.clone();
    switch (random.nextInt(3)) {
      case 0 -> {
        return Arrays.copyOf(copy, random.nextInt(Math.max(1, copy.length)));
      }
      case 1 -> {
        for (int i = 0; i < 1 + random.nextInt(3); i++) {
          copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return copy;
      }
      default -> {
        return randomBytes(1 + random.nextInt(30));
      }
    }
  }

  private byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private byte[] summaryEvent() {
    List<byte[]> fields = new ArrayList<>();
    if (chance(0.9)) {
      fields.add(wallTime());
    }
    if (chance(0.85)) {
      fields.add(step());
    }
    fields.add(new WireBytes().lengthDelimited(5, summary()).bytes());
    if (chance(0.08)) {
      features.add("repeated_scalar_field");
      fields.add(chance(0.5) ? wallTime() : step());
    }
    if (chance(0.03)) {
      features.add("repeated_message_field");
      fields.add(new WireBytes().lengthDelimited(5, summary()).bytes());
    }
    if (chance(0.04)) {
      features.add("unknown_field");
      fields.add(unknownField());
    }
    return maybeShuffled(fields);
  }

  private byte[] unknownField() {
    return switch (random.nextInt(3)) {
      case 0 -> new WireBytes().field(15, 0).varint(random.nextInt(1000)).bytes();
      case 1 ->
          new WireBytes()
              .lengthDelimited(10, new WireBytes().lengthDelimited(1, utf8("w")).bytes())
              .bytes();
      default -> new WireBytes().field(21, 5).fixed32(random.nextInt()).bytes();
    };
  }

  private byte[] wallTime() {
    long bits =
        chance(0.1)
            ? Double.doubleToRawLongBits(Double.NaN) ^ random.nextInt(8)
            : Double.doubleToRawLongBits(1.7e9 + random.nextInt(1_000_000) / 64.0);
    return new WireBytes().field(1, 1).fixed64(bits).bytes();
  }

  private byte[] step() {
    long step = chance(0.05) ? -1 - random.nextInt(5) : random.nextInt(chance(0.5) ? 100 : 1 << 20);
    return new WireBytes().field(2, 0).raw(varint(step)).bytes();
  }

  private byte[] varint(long value) {
    if (chance(0.05)) {
      features.add("padded_varint");
      return new WireBytes().paddedVarint(value, 1 + random.nextInt(3)).bytes();
    }
    return new WireBytes().varint(value).bytes();
  }

  private byte[] summary() {
    int values = chance(0.05) ? 0 : chance(0.75) ? 1 : 2 + random.nextInt(3);
    if (values > 1) {
      features.add("multiple_values");
    }
    WireBytes out = new WireBytes();
    for (int i = 0; i < values; i++) {
      byte[] value = value();
      out.field(1, 2).raw(varint(value.length)).raw(value);
    }
    if (chance(0.02)) {
      features.add("unknown_field");
      out.raw(unknownField());
    }
    return out.bytes();
  }

  private byte[] value() {
    List<byte[]> fields = new ArrayList<>();
    byte[] tag = TAGS[random.nextInt(TAGS.length)];
    if (chance(0.95)) {
      fields.add(new WireBytes().lengthDelimited(1, tag).bytes());
      if (tag.length == 0) {
        features.add("empty_tag");
      }
    }
    if (chance(0.12)) {
      features.add("node_name");
      fields.add(new WireBytes().lengthDelimited(7, TAGS[random.nextInt(TAGS.length)]).bytes());
    }
    if (chance(0.05)) {
      features.add("repeated_scalar_field");
      fields.add(new WireBytes().lengthDelimited(1, TAGS[random.nextInt(TAGS.length)]).bytes());
    }
    double kind = random.nextDouble();
    if (kind < 0.5) {
      features.add("simple_value");
      fields.add(simpleValue());
    } else if (kind < 0.85) {
      features.add("tensor");
      fields.add(new WireBytes().lengthDelimited(8, tensor()).bytes());
    } else if (kind < 0.9) {
      features.add("image");
      fields.add(new WireBytes().lengthDelimited(3 + random.nextInt(4), randomBytes(5)).bytes());
    } else if (kind < 0.95) {
      features.add("two_oneof_members");
      fields.add(simpleValue());
      fields.add(new WireBytes().lengthDelimited(8, tensor()).bytes());
    }
    // After the value, where TensorFlow 2 writes it (on every value of a scalar tag).
    if (chance(0.15)) {
      features.add("metadata");
      fields.add(new WireBytes().lengthDelimited(9, metadata()).bytes());
    }
    if (chance(0.03)) {
      features.add("unknown_field");
      fields.add(unknownField());
    }
    return maybeShuffled(fields);
  }

  private byte[] simpleValue() {
    int bits =
        chance(0.3)
            ? FLOAT_SPECIALS[random.nextInt(FLOAT_SPECIALS.length)]
            : Float.floatToRawIntBits(random.nextFloat() * 10 - 5);
    return new WireBytes().field(2, 5).fixed32(bits).bytes();
  }

  private byte[] metadata() {
    WireBytes plugin = new WireBytes();
    switch (random.nextInt(5)) {
      case 0 ->
          plugin.lengthDelimited(1, new WireBytes().lengthDelimited(1, utf8("scalars")).bytes());
      case 4 -> // as TensorFlow 2 writes it: the plugin and the data class
          plugin
              .lengthDelimited(1, new WireBytes().lengthDelimited(1, utf8("scalars")).bytes())
              .field(4, 0)
              .varint(1);
      case 1 -> plugin.field(4, 0).varint(1); // DATA_CLASS_SCALAR
      case 2 ->
          plugin.lengthDelimited(1, new WireBytes().lengthDelimited(1, utf8("histograms")).bytes());
      default -> plugin.field(4, 0).varint(2); // DATA_CLASS_TENSOR
    }
    return plugin.bytes();
  }

  /** The dtypes: the six the decoder reads, usually; string, bool and unknown ones sometimes. */
  private static final List<Integer> DTYPES =
      List.of(1, 2, 3, 9, 14, 19, 1, 2, 3, 9, 14, 19, 7, 10, 99);

  private byte[] tensor() {
    int dtype = pick(DTYPES);
    List<byte[]> fields = new ArrayList<>();
    fields.add(new WireBytes().field(1, 0).raw(varint(dtype)).bytes());
    if (chance(0.75)) {
      fields.add(new WireBytes().lengthDelimited(2, shape()).bytes());
    }
    if (chance(0.1)) {
      fields.add(new WireBytes().field(3, 0).varint(random.nextInt(3)).bytes());
    }
    if (chance(0.5)) {
      features.add("tensor_content");
      int width = chance(0.85) ? widthOf(dtype) : random.nextInt(9);
      fields.add(new WireBytes().lengthDelimited(4, contentBytes(width)).bytes());
    }
    if (chance(0.6)) {
      int occurrences = 1 + (chance(0.2) ? random.nextInt(3) : 0);
      for (int i = 0; i < occurrences; i++) {
        fields.add(
            typedField(chance(0.85) ? typedFieldOf(dtype) : pick(List.of(5, 6, 7, 10, 11, 13))));
      }
    }
    return maybeShuffled(fields);
  }

  private byte[] contentBytes(int width) {
    byte[] b = randomBytes(width);
    if (width == 4 && chance(0.3)) {
      int bits = FLOAT_SPECIALS[random.nextInt(FLOAT_SPECIALS.length)];
      for (int i = 0; i < 4; i++) {
        b[i] = (byte) (bits >>> (8 * i));
      }
    }
    return b;
  }

  private static int widthOf(int dtype) {
    return switch (dtype) {
      case 1, 3 -> 4;
      case 2, 9 -> 8;
      case 14, 19 -> 2;
      default -> 4;
    };
  }

  private static int typedFieldOf(int dtype) {
    return switch (dtype) {
      case 1 -> 5;
      case 2 -> 6;
      case 3 -> 7;
      case 9 -> 10;
      case 14, 19 -> 13;
      default -> 11;
    };
  }

  /** One occurrence of a typed repeated field: packed (maybe empty) or one unpacked element. */
  private byte[] typedField(int field) {
    boolean fixed32 = field == 5;
    boolean fixed64 = field == 6;
    int elements = chance(0.1) ? 0 : 1 + random.nextInt(3);
    if (elements > 0 && chance(0.4)) {
      features.add("unpacked");
      return element(new WireBytes().field(field, fixed32 ? 5 : fixed64 ? 1 : 0), field).bytes();
    }
    features.add("packed");
    WireBytes packed = new WireBytes();
    for (int i = 0; i < elements; i++) {
      element(packed, field);
    }
    return new WireBytes().field(field, 2).raw(varint(packed.size())).raw(packed.bytes()).bytes();
  }

  private WireBytes element(WireBytes out, int field) {
    return switch (field) {
      case 5 ->
          out.fixed32(
              chance(0.3)
                  ? FLOAT_SPECIALS[random.nextInt(FLOAT_SPECIALS.length)]
                  : random.nextInt());
      case 6 -> out.fixed64(random.nextLong());
      case 11 -> out.varint(random.nextInt(2));
      case 13 -> out.raw(varint(chance(0.2) ? random.nextInt() : random.nextInt(0x10000)));
      default -> out.raw(varint(chance(0.5) ? random.nextLong() : random.nextInt()));
    };
  }

  private byte[] shape() {
    WireBytes out = new WireBytes();
    int dims = chance(0.6) ? 0 : 1 + random.nextInt(2);
    for (int i = 0; i < dims; i++) {
      WireBytes dim = new WireBytes();
      long size = pick(List.of(1L, 1L, 1L, 2L, 0L, -1L));
      if (size != 0 || chance(0.5)) {
        dim.field(1, 0).raw(varint(size));
      }
      if (chance(0.05)) {
        features.add("dim_name");
        dim.lengthDelimited(2, utf8("batch"));
      }
      out.lengthDelimited(2, dim.bytes());
    }
    if (chance(0.1)) {
      out.field(3, 0).varint(random.nextInt(2));
    }
    return out.bytes();
  }

  private byte[] maybeShuffled(List<byte[]> fields) {
    if (fields.size() > 1 && chance(0.3)) {
      List<byte[]> copy = new ArrayList<>(fields);
      Collections.shuffle(copy, random);
      if (!sameOrder(copy, fields)) {
        features.add("out_of_order");
      }
      return join(copy);
    }
    return join(fields);
  }

  private byte[] shuffled(List<byte[]> fields) {
    return maybeShuffled(fields);
  }

  private static boolean sameOrder(List<byte[]> a, List<byte[]> b) {
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i) != b.get(i)) {
        return false;
      }
    }
    return true;
  }

  private static byte[] join(List<byte[]> parts) {
    WireBytes out = new WireBytes();
    for (byte[] p : parts) {
      out.raw(p);
    }
    return out.bytes();
  }
}
