package dev.plateau.decode;

import java.util.Arrays;

/**
 * The tags of one file as text, found by their raw bytes without copying them: a tag is turned
 * into a String once per file, and later values look their bytes up here.
 *
 * <p>Writers repeat their tags in a fixed order (loss, accuracy, learning rate, loss ...), so each
 * entry remembers which entry was looked up after it last time, and that one is compared first;
 * only when it differs is the hash table consulted. Both give the same answer.
 *
 * <p>Grows with the number of distinct tags in the file, as the decoder's other per-tag state does.
 * Not thread-safe.
 */
final class TagTable {
  private static final int NONE = -1;

  private byte[][] keys = new byte[8][];
  private String[] texts = new String[8];
  private int[] hashes = new int[8];
  /** Per entry, the entry found right after it last time, or NONE. */
  private int[] successors = new int[8];

  /** Slots of the open-addressing table: entry index + 1, 0 for empty. */
  private int[] slots = new int[16];

  private int size;
  private int previous = NONE;

  /** The text of the tag with these bytes, or null when it is not in the table yet. */
  String find(byte[] array, int start, int length) {
    if (previous != NONE) {
      int guess = successors[previous];
      if (guess != NONE && sameBytes(guess, array, start, length)) {
        previous = guess;
        return texts[guess];
      }
    }
    int hash = hash(array, start, length);
    int mask = slots.length - 1;
    for (int slot = hash & mask; slots[slot] != 0; slot = (slot + 1) & mask) {
      int entry = slots[slot] - 1;
      if (hashes[entry] == hash && sameBytes(entry, array, start, length)) {
        if (previous != NONE) {
          successors[previous] = entry;
        }
        previous = entry;
        return texts[entry];
      }
    }
    return null;
  }

  /** Adds a tag not in the table yet; {@code bytes} is kept, so the caller must not change it. */
  void add(byte[] bytes, String text) {
    if (size == keys.length) {
      int capacity = size * 2;
      keys = Arrays.copyOf(keys, capacity);
      texts = Arrays.copyOf(texts, capacity);
      hashes = Arrays.copyOf(hashes, capacity);
      successors = Arrays.copyOf(successors, capacity);
    }
    int entry = size++;
    keys[entry] = bytes;
    texts[entry] = text;
    hashes[entry] = hash(bytes, 0, bytes.length);
    successors[entry] = NONE;
    if (size * 2 > slots.length) {
      slots = new int[slots.length * 2];
      for (int e = 0; e < size - 1; e++) {
        place(e);
      }
    }
    place(entry);
  }

  /** How many distinct tags the table holds. */
  int size() {
    return size;
  }

  private void place(int entry) {
    int mask = slots.length - 1;
    int slot = hashes[entry] & mask;
    while (slots[slot] != 0) {
      slot = (slot + 1) & mask;
    }
    slots[slot] = entry + 1;
  }

  private boolean sameBytes(int entry, byte[] array, int start, int length) {
    byte[] key = keys[entry];
    return key.length == length && Arrays.equals(key, 0, length, array, start, start + length);
  }

  private static int hash(byte[] array, int start, int length) {
    int h = length;
    for (int i = start; i < start + length; i++) {
      h = 31 * h + array[i];
    }
    return h ^ (h >>> 16);
  }
}
