package dev.plateau.tail;

import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * A path as text that turns back into the same path, byte for byte. A file name that is not valid
 * in the platform's charset (a directory {@code bad\xff\xferun} on a UTF-8 system) has no exact
 * string: its {@code toString()} has U+FFFD where the bytes were, and that string names another
 * file. Such a path is kept as its {@code file:} URI, which percent-encodes the bytes; every other
 * path as it reads, so saved states stay readable.
 */
public final class PathText {
  private PathText() {}

  /** The path as text: as it reads when that names it, else its {@code file:} URI. */
  public static String of(Path path) {
    String text = path.toString();
    try {
      if (Path.of(text).equals(path)) {
        return text;
      }
    } catch (InvalidPathException e) {
      // not representable as text: the URI below
    }
    return path.toUri().toString();
  }

  /** The path {@link #of} wrote. */
  public static Path parse(String text) {
    return text.startsWith("file:") ? Path.of(URI.create(text)) : Path.of(text);
  }
}
