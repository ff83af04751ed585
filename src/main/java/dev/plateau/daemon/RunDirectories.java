package dev.plateau.daemon;

import dev.plateau.tail.TailedFile;
import java.nio.file.Path;
import java.util.Collection;
import org.jspecify.annotations.Nullable;

/**
 * Where a directory of the logdir is, by its name relative to the logdir, as the tailer found it:
 * exact, byte for byte, for a name that is not valid in the platform's charset (flags go there).
 */
final class RunDirectories {
  private RunDirectories() {}

  /**
   * The directory called {@code name} in {@code logdir}: for a name of printable ASCII, the path it
   * names inside the logdir (null for one leading out of it; its bytes are the name's, whatever the
   * charset); for any other name, as {@link #find} finds it among {@code files}. Flags are brought
   * in line for every experiment at a restart and written at every transition: looking each name up
   * among every file was quadratic in the runs (10^8 paths made for 10,000 runs).
   */
  static @Nullable Path find(Path logdir, Collection<TailedFile> files, String name) {
    if (plainAscii(name)) {
      try {
        Path dir = logdir.resolve(name).normalize();
        return dir.startsWith(logdir) && !dir.equals(logdir) ? dir : null; // never outside it
      } catch (java.nio.file.InvalidPathException e) {
        return null;
      }
    }
    return find(files, name);
  }

  private static boolean plainAscii(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  /** The directory called {@code name}; null when no event file of {@code files} lies in it. */
  static @Nullable Path find(Collection<TailedFile> files, String name) {
    for (TailedFile file : files) {
      String run = file.run();
      Path dir = file.path().getParent();
      if (run.equals(name)) {
        return dir;
      }
      if (run.startsWith(name + "/")) {
        int up = (int) run.substring(name.length()).chars().filter(c -> c == '/').count();
        for (int i = 0; i < up && dir != null; i++) {
          dir = dir.getParent();
        }
        return dir;
      }
    }
    return null;
  }
}
