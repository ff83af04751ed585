package dev.plateau.server;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A message's header fields in the order they came, names compared without regard to case.
 *
 * @param fields every field line, repeated names included
 */
record HeaderFields(List<Field> fields) {
  /** One field line: its name as sent and its value without surrounding whitespace. */
  record Field(String name, String value) {}

  HeaderFields {
    fields = List.copyOf(fields);
  }

  /** Fields from name, value, name, value ... */
  static HeaderFields of(String... namesAndValues) {
    Field[] fields = new Field[namesAndValues.length / 2];
    for (int i = 0; i < fields.length; i++) {
      fields[i] = new Field(namesAndValues[2 * i], namesAndValues[2 * i + 1]);
    }
    return new HeaderFields(List.of(fields));
  }

  /** The first value of {@code name}, or null. */
  @Nullable String first(String name) {
    for (Field f : fields) {
      if (f.name().equalsIgnoreCase(name)) {
        return f.value();
      }
    }
    return null;
  }

  /** Every value of {@code name}, in order. */
  List<String> values(String name) {
    return fields.stream().filter(f -> f.name().equalsIgnoreCase(name)).map(Field::value).toList();
  }

  boolean contains(String name) {
    return first(name) != null;
  }
}
