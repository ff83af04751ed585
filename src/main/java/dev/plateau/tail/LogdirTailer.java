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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tails every event file of a logdir. Each {@link #poll} finds new runs and files, reads what was
 * appended to known files from their stored offsets, and reports points to the listener: nothing
 * is read twice, and a problem with one file or directory never stops the others.
 *
 * <p>Not thread-safe: one thread polls.
 */
public final class LogdirTailer {
  private static final Logger log = LoggerFactory.getLogger(LogdirTailer.class);

  private final Path logdir;
  private final DecodeLimits limits;
  private final LogdirScanner scanner;
  /** One read window for every file: they are read one after another, on one thread. */
  private final dev.plateau.decode.RecordReader.Buffers buffers;
  private final Map<Path, TailedFile> files = new LinkedHashMap<>();
  private final Set<String> scanProblems = new HashSet<>();
  private final List<String> newScanProblems = new ArrayList<>();
  private long records;
  private long bytes;
  private long points;
  private long corruptRecords;
  /** Runs found by the last whole poll. */
  private int knownRuns;

  /** @param logdir a logdir, or a single event file */
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
  public PollStats poll(TailListener listener) throws IOException {
    List<RunDirectory> runs = scanner.scan();
    knownRuns = runs.size();
    for (String problem : newScanProblems) {
      listener.problem(new TailProblem(TailProblem.Kind.SCAN, logdir, -1, problem));
    }
    newScanProblems.clear();
    Set<Path> present = new HashSet<>();
    long polledRecords = 0;
    long polledBytes = 0;
    long polledPoints = 0;
    long polledCorrupt = 0;
    for (RunDirectory run : runs) {
      for (Path path : run.eventFiles()) {
        present.add(path);
        TailedFile file = files.computeIfAbsent(path, p -> newFile(run.name(), p));
        TailedFile.ReadCounts counts = file.poll(listener);
        polledRecords += counts.records();
        polledBytes += counts.bytes();
        polledPoints += counts.points();
        polledCorrupt += counts.corrupt();
      }
    }
    files.keySet().removeIf(path -> forget(path, present));
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
  public void restore(Collection<FileCursor> cursors) {
    for (FileCursor cursor : cursors) {
      Path path = Path.of(cursor.path());
      TailedFile file = new TailedFile(cursor.run(), path, limits, buffers);
      file.restore(cursor);
      files.put(path, file);
    }
  }

  /**
   * Reads a run's files again from their start on the next poll (after its history was needed
   * again, e.g. for a rewind into points read before a restart).
   */
  public void rereadRun(String run) {
    files.values().removeIf(f -> f.run().equals(run));
  }

  /** Where reading stands in every file being tailed. */
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
  public PollStats totals() {
    long runs = files.values().stream().map(TailedFile::run).distinct().count();
    return new PollStats((int) runs, files.size(), records, bytes, points, corruptRecords);
  }

  private TailedFile newFile(String run, Path path) {
    log.debug("{}: new event file of run '{}'", path, run);
    return new TailedFile(run, path, limits, buffers);
  }

  private boolean forget(Path path, Set<Path> present) {
    if (present.contains(path)) {
      return false;
    }
    log.info("{}: no longer in the logdir; forgotten", path);
    return true;
  }

  private void scanProblem(String problem) {
    // A link loop or an unreadable directory is reported once, not on every poll.
    if (scanProblems.add(problem)) {
      newScanProblems.add(problem);
    }
  }
}
