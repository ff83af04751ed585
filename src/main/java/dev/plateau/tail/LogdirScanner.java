package dev.plateau.tail;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Finds the runs of a logdir: every directory, at any depth, that holds at least one regular file
 * whose name contains {@code tfevents}.
 *
 * <p>Symbolic links to directories are followed, as users link runs into a logdir; a link that
 * leads back into its own ancestors is reported and not followed. Directories that cannot be listed
 * are reported and skipped; the rest of the tree is still scanned.
 */
public final class LogdirScanner {
  /** The marker TensorFlow, PyTorch and tensorboardX put in every event file's name. */
  public static final String EVENT_FILE_MARKER = "tfevents";

  private final Path root;
  private final Consumer<String> problems;

  /** Directories the last scan could not list (their files are unknown, not gone). */
  private Set<Path> unlisted = Set.of();

  /**
   * @param root the logdir, or a single event file (then it is the only file of run ".")
   * @param problems receives a sentence for each path that could not be scanned
   */
  public LogdirScanner(Path root, Consumer<String> problems) {
    this.root = root;
    this.problems = problems;
  }

  /** Whether a file name is that of an event file. */
  public static boolean isEventFile(Path file) {
    Path name = file.getFileName();
    return name != null && name.toString().contains(EVENT_FILE_MARKER);
  }

  /**
   * The runs as they are now, sorted by name.
   *
   * @throws IOException when the root itself cannot be read
   */
  public List<RunDirectory> scan() throws IOException {
    if (Files.isRegularFile(root)) {
      return List.of(new RunDirectory(".", root.toAbsolutePath().getParent(), List.of(root)));
    }
    Map<String, List<Path>> files = new TreeMap<>();
    Map<String, Path> dirs = new TreeMap<>();
    Set<Path> notListed = new HashSet<>();
    Files.walkFileTree(
        root,
        EnumSet.of(FileVisitOption.FOLLOW_LINKS),
        Integer.MAX_VALUE,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.isRegularFile() && isEventFile(file)) {
              String run = runName(file.getParent());
              dirs.putIfAbsent(run, file.getParent());
              files.computeIfAbsent(run, r -> new ArrayList<>()).add(file);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (file.equals(root)) {
              throw e;
            }
            if (e instanceof FileSystemLoopException) {
              problems.accept(
                  "directory link " + file + " leads back into its own parent; not followed");
            } else if (e instanceof AccessDeniedException) {
              notListed.add(file);
              problems.accept(
                  "cannot read " + file + ": permission denied; skipped until readable");
            } else if (!(e instanceof NoSuchFileException)) {
              notListed.add(file);
              problems.accept("cannot read " + file + ": " + e + "; skipped");
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) {
            if (e != null && !(e instanceof NoSuchFileException)) {
              notListed.add(dir); // listing stopped part way: what it did not list is unknown
            }
            return FileVisitResult.CONTINUE;
          }
        });
    unlisted = Set.copyOf(notListed);
    List<RunDirectory> runs = new ArrayList<>(files.size());
    for (Map.Entry<String, List<Path>> entry : files.entrySet()) {
      List<Path> sorted = new ArrayList<>(entry.getValue());
      sorted.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
      runs.add(new RunDirectory(entry.getKey(), dirs.get(entry.getKey()), sorted));
    }
    return runs;
  }

  /**
   * Directories the last {@link #scan} could not list (permission denied, an I/O error): a file
   * under one of them was not seen, which does not mean it is gone.
   */
  public Set<Path> unlisted() {
    return unlisted;
  }

  /** Whether {@code file} lies under a directory the last scan could not list. */
  public boolean underUnlisted(Path file) {
    for (Path dir : unlisted) {
      if (file.startsWith(dir)) {
        return true;
      }
    }
    return false;
  }

  private String runName(Path directory) {
    Path relative = root.relativize(directory);
    String name = relative.toString();
    if (name.isEmpty()) {
      return ".";
    }
    return relative.getFileSystem().getSeparator().equals("/")
        ? name
        : name.replace(relative.getFileSystem().getSeparator(), "/");
  }
}
