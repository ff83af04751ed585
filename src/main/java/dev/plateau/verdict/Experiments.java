package dev.plateau.verdict;

import java.util.Locale;
import java.util.Set;

/**
 * Groups runs into experiments: a run whose last directory is {@code train}, {@code validation},
 * {@code val}, {@code eval} or {@code test} (or {@code training}, {@code valid}, {@code
 * evaluation}, {@code dev}) belongs to the experiment of its parent directory (the Keras layout
 * writes {@code X/train} and {@code X/validation}); any other run is its own experiment.
 */
public final class Experiments {
  /** Directory names of a split of an experiment; shared with twin pairing. */
  public static final Set<String> SPLIT_DIRECTORIES =
      Set.of(
          "train", "training", "validation", "valid", "val", "eval", "evaluation", "test", "dev");

  private Experiments() {}

  /** The experiment a run belongs to ("." for a split directory directly in the logdir). */
  public static String of(String run) {
    int slash = run.lastIndexOf('/');
    String last = run.substring(slash + 1).toLowerCase(Locale.ROOT);
    if (!SPLIT_DIRECTORIES.contains(last)) {
      return run;
    }
    return slash < 0 ? "." : run.substring(0, slash);
  }
}
