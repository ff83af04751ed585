package dev.plateau.sink;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The settings of the "is converged" flag files.
 *
 * @param flagDir {@code --flag-dir}: where flags go, mirroring the logdir's layout, for a logdir
 *     that is read-only; null to write them into the logdir itself (the default). Created when
 *     missing.
 * @param template where a flag goes relative to the base directory and what it is called; default
 *     {@value FlagTemplate#DEFAULT}
 * @param removeOnTraining {@code remove_on_training}: whether an experiment's flag is removed when
 *     its status goes back to {@code training}; default true. When false the last flag stays until
 *     another status replaces it.
 * @param maxContentBytes the largest flag content written, in bytes; larger content is refused (a
 *     verdict is a few kilobytes; default {@value #DEFAULT_MAX_CONTENT_BYTES})
 * @param notLearningFlags whether {@code not_learning} writes a flag ({@code
 *     detection.not_learning: stop}); by default it is informational and writes none
 * @param laggingFlags whether {@code lagging} writes a flag ({@code detection.lagging: stop}); by
 *     default it is informational and writes none
 */
public record FlagConfig(
    Path flagDir,
    FlagTemplate template,
    boolean removeOnTraining,
    int maxContentBytes,
    boolean notLearningFlags,
    boolean laggingFlags) {
  /** 1 MiB: far above any verdict, low enough that a runaway payload cannot fill a disk. */
  public static final int DEFAULT_MAX_CONTENT_BYTES = 1 << 20;

  /** Settings in which {@code lagging} writes no flag. */
  public FlagConfig(
      Path flagDir,
      FlagTemplate template,
      boolean removeOnTraining,
      int maxContentBytes,
      boolean notLearningFlags) {
    this(flagDir, template, removeOnTraining, maxContentBytes, notLearningFlags, false);
  }

  /**
   * Checks the settings.
   *
   * @throws IllegalArgumentException if {@code maxContentBytes} is not positive
   */
  public FlagConfig {
    Objects.requireNonNull(template, "template");
    if (maxContentBytes <= 0) {
      throw new IllegalArgumentException(
          "flag max content bytes must be positive, got " + maxContentBytes);
    }
  }

  /** Flags in the logdir, default template, removed on {@code training}, 1 MiB content at most. */
  public static FlagConfig defaults() {
    return new FlagConfig(
        null, FlagTemplate.defaults(), true, DEFAULT_MAX_CONTENT_BYTES, false, false);
  }

  /** These settings with flags written under {@code flagDir} (null: into the logdir). */
  public FlagConfig withFlagDir(Path flagDir) {
    return new FlagConfig(
        flagDir, template, removeOnTraining, maxContentBytes, notLearningFlags, laggingFlags);
  }

  /**
   * These settings with another template.
   *
   * @throws IllegalArgumentException if the template is not valid (see {@link FlagTemplate})
   */
  public FlagConfig withTemplate(String template) {
    return new FlagConfig(
        flagDir,
        new FlagTemplate(template),
        removeOnTraining,
        maxContentBytes,
        notLearningFlags,
        laggingFlags);
  }

  /** These settings with {@code remove_on_training} set. */
  public FlagConfig withRemoveOnTraining(boolean removeOnTraining) {
    return new FlagConfig(
        flagDir, template, removeOnTraining, maxContentBytes, notLearningFlags, laggingFlags);
  }

  /** These settings with another content limit. */
  public FlagConfig withMaxContentBytes(int maxContentBytes) {
    return new FlagConfig(
        flagDir, template, removeOnTraining, maxContentBytes, notLearningFlags, laggingFlags);
  }

  /** These settings with flags for {@code not_learning} written or not. */
  public FlagConfig withNotLearningFlags(boolean notLearningFlags) {
    return new FlagConfig(
        flagDir, template, removeOnTraining, maxContentBytes, notLearningFlags, laggingFlags);
  }

  /** These settings with flags for {@code lagging} written or not. */
  public FlagConfig withLaggingFlags(boolean laggingFlags) {
    return new FlagConfig(
        flagDir, template, removeOnTraining, maxContentBytes, notLearningFlags, laggingFlags);
  }

  /** The directory flag paths are relative to: the flag dir if set, else the logdir. */
  public Path base(Path logdir) {
    return flagDir != null ? flagDir : logdir;
  }
}
