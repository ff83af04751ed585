package dev.plateau.verdict;

import dev.plateau.match.Glob;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Groups experiments into sweeps: by default the experiments of one parent directory ({@code
 * sweep-7/lr-0.1} and {@code sweep-7/lr-0.3} are siblings; experiments directly in the logdir are
 * the sweep {@code .}); with {@code detection.sweeps} globs, an experiment belongs to the sweep of
 * the first glob it matches, and to none when it matches none.
 */
public final class Sweeps {
  private Sweeps() {}

  /** The sweep of {@code experiment}, or null when it belongs to none. */
  public static @Nullable String of(String experiment, List<Glob> groups) {
    if (!groups.isEmpty()) {
      for (Glob glob : groups) {
        if (glob.matches(experiment)) {
          return glob.toString();
        }
      }
      return null;
    }
    int slash = experiment.lastIndexOf('/');
    return slash < 0 ? "." : experiment.substring(0, slash);
  }
}
