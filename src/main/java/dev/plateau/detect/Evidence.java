package dev.plateau.detect;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The evidence of a judgement or verdict: an immutable map in the order its entries were put.
 * Because no one can change it, a judgement or verdict built from another one's evidence shares it
 * instead of copying it (a verdict is built from the winning judgement's evidence).
 */
final class Evidence extends AbstractMap<String, Object> {
  static final Evidence EMPTY = new Evidence(new LinkedHashMap<>());

  private final Map<String, Object> entries;

  private Evidence(LinkedHashMap<String, Object> entries) {
    this.entries = Collections.unmodifiableMap(entries);
  }

  /** {@code evidence} itself when it is already immutable evidence, else an ordered copy of it. */
  static Map<String, Object> of(Map<String, Object> evidence) {
    if (evidence instanceof Evidence) {
      return evidence;
    }
    return evidence.isEmpty() ? EMPTY : new Evidence(new LinkedHashMap<>(evidence));
  }

  /**
   * Takes {@code entries} as they are, without a copy: the caller built the map for this and keeps
   * no reference to it.
   */
  static Map<String, Object> owning(LinkedHashMap<String, Object> entries) {
    return entries.isEmpty() ? EMPTY : new Evidence(entries);
  }

  /** {@code evidence} with one more entry (or the entry replaced), as immutable evidence. */
  static Map<String, Object> with(Map<String, Object> evidence, String key, Object value) {
    LinkedHashMap<String, Object> copy = new LinkedHashMap<>(evidence);
    copy.put(key, value);
    return new Evidence(copy);
  }

  @Override
  public Set<Entry<String, Object>> entrySet() {
    return entries.entrySet();
  }

  @Override
  public int size() {
    return entries.size();
  }

  @Override
  public boolean containsKey(Object key) {
    return entries.containsKey(key);
  }

  @Override
  public Object get(Object key) {
    return entries.get(key);
  }
}
