package dev.plateau.tune;

/**
 * Where a detector stopped a curve: at index {@code at}, keeping the checkpoint at index {@code
 * kept} (at most {@code at}).
 */
public record Stop(int at, int kept) {
  public Stop {
    if (at < 0 || kept < 0) {
      throw new IllegalArgumentException("indexes must not be negative: " + at + ", " + kept);
    }
  }
}
