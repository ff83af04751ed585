package dev.plateau.sink;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Turns a flag's relative path (from {@link FlagTemplate#render}) into a file that is certainly
 * inside the base directory: each directory on the way is resolved through its symbolic links, and
 * one that leads outside the base (or to nowhere) is refused. Missing directories are created, one
 * at a time and only inside the base, when writing.
 *
 * <p>This guards against names and links that exist when a flag is written. It is not a security
 * boundary against someone who swaps a directory for a link between the check and the write: who
 * can do that can write the files themselves.
 */
final class FlagPaths {
  private final Path base;
  private final boolean createBase;

  /**
   * The logdir's directories as the tailer found them, by their name relative to the logdir (null
   * when unknown): a name not valid in the platform's charset has no exact string, so its directory
   * is taken from here, byte for byte, when the string leads nowhere.
   */
  private volatile Function<String, Path> known = name -> null;

  /**
   * @param base the logdir or the flag dir
   * @param createBase whether a missing base is created (the flag dir) or an error (the logdir)
   */
  FlagPaths(Path base, boolean createBase) {
    this.base = base;
    this.createBase = createBase;
  }

  /**
   * A flag file: {@code path} under the base as configured (for messages), {@code real} for I/O.
   */
  record Target(Path path, Path real) {}

  /** Where the logdir's directories are, by name (see {@link #known}); only when flags go there. */
  void knowDirectories(Function<String, Path> directories) {
    this.known = createBase ? name -> null : directories;
  }

  /** A path refused because it would leave the base directory. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  /** The flag path as the user sees it, without touching the filesystem. */
  Path shown(String relative) {
    return relative.isEmpty() ? base : base.resolve(relative);
  }

  /**
   * The target for writing, creating the missing directories on the way.
   *
   * @throws Refused if a directory on the way resolves outside the base
   * @throws IOException if the base is missing (the logdir), or a directory cannot be created, or
   *     something on the way is not a directory
   */
  Target forWriting(String relative) throws IOException, Refused {
    if (createBase && Files.notExists(base, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(base);
    }
    return resolve(relative, true);
  }

  /**
   * The target for reading or removing, or null if a directory on the way (or the base) does not
   * exist, so there can be no flag.
   */
  @Nullable Target ifPresent(String relative) throws IOException, Refused {
    if (Files.notExists(base)) {
      return null;
    }
    return resolve(relative, false);
  }

  private Target resolve(String relative, boolean create) throws IOException, Refused {
    Path realBase = base.toRealPath();
    if (!Files.isDirectory(realBase)) {
      throw new IOException(base + " (the flag base directory) is not a directory");
    }
    String[] segments = relative.split("/");
    Path dir = realBase;
    String prefix = "";
    for (int i = 0; i < segments.length - 1; i++) {
      prefix = i == 0 ? segments[0] : prefix + "/" + segments[i];
      Path next = dir.resolve(segments[i]);
      if (!Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
        Path found = known.apply(prefix);
        if (found != null && Files.exists(found, LinkOption.NOFOLLOW_LINKS)) {
          next = found; // checked below like any other: it must lead inside the base
        }
      }
      if (Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
        dir = existingDirectory(next, realBase, relative);
      } else if (create) {
        try {
          Files.createDirectory(next);
          dir = next;
        } catch (FileAlreadyExistsException raced) {
          dir = existingDirectory(next, realBase, relative);
        }
      } else {
        return null;
      }
    }
    return new Target(shown(relative), dir.resolve(segments[segments.length - 1]));
  }

  private Path existingDirectory(Path next, Path realBase, String relative)
      throws IOException, Refused {
    Path real;
    try {
      real = next.toRealPath();
    } catch (NoSuchFileException dangling) {
      throw new Refused(
          "flag path "
              + shown(relative)
              + " refused: "
              + next
              + " is a symbolic link to a missing target, so where it leads cannot be checked");
    }
    if (!real.startsWith(realBase)) {
      throw new Refused(
          "flag path "
              + shown(relative)
              + " refused: "
              + next
              + " resolves to "
              + real
              + ", outside the base directory "
              + realBase);
    }
    if (!Files.isDirectory(real)) {
      throw new IOException(
          next + " is not a directory, so the flag " + shown(relative) + " cannot go under it");
    }
    return real;
  }
}
