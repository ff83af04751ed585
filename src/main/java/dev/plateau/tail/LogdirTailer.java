package dev.plateau.tail;

import dev.plateau.decode.DecodeLimits;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tails every event file of a logdir. Each {@link #poll} finds new runs and files, reads what was
 * appended to known files from their stored offsets, and reports points to the listener: nothing is
 * read twice, and a problem with one file or directory never stops the others.
 *
 * <p>Not thread-safe: one thread polls.
 */
public final class LogdirTailer implements LogdirSource {
  private static final Logger log = LoggerFactory.getLogger(LogdirTailer.class);

  private final Path logdir;
  private final DecodeLimits limits;
  private final LogdirScanner scanner;

  /** One read window for every file: they are read one after another, on one thread. */
  private final dev.plateau.decode.RecordReader.Buffers buffers;

  private final Map<Path, TailedFile> files = new LinkedHashMap<>();

  /**
   * Where forgotten files stood, by path, so that one that comes back unchanged (a directory moved
   * away and back, a mount that hiccuped) resumes there; the oldest go first beyond {@link
   * #MAX_FORGOTTEN}.
   */
  private final LinkedHashMap<Path, Forgotten> forgotten = new LinkedHashMap<>();

  /** A forgotten file: where reading stood, and its size and modification time when last seen. */
  private record Forgotten(
      FileCursor cursor, long size, java.nio.file.attribute.FileTime modified) {}

  static final int MAX_FORGOTTEN = 4096;
  private final Set<String> scanProblems = new HashSet<>();
  private final List<String> newScanProblems = new ArrayList<>();
  private long records;
  private long bytes;
  private long points;
  private long corruptRecords;

  /** Runs found by the last whole poll. */
  private int knownRuns;

  /**
   * @param logdir a logdir, or a single event file
   */
  public LogdirTailer(Path logdir, DecodeLimits limits) {
    // Absolute paths, so that saved cursors match whatever the working directory is later.
    logdir = logdir.toAbsolutePath().normalize();
    this.logdir = logdir;
    this.limits = limits;
    this.scanner = new LogdirScanner(logdir, this::scanProblem);
    this.buffers = new dev.plateau.decode.RecordReader.Buffers(limits);
  }

  public Path logdir() {
    return logdir;
  }

  /**
   * One pass: discovers runs and files, then reads new bytes of every file, run by run (by name)
   * and, within a run, file by file (by name).
   *
   * @throws IOException only when the logdir itself cannot be read
   */
  @Override
  public PollStats poll(TailListener listener) throws IOException {
    return poll(listener, () -> false);
  }

  /**
   * {@link #poll}, stopping between files once {@code stopRequested} says so (a daemon asked to
   * stop in the middle of a backfill): the files not reached keep their positions, or are read from
   * their start by a later poll if never read, and none is taken for gone.
   *
   * @throws IOException only when the logdir itself cannot be read
   */
  @Override
  public PollStats poll(TailListener listener, BooleanSupplier stopRequested) throws IOException {
    List<RunDirectory> runs = scanner.scan();
    knownRuns = runs.size();
    for (String problem : newScanProblems) {
      listener.problem(new TailProblem(TailProblem.Kind.SCAN, logdir, -1, problem));
    }
    newScanProblems.clear();
    Set<Path> present = new HashSet<>();
    for (RunDirectory run : runs) {
      present.addAll(run.eventFiles());
    }
    long polledRecords = 0;
    long polledBytes = 0;
    long polledPoints = 0;
    long polledCorrupt = 0;
    reading:
    for (RunDirectory run : runs) {
      for (Path path : run.eventFiles()) {
        if (stopRequested.getAsBoolean()) {
          break reading;
        }
        TailedFile file = files.computeIfAbsent(path, p -> comeBackOrNew(run.name(), p));
        TailedFile.ReadCounts counts = file.poll(listener);
        polledRecords += counts.records();
        polledBytes += counts.bytes();
        polledPoints += counts.points();
        polledCorrupt += counts.corrupt();
      }
    }
    Map<String, Path> forgottenRuns = new LinkedHashMap<>();
    files
        .values()
        .removeIf(
            file -> {
              boolean forgot = forget(file, present);
              if (forgot) {
                forgottenRuns.put(file.run(), file.path().getParent());
              }
              return forgot;
            });
    for (Map.Entry<String, Path> gone : forgottenRuns.entrySet()) {
      String run = gone.getKey();
      boolean filesLeft = files.values().stream().anyMatch(f -> f.run().equals(run));
      if (!filesLeft
          && !java.nio.file.Files.isDirectory(gone.getValue())
          && !scanner.underUnlisted(gone.getValue())) {
        listener.runGone(run, gone.getValue());
      }
    }
    records += polledRecords;
    bytes += polledBytes;
    points += polledPoints;
    corruptRecords += polledCorrupt;
    return new PollStats(
        runs.size(), files.size(), polledRecords, polledBytes, polledPoints, polledCorrupt);
  }

  /**
   * A pass over part of the logdir: reads new bytes of the known files in {@code directories}
   * (those change events said grew), run by run and file by file as {@link #poll} does, without
   * listing the logdir. New or deleted files and runs are left to the next whole poll.
   */
  public PollStats pollGrown(TailListener listener, Set<Path> directories) {
    List<TailedFile> grown = new ArrayList<>();
    for (Map.Entry<Path, TailedFile> e : files.entrySet()) {
      if (directories.contains(e.getKey().getParent())) {
        grown.add(e.getValue());
      }
    }
    grown.sort(
        java.util.Comparator.comparing(TailedFile::run)
            .thenComparing(f -> f.path().getFileName().toString()));
    long polledRecords = 0;
    long polledBytes = 0;
    long polledPoints = 0;
    long polledCorrupt = 0;
    for (TailedFile file : grown) {
      TailedFile.ReadCounts counts = file.poll(listener);
      polledRecords += counts.records();
      polledBytes += counts.bytes();
      polledPoints += counts.points();
      polledCorrupt += counts.corrupt();
    }
    records += polledRecords;
    bytes += polledBytes;
    points += polledPoints;
    corruptRecords += polledCorrupt;
    return new PollStats(
        knownRuns, files.size(), polledRecords, polledBytes, polledPoints, polledCorrupt);
  }

  /**
   * Resumes from saved cursors (before the first poll): files listed here are read from their
   * offsets once found again; a file whose identity changed meanwhile is read from its start.
   */
  @Override
  public void restore(Collection<FileCursor> cursors) {
    for (FileCursor cursor : cursors) {
      Path path;
      try {
        path = PathText.parse(cursor.path());
      } catch (java.nio.file.InvalidPathException e) {
        // Saved under a locale whose charset could hold the name, restored under one that cannot.
        log.warn(
            "{}: saved position cannot be restored here ({}); the file is read as it is found",
            cursor.path(),
            e.getMessage());
        continue;
      }
      TailedFile file = new TailedFile(cursor.run(), path, limits, buffers);
      file.restore(cursor);
      files.put(path, file);
    }
  }

  /**
   * Reads a run's files again from their start on the next poll (after its history was needed
   * again, e.g. for a rewind into points read before a restart).
   */
  @Override
  public void rereadRun(String run) {
    files.values().removeIf(f -> f.run().equals(run));
    forgotten.values().removeIf(f -> f.cursor().run().equals(run));
  }

  /** Where reading stands in every file being tailed. */
  @Override
  public List<FileCursor> cursors() {
    List<FileCursor> out = new ArrayList<>(files.size());
    for (TailedFile file : files.values()) {
      out.add(file.cursor());
    }
    return out;
  }

  /** The files being tailed. */
  public Collection<TailedFile> files() {
    return files.values();
  }

  /** Totals since this tailer was created. */
  @Override
  public PollStats totals() {
    long runs = files.values().stream().map(TailedFile::run).distinct().count();
    return new PollStats((int) runs, files.size(), records, bytes, points, corruptRecords);
  }

  private TailedFile newFile(String run, Path path) {
    log.debug("{}: new event file of run '{}'", path, run);
    return new TailedFile(run, path, limits, buffers);
  }

  /**
   * A file seen before that is back unchanged (same path and run; the same inode, size,
   * modification time and first record) resumes where it stood; anything else under that name is a
   * new file, read from its start. Changed while it was away, it cannot be told from a file deleted
   * and made again (filesystems reuse inodes at once, and a writer's first record repeats what its
   * name says), so it is read again.
   */
  private TailedFile comeBackOrNew(String run, Path path) {
    Forgotten gone = forgotten.remove(path);
    if (gone == null || !gone.cursor().run().equals(run) || !unchanged(path, gone)) {
      return newFile(run, path);
    }
    FileCursor before = gone.cursor();
    log.info(
        "{}: back in the logdir; reading on from offset {} if it is the same file",
        path,
        before.offset());
    TailedFile file = new TailedFile(run, path, limits, buffers);
    file.restore(before);
    return file;
  }

  /**
   * Whether the file at {@code path} is the one {@code before} was read from: the same identity
   * (inode) and the same first record. Both, since a filesystem reuses a deleted file's inode at
   * once; a file that cannot be opened is taken as new.
   */
  private static boolean unchanged(Path path, Forgotten gone) {
    FileCursor before = gone.cursor();
    if (before.fileKey() == null || before.fingerprint() == null || gone.modified() == null) {
      return false;
    }
    try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(path)) {
      java.nio.file.attribute.BasicFileAttributes now =
          java.nio.file.Files.readAttributes(
              path, java.nio.file.attribute.BasicFileAttributes.class);
      return before.fileKey().equals(TailedFile.keyOf(now))
          && now.size() == gone.size()
          && now.lastModifiedTime().equals(gone.modified())
          && before.fingerprint().matches(channel);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private boolean forget(TailedFile file, Set<Path> present) {
    Path path = file.path();
    if (present.contains(path) || scanner.underUnlisted(path)) {
      return false; // there, or in a directory that could not be listed this time: not gone
    }
    log.info("{}: no longer in the logdir; forgotten", path);
    forgotten.put(path, new Forgotten(file.cursor(), file.seenSize(), file.seenModified()));
    if (forgotten.size() > MAX_FORGOTTEN) {
      forgotten.remove(forgotten.keySet().iterator().next());
    }
    return true;
  }

  private void scanProblem(String problem) {
    // A link loop or an unreadable directory is reported once, not on every poll.
    if (scanProblems.add(problem)) {
      newScanProblems.add(problem);
    }
  }
}
