package dev.plateau.decode;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The tags of one file, found by their raw bytes without copying them: a tag is turned into text
 * once per file, and later values look their bytes up here.
 *
 * <p>A tag's bytes are summed up as their length and two 64-bit words, the first and the last eight
 * bytes (fewer bytes are packed into the words); for tags of up to 16 bytes those three numbers are
 * the bytes, and longer tags compare their middle bytes too. Writers repeat their tags in a fixed
 * order (loss, accuracy, learning rate, loss ...), so each entry remembers which entry was looked
 * up after it last time, and the next lookup compares with that one first, from fields, before it
 * consults the hash table. Both ways give the same answer.
 *
 * <p>Grows with the number of distinct tags in the file, as the decoder's other per-tag state does.
 * Not thread-safe.
 */
final class TagTable {
  private static final int NONE = -1;

  private byte[][] keys = new byte[8][];
  private long[] heads = new long[8];
  private long[] tails = new long[8];
  private TagState[] states = new TagState[8];

  /** Per entry, the entry found right after it last time, or NONE. */
  private int[] successors = new int[8];

  /** Slots of the open-addressing table: entry index + 1, 0 for empty. */
  private int[] slots = new int[16];

  private int size;
  private int previous = NONE;

  /** The entry expected next, and what it is compared by. */
  private int guess = NONE;

  private int guessLength = -1;
  private long guessHead;
  private long guessTail;

  /** The tag with these bytes, or null when it is not in the table yet. */
  @Nullable TagState find(byte[] array, int start, int length) {
    long head = head(array, start, length);
    long tail = tail(array, start, length);
    int found;
    if (length == guessLength
        && head == guessHead
        && tail == guessTail
        && (length <= 16 || sameMiddle(keys[guess], array, start))) {
      found = guess;
    } else {
      found = lookUp(array, start, length, head, tail);
      if (found == NONE) {
        return null;
      }
      if (previous != NONE) {
        successors[previous] = found;
      }
    }
    previous = found;
    expect(successors[found]);
    return states[found];
  }

  private int lookUp(byte[] array, int start, int length, long head, long tail) {
    int mask = slots.length - 1;
    for (int slot = hash(length, head, tail) & mask; slots[slot] != 0; slot = (slot + 1) & mask) {
      int entry = slots[slot] - 1;
      byte[] key = keys[entry];
      if (key.length == length
          && heads[entry] == head
          && tails[entry] == tail
          && (length <= 16 || sameMiddle(key, array, start))) {
        return entry;
      }
    }
    return NONE;
  }

  private void expect(int entry) {
    guess = entry;
    if (entry == NONE) {
      guessLength = -1;
    } else {
      guessLength = keys[entry].length;
      guessHead = heads[entry];
      guessTail = tails[entry];
    }
  }

  /** Adds a tag not in the table yet; {@code bytes} is kept, so the caller must not change it. */
  void add(byte[] bytes, TagState state) {
    if (size == keys.length) {
      int capacity = size * 2;
      keys = Arrays.copyOf(keys, capacity);
      heads = Arrays.copyOf(heads, capacity);
      tails = Arrays.copyOf(tails, capacity);
      states = Arrays.copyOf(states, capacity);
      successors = Arrays.copyOf(successors, capacity);
    }
    int entry = size++;
    keys[entry] = bytes;
    heads[entry] = head(bytes, 0, bytes.length);
    tails[entry] = tail(bytes, 0, bytes.length);
    states[entry] = state;
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
    int slot = hash(keys[entry].length, heads[entry], tails[entry]) & mask;
    while (slots[slot] != 0) {
      slot = (slot + 1) & mask;
    }
    slots[slot] = entry + 1;
  }

  private static int hash(int length, long head, long tail) {
    long h = (head * 0x9E3779B97F4A7C15L + tail) * 0xC2B2AE3D27D4EB4FL + length;
    return (int) (h ^ (h >>> 29) ^ (h >>> 47));
  }

  /** The first eight bytes; for shorter tags, the first four and the bytes below four. */
  private static long head(byte[] array, int start, int length) {
    if (length >= 8) {
      return WireReader.fixed64(array, start);
    }
    if (length >= 4) {
      return WireReader.fixed32(array, start) & 0xffffffffL;
    }
    long packed = 0;
    for (int i = 0; i < length; i++) {
      packed |= (array[start + i] & 0xffL) << (8 * i);
    }
    return packed;
  }

  /** The last eight bytes; for tags of four to seven, the last four; below four, nothing. */
  private static long tail(byte[] array, int start, int length) {
    if (length >= 8) {
      return WireReader.fixed64(array, start + length - 8);
    }
    if (length >= 4) {
      return WireReader.fixed32(array, start + length - 4) & 0xffffffffL;
    }
    return 0;
  }

  /** Bytes 8 to length - 8 of a tag longer than 16 bytes (its length already compared). */
  private static boolean sameMiddle(byte[] key, byte[] array, int start) {
    int last = key.length - 8;
    for (int i = 8; i < last; i += 8) {
      if (WireReader.fixed64(key, i) != WireReader.fixed64(array, start + i)) {
        return false;
      }
    }
    return true;
  }
}
