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
