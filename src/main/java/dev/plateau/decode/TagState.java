package dev.plateau.decode;

/**
 * One tag of a file, as {@link EventDecoder} knows it: its text, and what the file's metadata has
 * said of it so far. There is one per distinct text, shared by every byte sequence that decodes to
 * it, so both decoding paths read and change the same state.
 */
final class TagState {
  final String text;

  /** True for a scalar summary, false for another kind, null while no metadata named the tag. */
  Boolean scalar;

  TagState(String text) {
    this.text = text;
  }
}
