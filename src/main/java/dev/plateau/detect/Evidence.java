package dev.plateau.detect;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The evidence of a judgement or verdict: an immutable map in the order its entries were put.
 * Because no one can change it, a judgement or verdict built from another one's evidence shares it
 * instead of copying it (a verdict is built from the winning judgement's evidence).
 *
 * <p>Kept as arrays (the keys, the values, and the numbers unboxed), not as a hash map: a daemon
 * keeps the verdicts of every parked series, and with 10,000 idle runs their evidence held as
 * {@code LinkedHashMap}s of boxed doubles was 60 MB of a 133 MB live heap (about 1.6 KB a verdict;
 * as arrays, a fifth of that). A few dozen entries at most, so a lookup scans them.
 */
final class Evidence extends AbstractMap<String, Object> {
  static final Evidence EMPTY = new Evidence(new String[0], new Object[0], null);

  /** Marks a value slot whose value is {@code numbers} at the same index. */
  private static final Object NUMBER = new Object();

  private final String[] keys;
  private final @Nullable Object[] values;
  private final double @Nullable [] numbers;

  private Evidence(String[] keys, @Nullable Object[] values, double @Nullable [] numbers) {
    this.keys = keys;
    this.values = values;
    this.numbers = numbers;
  }

  /** Ordered, unboxed copy of {@code entries}. */
  private static Evidence copyOf(Map<String, Object> entries) {
    int n = entries.size();
    String[] keys = new String[n];
    @Nullable Object[] values = new Object[n];
    double[] numbers = null;
    int i = 0;
    for (Map.Entry<String, Object> e : entries.entrySet()) {
      keys[i] = e.getKey();
      Object value = e.getValue();
      if (value instanceof Double d) {
        if (numbers == null) {
          numbers = new double[n];
        }
        numbers[i] = d;
        values[i] = NUMBER;
      } else {
        values[i] = value;
      }
      i++;
    }
    return new Evidence(keys, values, numbers);
  }

  /** {@code evidence} itself when it is already immutable evidence, else an ordered copy of it. */
  static Map<String, Object> of(Map<String, Object> evidence) {
    if (evidence instanceof Evidence) {
      return evidence;
    }
    return evidence.isEmpty() ? EMPTY : copyOf(evidence);
  }

  /**
   * Immutable evidence of {@code entries}: the caller built the map for this and keeps no reference
   * to it.
   */
  static Map<String, Object> owning(LinkedHashMap<String, Object> entries) {
    return entries.isEmpty() ? EMPTY : copyOf(entries);
  }

  /** {@code evidence} with one more entry (or the entry replaced), as immutable evidence. */
  static Map<String, Object> with(Map<String, Object> evidence, String key, Object value) {
    LinkedHashMap<String, Object> copy = new LinkedHashMap<>(evidence);
    copy.put(key, value);
    return copyOf(copy);
  }

  private @Nullable Object valueAt(int i) {
    Object value = values[i];
    return value == NUMBER ? Double.valueOf(Objects.requireNonNull(numbers)[i]) : value;
  }

  private int indexOf(@Nullable Object key) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public Set<Entry<String, Object>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Entry<String, Object>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < keys.length;
          }

          @Override
          public Entry<String, Object> next() {
            if (next >= keys.length) {
              throw new NoSuchElementException();
            }
            int i = next++;
            return new SimpleImmutableEntry<>(keys[i], valueAt(i));
          }
        };
      }

      @Override
      public int size() {
        return keys.length;
      }
    };
  }

  @Override
  public int size() {
    return keys.length;
  }

  @Override
  public boolean containsKey(@Nullable Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  public @Nullable Object get(@Nullable Object key) {
    int i = indexOf(key);
    return i < 0 ? null : valueAt(i);
  }
}
