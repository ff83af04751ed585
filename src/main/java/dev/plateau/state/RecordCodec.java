package dev.plateau.state;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a record as its components in declaration order, each by its declared type, and reads it
 * back through the canonical constructor: the binary counterpart of what Jackson does with a
 * record, for the detector states a checkpoint writes by the thousand. Supported component types:
 * the primitives, their boxes, {@code String}, enums (by name), {@code double[]}, {@code int[]},
 * {@code long[]}, nested records, and {@code Map<String, Object>} / {@code Object} values holding
 * null, booleans, numbers, strings, lists and such maps (a judgement's evidence). Numbers keep
 * their class (a Long stays a Long). Anything else is refused when written, naming the component,
 * so a detector state that gains an unsupported field fails its round-trip test, not a restart. A
 * record is read with the class its reader expects: the bytes name no Java types.
 */
final class RecordCodec {
  private RecordCodec() {}

  /**
   * A record class's components (named "Record.component", for messages), their types and
   * accessors, its canonical constructor, and a fingerprint of its components' names and types
   * (nested records' included), written before the components: a state saved by a version whose
   * record had other components is refused, not misread.
   */
  private record Layout(
      String[] names,
      Class<?>[] types,
      MethodHandle[] getters,
      MethodHandle constructor,
      int fingerprint) {}

  /** Values nested deeper than this (lists and maps within lists and maps) are refused. */
  private static final int MAX_DEPTH = 8;

  private static int fingerprint(Class<?> type, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalStateException("records nested too deep to save: " + type.getName());
    }
    int h = type.getSimpleName().hashCode();
    for (RecordComponent c : type.getRecordComponents()) {
      h = 31 * h + c.getName().hashCode();
      h = 31 * h + c.getType().getName().hashCode();
      if (c.getType().isRecord()) {
        h = 31 * h + fingerprint(c.getType(), depth + 1);
      }
    }
    return h;
  }

  private static final ClassValue<Layout> LAYOUTS =
      new ClassValue<>() {
        @Override
        protected Layout computeValue(Class<?> type) {
          RecordComponent[] components = type.getRecordComponents();
          if (components == null) {
            throw new IllegalArgumentException(type.getName() + " is not a record");
          }
          int n = components.length;
          String[] names = new String[n];
          Class<?>[] types = new Class<?>[n];
          MethodHandle[] getters = new MethodHandle[n];
          try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            for (int i = 0; i < n; i++) {
              names[i] = type.getSimpleName() + "." + components[i].getName(); // for messages
              types[i] = components[i].getType();
              java.lang.reflect.Method accessor = components[i].getAccessor();
              accessor.setAccessible(true); // records of the detect package may be package-private
              getters[i] =
                  lookup
                      .unreflect(accessor)
                      .asType(MethodType.methodType(Object.class, Object.class));
            }
            java.lang.reflect.Constructor<?> canonical = type.getDeclaredConstructor(types);
            canonical.setAccessible(true);
            MethodHandle constructor =
                lookup
                    .unreflectConstructor(canonical)
                    .asSpreader(Object[].class, n)
                    .asType(MethodType.methodType(Object.class, Object[].class));
            return new Layout(names, types, getters, constructor, fingerprint(type, 0));
          } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException(
                "cannot save records of " + type.getName() + ": " + e, e);
          }
        }
      };

  /** Writes {@code record}'s components. */
  static void write(StateBytes.Writer out, Record record) {
    Layout layout = LAYOUTS.get(record.getClass());
    out.writeInt(layout.fingerprint);
    for (int i = 0; i < layout.types.length; i++) {
      Object value;
      try {
        value = layout.getters[i].invokeExact((Object) record);
      } catch (Throwable t) {
        throw new IllegalStateException("cannot read " + layout.names[i], t);
      }
      writeValue(out, layout.types[i], value, layout.names[i]);
    }
  }

  /** Reads a record of {@code type} written by {@link #write}. */
  static <R extends Record> R read(StateBytes.Reader in, Class<R> type) {
    Layout layout = LAYOUTS.get(type);
    int at = in.offset();
    if (in.readInt() != layout.fingerprint) {
      throw new IllegalArgumentException(
          "saved "
              + type.getSimpleName()
              + " at byte "
              + at
              + " has other fields than this version's");
    }
    Object[] args = new Object[layout.types.length];
    for (int i = 0; i < args.length; i++) {
      args[i] = readValue(in, layout.types[i], layout.names[i]);
    }
    try {
      return type.cast(layout.constructor.invokeExact(args));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException(
          "saved " + type.getSimpleName() + " is not valid: " + e.getMessage(), e);
    } catch (Throwable t) {
      throw new IllegalStateException("cannot build a " + type.getSimpleName(), t);
    }
  }

  private static void writeValue(StateBytes.Writer out, Class<?> type, Object value, String where) {
    if (type == double.class) {
      out.writeDouble((Double) value);
    } else if (type == long.class) {
      out.writeZigZag((Long) value);
    } else if (type == int.class) {
      out.writeZigZag((Integer) value);
    } else if (type == boolean.class) {
      out.writeBoolean((Boolean) value);
    } else if (type == String.class) {
      out.writeString((String) value);
    } else if (type == double[].class) {
      out.writeDoubles((double[]) value);
    } else if (type == long[].class) {
      out.writeLongs((long[]) value);
    } else if (type == int[].class) {
      out.writeInts((int[]) value);
    } else if (type.isEnum()) {
      out.writeString(value == null ? null : ((Enum<?>) value).name());
    } else if (type.isRecord()) {
      out.writeBoolean(value != null);
      if (value != null) {
        write(out, (Record) value);
      }
    } else if (type == Long.class
        || type == Integer.class
        || type == Double.class
        || type == Boolean.class
        || type == Map.class
        || type == Object.class
        || type == List.class) {
      writeTagged(out, value, where, 0);
    } else {
      throw new IllegalArgumentException("cannot save " + where + " of type " + type.getName());
    }
  }

  private static Object readValue(StateBytes.Reader in, Class<?> type, String where) {
    if (type == double.class) {
      return in.readDouble();
    } else if (type == long.class) {
      return in.readZigZag();
    } else if (type == int.class) {
      return in.readZigZagInt();
    } else if (type == boolean.class) {
      return in.readBoolean();
    } else if (type == String.class) {
      return in.readString();
    } else if (type == double[].class) {
      return in.readDoubles();
    } else if (type == long[].class) {
      return in.readLongs();
    } else if (type == int[].class) {
      return in.readInts();
    } else if (type.isEnum()) {
      String name = in.readString();
      return name == null ? null : enumValue(type, name, where);
    } else if (type.isRecord()) {
      return in.readBoolean() ? read(in, type.asSubclass(Record.class)) : null;
    } else {
      Object value = readTagged(in, where, 0);
      if (value != null && !type.isInstance(value)) {
        throw new IllegalArgumentException(
            "saved "
                + where
                + " is a "
                + value.getClass().getSimpleName()
                + ", not a "
                + type.getSimpleName());
      }
      return value;
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object enumValue(Class<?> type, String name, String where) {
    try {
      return Enum.valueOf((Class) type, name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "saved " + where + " is '" + name + "', which is not a " + type.getSimpleName(), e);
    }
  }

  private static final int NULL = 0;
  private static final int FALSE = 1;
  private static final int TRUE = 2;
  private static final int INT = 3;
  private static final int LONG = 4;
  private static final int DOUBLE = 5;
  private static final int STRING = 6;
  private static final int LIST = 7;
  private static final int MAP = 8;

  private static void writeTagged(StateBytes.Writer out, Object value, String where, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException(
          "cannot save " + where + ": nested deeper than " + MAX_DEPTH);
    }
    if (value == null) {
      out.writeByte(NULL);
    } else if (value instanceof Boolean b) {
      out.writeByte(b ? TRUE : FALSE);
    } else if (value instanceof Integer i) {
      out.writeByte(INT);
      out.writeZigZag(i);
    } else if (value instanceof Long l) {
      out.writeByte(LONG);
      out.writeZigZag(l);
    } else if (value instanceof Double d) {
      out.writeByte(DOUBLE);
      out.writeDouble(d);
    } else if (value instanceof String s) {
      out.writeByte(STRING);
      out.writeString(s);
    } else if (value instanceof List<?> list) {
      out.writeByte(LIST);
      out.writeVarLong(list.size());
      for (Object element : list) {
        writeTagged(out, element, where, depth + 1);
      }
    } else if (value instanceof Map<?, ?> map) {
      out.writeByte(MAP);
      out.writeVarLong(map.size());
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          throw new IllegalArgumentException(
              "cannot save " + where + ": a key that is not a string");
        }
        out.writeString(key);
        writeTagged(out, e.getValue(), where, depth + 1);
      }
    } else {
      throw new IllegalArgumentException(
          "cannot save " + where + ": a " + value.getClass().getName());
    }
  }

  private static Object readTagged(StateBytes.Reader in, String where, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException(
          "saved "
              + where
              + ": values nested deeper than "
              + MAX_DEPTH
              + " at byte "
              + in.offset());
    }
    int tag = in.readByte();
    return switch (tag) {
      case NULL -> null;
      case FALSE -> Boolean.FALSE;
      case TRUE -> Boolean.TRUE;
      case INT -> in.readZigZagInt();
      case LONG -> in.readZigZag();
      case DOUBLE -> in.readDouble();
      case STRING -> in.readString();
      case LIST -> {
        int n = checkedCount(in, where);
        List<Object> list = new ArrayList<>(Math.min(n, 16));
        for (int i = 0; i < n; i++) {
          list.add(readTagged(in, where, depth + 1));
        }
        yield list;
      }
      case MAP -> {
        int n = checkedCount(in, where);
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
          String key = in.readString();
          if (key == null || map.containsKey(key)) {
            throw new IllegalArgumentException(
                "saved " + where + ": a null or repeated key at byte " + in.offset());
          }
          map.put(key, readTagged(in, where, depth + 1));
        }
        yield map;
      }
      default ->
          throw new IllegalArgumentException(
              "saved " + where + ": unknown value tag " + tag + " at byte " + (in.offset() - 1));
    };
  }

  /** A list's or map's element count: each element takes at least one byte. */
  private static int checkedCount(StateBytes.Reader in, String where) {
    long n = in.readVarLong();
    if (n < 0 || n > in.remaining()) {
      throw new IllegalArgumentException(
          "saved "
              + where
              + ": "
              + n
              + " elements at byte "
              + in.offset()
              + ", more than the "
              + in.remaining()
              + " bytes left");
    }
    return (int) n;
  }
}
