package dev.plateau.decode;

import java.util.Arrays;

/**
 * The values of one event as the fast path reads them, held back until the whole event has been
 * read: only then are they reported, and what the event's metadata said applied to the file's tags,
 * so an event given up half-way leaves no trace. Arrays are reused from event to event.
 */
final class PendingValues {
  /** The values; a null type marks a value that is not a scalar. */
  private int count;

  private TagState[] tags = new TagState[4];
  private double[] values = new double[4];
  private ValueType[] types = new ValueType[4];

  /** What the event's metadata says, in order. */
  private int declared;

  private TagState[] declaredTags = new TagState[4];
  private boolean[] declaredScalar = new boolean[4];

  void clear() {
    count = 0;
    declared = 0;
  }

  /** Adds a value; a null type for one that is not a scalar. */
  void add(TagState tag, double value, ValueType type) {
    if (count == tags.length) {
      int capacity = count * 2;
      tags = Arrays.copyOf(tags, capacity);
      values = Arrays.copyOf(values, capacity);
      types = Arrays.copyOf(types, capacity);
    }
    tags[count] = tag;
    values[count] = value;
    types[count] = type;
    count++;
  }

  /** Notes that a value's metadata declares its tag a scalar summary or not. */
  void declare(TagState tag, boolean scalar) {
    if (declared == declaredTags.length) {
      declaredTags = Arrays.copyOf(declaredTags, declared * 2);
      declaredScalar = Arrays.copyOf(declaredScalar, declared * 2);
    }
    declaredTags[declared] = tag;
    declaredScalar[declared] = scalar;
    declared++;
  }

  /** Whether the tag is a scalar summary by the file's metadata and this event's so far. */
  boolean isScalar(TagState tag) {
    for (int i = declared - 1; i >= 0; i--) {
      if (declaredTags[i] == tag) {
        return declaredScalar[i];
      }
    }
    return Boolean.TRUE.equals(tag.scalar);
  }

  /** Applies what the event's metadata said and reports its scalars, in order. */
  void report(long step, double wallTime, EventVisitor visitor) {
    for (int i = 0; i < declared; i++) {
      declaredTags[i].scalar = declaredScalar[i];
    }
    for (int i = 0; i < count; i++) {
      if (types[i] != null) {
        visitor.scalar(tags[i].text, step, wallTime, values[i], types[i]);
      }
    }
  }
}
