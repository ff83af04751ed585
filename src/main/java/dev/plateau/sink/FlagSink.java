package dev.plateau.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plateau.detect.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "is converged" flag files: for each experiment, a file whose presence says the experiment's
 * current status (all but {@code training} and the informational {@code not_learning}), for a
 * training job or its orchestrator that polls for it and stops. Its content is the verdict, as
 * pretty-printed JSON with a trailing newline.
 *
 * <p>By default the flag of experiment {@code exp/sub} is {@code LOGDIR/exp/sub/CONVERGED} (or
 * {@code TARGET_REACHED}, {@code DIVERGED}, {@code OVERFITTING}, {@code STALLED}); with a flag dir
 * it is {@code FLAGDIR/exp/sub/CONVERGED}, the flag dir mirroring the logdir's layout; the {@link
 * FlagTemplate} changes names and placement.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>Flags are written atomically (see {@link FlagFileWriter}): a poller never sees a partial
 *       file, and no temporary file is left behind, whether the write succeeds or fails.
 *   <li>{@link #apply} with the status an experiment already has rewrites its flag only if the
 *       bytes differ (the best step moved, say); identical bytes are left alone and reported {@link
 *       FlagOutcome.Unchanged}, so an unchanged verdict costs no disk write, fsync or change of
 *       modification time on every poll.
 *   <li>A change from one stopping status to another writes the new flag first and then removes the
 *       old one, so there is never a moment with no flag when one is due. The old flags are found
 *       on disk, not remembered, so this holds across restarts.
 *   <li>Back to {@code training} removes the experiment's flags, unless {@code remove_on_training}
 *       is false.
 *   <li>A name that could lead outside the base directory (absolute, a {@code ..} segment, a NUL, a
 *       directory that is a symbolic link to outside the base) is refused: nothing is written, the
 *       refusal is logged and returned as {@link FlagOutcome.Failed}. I/O errors (read-only or full
 *       filesystem, permission denied, a file where a directory is expected) are outcomes too.
 *       Nothing here throws for a bad name or the filesystem, so the daemon loop goes on with the
 *       next experiment. A failure is logged at WARN when it first happens for an experiment (and
 *       when its reason changes), at DEBUG while it repeats.
 *   <li>Missing directories inside the base (the mirrored experiment directory under a flag dir,
 *       {@code .plateau} of a template) are created; the flag dir itself too. The experiment's own
 *       directory in the logdir never is: when flags go into the logdir and it is gone (the run
 *       deleted or renamed) nothing is written, and the outcome is {@link FlagOutcome.RunGone}.
 * </ul>
 *
 * <p>Calls are serialized (the methods are synchronized); the files are the only state besides what
 * was last logged.
 */
public final class FlagSink {
  private static final Logger LOG = LoggerFactory.getLogger(FlagSink.class);

  private static final ObjectWriter JSON =
      new ObjectMapper()
          .writer(new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n")));

  private final Path logdir;
  private final FlagConfig config;
  private volatile Function<String, Path> directories = name -> null;
  private final FlagPaths paths;
  private final FlagFileWriter writer;
  private final Map<String, String> lastProblem = new HashMap<>();

  /**
   * A sink for the flags of one logdir.
   *
   * @param logdir the watched logdir; flags go there unless the config names a flag dir
   * @param config template, flag dir, {@code remove_on_training}, content limit
   */
  public FlagSink(Path logdir, FlagConfig config) {
    this(logdir, config, new FlagFileWriter());
  }

  FlagSink(Path logdir, FlagConfig config, FlagFileWriter writer) {
    this.logdir = Objects.requireNonNull(logdir, "logdir");
    this.config = Objects.requireNonNull(config, "config");
    this.paths =
        new FlagPaths(
            config.base(Objects.requireNonNull(logdir, "logdir")), config.flagDir() != null);
    this.writer = writer;
  }

  /**
   * Makes the experiment's flags say {@code status}: writes its flag with {@code content} (and then
   * removes the flags of other statuses), or, for {@code training}, removes its flags if {@code
   * remove_on_training}.
   *
   * @param experiment the experiment's path relative to the logdir, '/' separated, "." for the
   *     logdir itself
   * @param status the experiment's current status
   * @param content the verdict, written as the flag's content
   * @return Written, Removed (a stale flag went, the current one was already right, or back to
   *     training), Unchanged, or Failed with a reason naming the path; never throws for a bad name
   *     or an I/O error
   */
  public synchronized FlagOutcome apply(String experiment, Status status, ObjectNode content) {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(content, "content");
    try {
      return applyChecked(experiment, status, content);
    } catch (InvalidPathException e) {
      // A name the platform's file-name charset cannot hold (a POSIX locale and a name with é).
      return failed(
          experiment,
          "its name cannot be a file name here (file names are "
              + System.getProperty("sun.jnu.encoding", "?")
              + "; start Plateau with a UTF-8 locale, e.g. LANG=C.UTF-8, as its launcher and image do);"
              + " no flag written");
    }
  }

  private FlagOutcome applyChecked(String experiment, Status status, ObjectNode content) {
    if (status == Status.TRAINING
        || (status == Status.NOT_LEARNING && !config.notLearningFlags())
        || (status == Status.LAGGING && !config.laggingFlags())) {
      // not_learning and lagging are informational unless configured as stops: no flag, as for
      // training.
      return config.removeOnTraining() ? removeAll(experiment) : settled(experiment, unchanged());
    }
    Path runDirectory = config.flagDir() == null ? runDirectory(experiment) : null;
    if (runDirectory != null
        && Files.isDirectory(logdir)
        && Files.notExists(runDirectory, LinkOption.NOFOLLOW_LINKS)) {
      // Deleted or renamed while Plateau judged it: a flag would make the directory again.
      LOG.debug("{}: {} is gone; no flag written", printable(experiment), runDirectory);
      return new FlagOutcome.RunGone(runDirectory);
    }
    String relative;
    try {
      relative = config.template().render(experiment, status);
    } catch (IllegalArgumentException e) {
      return failed(
          experiment, e.getMessage() + " (flags go under " + base() + "); no flag written for it");
    }
    Path shown = paths.shown(relative);
    byte[] bytes;
    try {
      bytes = (JSON.writeValueAsString(content) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      return failed(experiment, "cannot write flag " + shown + ": content is not JSON: " + e);
    }
    if (bytes.length > config.maxContentBytes()) {
      return failed(
          experiment,
          "cannot write flag "
              + shown
              + ": content is "
              + bytes.length
              + " bytes, more than the limit of "
              + config.maxContentBytes());
    }
    boolean written;
    try {
      written = writer.write(paths.forWriting(relative).real(), bytes);
    } catch (FlagPaths.Refused e) {
      return failed(experiment, e.getMessage() + "; no flag written for this experiment");
    } catch (IOException | InvalidPathException e) {
      return failed(experiment, "cannot write flag " + shown + ": " + describe(e));
    }
    if (written) {
      LOG.info("{}: flag {} written", printable(experiment), shown);
    }
    Removal stale = removeFlags(experiment, status);
    if (stale.problem != null) {
      return failed(
          experiment, (written ? "flag " + shown + " written, but " : "") + stale.problem);
    }
    FlagOutcome outcome;
    if (written) {
      outcome = new FlagOutcome.Written(shown);
    } else if (!stale.removed.isEmpty()) {
      outcome = new FlagOutcome.Removed(stale.removed.get(0));
    } else {
      outcome = unchanged();
    }
    return settled(experiment, outcome);
  }

  /**
   * Removes all flags of an experiment (of every status), e.g. when its runs are gone from the
   * logdir.
   *
   * @return Removed (the first file removed, if several), Unchanged if there were none, or Failed
   */
  public synchronized FlagOutcome removeAll(String experiment) {
    Removal removal = removeFlags(experiment, Status.TRAINING);
    if (removal.problem != null) {
      return failed(experiment, removal.problem);
    }
    return settled(
        experiment,
        removal.removed.isEmpty() ? unchanged() : new FlagOutcome.Removed(removal.removed.get(0)));
  }

  /**
   * Where the flag of an experiment with a status goes, for display; the filesystem is not touched,
   * so a symbolic link that would make {@link #apply} refuse is not detected here.
   *
   * @throws IllegalArgumentException for {@code training} (it has no flag), or a name that would
   *     leave the base directory
   */
  public String flagPathFor(String experiment, Status status) {
    if (status == Status.TRAINING) {
      throw new IllegalArgumentException("training has no flag file");
    }
    return paths.shown(config.template().render(experiment, status)).toString();
  }

  /** The directory flag paths are relative to: the flag dir if configured, else the logdir. */
  public Path base() {
    return paths.shown("");
  }

  /** The files removed, and what went wrong (null if nothing). */
  private record Removal(List<Path> removed, String problem) {}

  /** Removes the experiment's flags of every stopping status but {@code keep}. */
  private Removal removeFlags(String experiment, Status keep) {
    List<Path> removed = new ArrayList<>();
    // The template names the status, so no other status's path is the one just written.
    for (Status other : Status.values()) {
      if (other == Status.TRAINING || other == keep) {
        continue;
      }
      String relative;
      try {
        relative = config.template().render(experiment, other);
      } catch (IllegalArgumentException e) {
        return new Removal(
            removed, e.getMessage() + " (flags go under " + base() + "); no flag removed for it");
      }
      Path shown = paths.shown(relative);
      try {
        FlagPaths.Target target = paths.ifPresent(relative);
        if (target != null && writer.remove(target.real())) {
          LOG.info("{}: flag {} removed", printable(experiment), shown);
          removed.add(shown);
        }
      } catch (FlagPaths.Refused e) {
        return new Removal(removed, e.getMessage() + "; flag not removed");
      } catch (IOException | InvalidPathException e) {
        return new Removal(removed, "cannot remove flag " + shown + ": " + describe(e));
      }
    }
    return new Removal(removed, null);
  }

  private static FlagOutcome unchanged() {
    return new FlagOutcome.Unchanged();
  }

  /** The experiment's directory in the logdir, or null for a name that is not a plain path. */
  private @Nullable Path runDirectory(String experiment) {
    if (experiment == null || experiment.isEmpty() || experiment.equals(".")) {
      return null;
    }
    Path found = directories.apply(experiment);
    if (found != null && Files.isDirectory(found)) {
      return found; // as the tailer found it: exact even for a name with no exact string
    }
    try {
      Path dir = logdir.resolve(experiment).normalize();
      return dir.startsWith(logdir.normalize())
          ? dir
          : null; // a name leaving the logdir is refused later
    } catch (InvalidPathException e) {
      return null;
    }
  }

  /**
   * Tells where the logdir's directories are, by their name relative to it (null when unknown), as
   * the tailer found them: a directory whose name is not valid in the platform's charset (bytes
   * that are not UTF-8) has no exact string, and its flag goes into it, not beside it.
   */
  public void knowDirectories(Function<String, Path> directories) {
    this.directories = directories;
    paths.knowDirectories(directories);
  }

  /** Forgets an experiment's last problem once it succeeds, so a new failure is logged again. */
  private FlagOutcome settled(String experiment, FlagOutcome outcome) {
    if (lastProblem.remove(String.valueOf(experiment)) != null) {
      LOG.info("{}: flags are up to date again", printable(experiment));
    }
    return outcome;
  }

  private FlagOutcome failed(String experiment, String reason) {
    String previous = lastProblem.put(String.valueOf(experiment), reason);
    if (reason.equals(previous)) {
      LOG.debug("{}: {}", printable(experiment), reason);
    } else {
      LOG.warn("{}: {}", printable(experiment), reason);
    }
    return new FlagOutcome.Failed(reason);
  }

  /** The cause in words, with the file it concerns (which may be the temporary file). */
  /**
   * What went wrong, the same words each time it goes wrong the same way: a temporary file's random
   * name is given as the flag it was for, so a failure that repeats is logged once.
   */
  private static String describe(Exception e) {
    if (e instanceof AccessDeniedException denied) {
      return "permission denied on " + flagOf(denied.getFile());
    }
    if (e instanceof NoSuchFileException missing) {
      return "no such file or directory: " + flagOf(missing.getFile());
    }
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      // "Read-only file system", "No space left on device", "Is a directory" ...
      String where = fs.getOtherFile() != null ? fs.getOtherFile() : fs.getFile();
      return fs.getReason() + (where == null ? "" : " (" + flagOf(where) + ")");
    }
    if (e instanceof FileSystemException fs) {
      return e.getClass().getSimpleName() + ": " + flagOf(fs.getFile());
    }
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }

  /**
   * {@code DIR/.NAME.plateau-tmp-XYZ} (a temporary file) as {@code DIR/NAME}; other paths as they
   * are.
   */
  static String flagOf(String file) {
    if (file == null) {
      return "(unknown file)";
    }
    int slash = file.lastIndexOf('/');
    String name = file.substring(slash + 1);
    int tmp = name.indexOf(FlagFileWriter.TEMP_MARKER);
    if (name.startsWith(".") && tmp > 1) {
      return file.substring(0, slash + 1) + name.substring(1, tmp);
    }
    return file;
  }

  /**
   * The name for a log line. Control and invisible characters are escaped where every message is
   * ({@code PrintableMessage} in the log's configuration; the JSON format escapes them as JSON
   * does), the same way for every name, so nothing is replaced here.
   */
  private static String printable(String experiment) {
    return experiment == null ? "(no experiment)" : experiment;
  }
}
