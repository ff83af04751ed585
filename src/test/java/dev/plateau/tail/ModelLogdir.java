package dev.plateau.tail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The logdir of a model sequence, kept twice: as real directories and files under {@link #logdir},
 * and in memory ({@link ModelFile}s), so the model knows every byte the tailer can see. Applies the
 * ops that change files; an op whose target does not exist (any more) does nothing, so that any
 * sub-list of a sequence can be replayed.
 */
final class ModelLogdir {
  /** Counters that make every record, wall time and inode of a sequence distinct. */
  static final class Ids {
    private long uid;
    private long inode;
    private long wallTicks;

    long uid() {
      return ++uid;
    }

    long inode() {
      return ++inode;
    }

    /** Distinct and exact in a double: quarter seconds from a fixed start. */
    double wallTime() {
      return 1_700_000_000.0 + (++wallTicks) / 4.0;
    }
  }

  /** A live run: its id and its directory relative to the logdir, which is also its name. */
  record Run(int id, String dir) {}

  final Path logdir;
  private final Path aside;
  final boolean denySupported;
  final Ids ids = new Ids();
  final Map<Integer, Run> runs = new LinkedHashMap<>();
  final Map<Integer, ModelFile> files = new LinkedHashMap<>();

  /** Directories of runs deleted, which a new run may take again. */
  final List<String> deletedDirs = new ArrayList<>();

  /** Per directory, the names of files deleted from it, which a new file may take again. */
  final Map<String, Set<String>> deletedNames = new HashMap<>();

  /**
   * @param base an empty directory: the logdir and a place outside it for hidden files go there
   * @param denySupported whether taking read permission away denies reads (not as root)
   */
  ModelLogdir(Path base, boolean denySupported) throws IOException {
    this.logdir = Files.createDirectories(base.resolve("logdir"));
    this.aside = Files.createDirectories(base.resolve("aside"));
    this.denySupported = denySupported;
  }

  /** Applies an op that changes files; the other ops are the runner's. */
  void apply(ModelOp op) throws IOException {
    if (op instanceof ModelOp.NewRun o) {
      newRun(o);
    } else if (op instanceof ModelOp.NewFile o) {
      newFile(o.run(), o.file(), o.name(), o.records(), o.salt());
    } else if (op instanceof ModelOp.Append o) {
      append(o);
    } else if (op instanceof ModelOp.AppendPartial o) {
      appendPartial(o);
    } else if (op instanceof ModelOp.Truncate o) {
      truncate(o);
    } else if (op instanceof ModelOp.Rewrite o) {
      rewrite(o);
    } else if (op instanceof ModelOp.Replace o) {
      replace(o);
    } else if (op instanceof ModelOp.DeleteFile o) {
      deleteFile(o);
    } else if (op instanceof ModelOp.DeleteRun o) {
      deleteRun(o);
    } else if (op instanceof ModelOp.Hide o) {
      hide(o);
    } else if (op instanceof ModelOp.Unhide o) {
      unhide(o);
    } else if (op instanceof ModelOp.Deny o) {
      deny(o);
    } else if (op instanceof ModelOp.Allow o) {
      allow(o);
    } else {
      throw new IllegalArgumentException(op + " is not a file op");
    }
  }

  /** The files the logdir shows as event files: live, not hidden. */
  List<ModelFile> visibleFiles() {
    return files.values().stream().filter(f -> !f.hidden).toList();
  }

  /** Where a file's bytes are now. */
  Path where(ModelFile f) {
    return f.hidden ? aside.resolve("f" + f.id) : logdir.resolve(f.dir).resolve(f.name);
  }

  private boolean dirInUse(String dir) {
    return runs.values().stream().anyMatch(r -> r.dir().equals(dir));
  }

  private boolean nameInUse(String dir, String name) {
    return files.values().stream().anyMatch(f -> f.dir.equals(dir) && f.name.equals(name));
  }

  private void newRun(ModelOp.NewRun o) throws IOException {
    if (runs.containsKey(o.run()) || dirInUse(o.dir())) {
      return;
    }
    Files.createDirectories(logdir.resolve(o.dir()));
    runs.put(o.run(), new Run(o.run(), o.dir()));
    deletedDirs.remove(o.dir());
    newFile(o.run(), o.file(), o.name(), o.records(), o.salt());
  }

  private void newFile(int runId, int id, String name, int count, long salt) throws IOException {
    Run run = runs.get(runId);
    if (run == null || files.containsKey(id) || nameInUse(run.dir(), name)) {
      return;
    }
    ModelFile f = new ModelFile(id, runId, run.dir(), name);
    f.inode = ids.inode();
    fillFresh(f, count, salt);
    Files.write(where(f), f.bytes(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    stamp(f);
    files.put(id, f);
    Set<String> freed = deletedNames.get(run.dir());
    if (freed != null) {
      freed.remove(name);
    }
  }

  /** A new writer's content: file_version and {@code count} records. */
  private void fillFresh(ModelFile f, int count, long salt) throws IOException {
    f.records.clear();
    f.pending = null;
    f.pendingWritten = 0;
    f.records.add(f.startWriter(ids));
    SplittableRandom random = new SplittableRandom(salt);
    for (int i = 0; i < count; i++) {
      f.records.add(f.nextRecord(ids, random));
    }
    f.version = ids.uid();
    f.frozen = false;
  }

  private void append(ModelOp.Append o) throws IOException {
    ModelFile f = files.get(o.file());
    if (f == null) {
      return;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(f.finishPending());
    SplittableRandom random = new SplittableRandom(o.salt());
    for (int i = 0; i < o.records(); i++) {
      ModelRecord r = f.nextRecord(ids, random);
      f.records.add(r);
      out.writeBytes(r.frame());
    }
    write(f, out.toByteArray());
  }

  private void appendPartial(ModelOp.AppendPartial o) throws IOException {
    ModelFile f = files.get(o.file());
    if (f == null) {
      return;
    }
    SplittableRandom random = new SplittableRandom(o.salt());
    byte[] bytes;
    if (f.pending == null) {
      f.pending = f.nextRecord(ids, random);
      f.pendingWritten = 1 + random.nextInt(f.pending.frame().length - 1);
      bytes = Arrays.copyOf(f.pending.frame(), f.pendingWritten);
    } else {
      // More of the unfinished record, possibly all of it.
      int rest = f.pending.frame().length - f.pendingWritten;
      int more = 1 + random.nextInt(rest);
      bytes = Arrays.copyOfRange(f.pending.frame(), f.pendingWritten, f.pendingWritten + more);
      f.pendingWritten += more;
      if (f.pendingWritten == f.pending.frame().length) {
        f.finishPending();
      }
    }
    write(f, bytes);
  }

  private void write(ModelFile f, byte[] bytes) throws IOException {
    if (bytes.length == 0) {
      return;
    }
    Files.write(where(f), bytes, StandardOpenOption.APPEND);
    f.version = ids.uid();
    stamp(f);
  }

  /**
   * Gives the file a modification time no write in the sequence had before. A kernel with coarse
   * timestamps can leave the time unchanged by a write in the same tick as the poll before it, and
   * the tailer then takes a rewrite to the same size for no change (it compares size, time and
   * inode before opening a file): a limitation of that shortcut, which would make this test depend
   * on the kernel, so the model's filesystem keeps exact times.
   */
  private void stamp(ModelFile f) throws IOException {
    Files.setLastModifiedTime(where(f), FileTime.from(f.version, TimeUnit.MILLISECONDS));
  }

  private void truncate(ModelOp.Truncate o) throws IOException {
    ModelFile f = files.get(o.file());
    if (f == null || f.hidden) {
      return;
    }
    int keep = Math.min(o.keep(), f.records.size());
    boolean cutsRecords = keep < f.records.size();
    if (!cutsRecords && f.pending == null) {
      return;
    }
    f.records.subList(keep, f.records.size()).clear();
    f.pending = null;
    f.pendingWritten = 0;
    try (FileChannel channel = FileChannel.open(where(f), StandardOpenOption.WRITE)) {
      channel.truncate(f.completeBytes());
    }
    f.version = ids.uid();
    stamp(f);
    // A cut to nothing changes the first record with the next append, which readers notice.
    f.frozen = keep == 0 ? false : f.frozen || cutsRecords;
  }

  private void rewrite(ModelOp.Rewrite o) throws IOException {
    ModelFile f = files.get(o.file());
    if (f == null || f.hidden) {
      return;
    }
    fillFresh(f, o.records(), o.salt());
    Files.write(
        where(f), f.bytes(), StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    stamp(f);
  }

  private void replace(ModelOp.Replace o) throws IOException {
    ModelFile f = files.get(o.file());
    if (f == null || f.hidden) {
      return;
    }
    fillFresh(f, o.records(), o.salt());
    f.inode = ids.inode();
    f.denied = false;
    // Written beside it under a name that is no event file's, then moved over it.
    Path temp = where(f).resolveSibling("replacement.partial");
    Files.write(temp, f.bytes());
    Files.move(temp, where(f), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    stamp(f);
  }

  private void deleteFile(ModelOp.DeleteFile o) throws IOException {
    ModelFile f = files.get(o.file());
    if (f == null || f.hidden) {
      return;
    }
    Files.delete(where(f));
    forget(f);
  }

  private void forget(ModelFile f) {
    files.remove(f.id);
    deletedNames.computeIfAbsent(f.dir, d -> new HashSet<>()).add(f.name);
  }

  private void deleteRun(ModelOp.DeleteRun o) throws IOException {
    Run run = runs.remove(o.run());
    if (run == null) {
      return;
    }
    for (ModelFile f : List.copyOf(files.values())) {
      if (f.run == run.id()) {
        if (f.hidden) {
          Files.delete(where(f));
        }
        forget(f);
      }
    }
    deleteTree(logdir.resolve(run.dir()));
    deletedDirs.add(run.dir());
  }

  private void hide(ModelOp.Hide o) throws IOException {
    ModelFile f = files.get(o.file());
    if (f == null || f.hidden) {
      return;
    }
    Path path = where(f);
    f.hidden = true;
    Files.move(path, where(f), StandardCopyOption.ATOMIC_MOVE);
    if (o.asDirectory()) {
      Files.createDirectory(path);
    } else {
      Files.createSymbolicLink(path, path.resolveSibling("no-such-file"));
    }
  }

  private void unhide(ModelOp.Unhide o) throws IOException {
    ModelFile f = files.get(o.file());
    if (f == null || !f.hidden) {
      return;
    }
    Path at = where(f);
    f.hidden = false;
    Files.delete(where(f)); // the directory or the link
    Files.move(at, where(f), StandardCopyOption.ATOMIC_MOVE);
  }

  private void deny(ModelOp.Deny o) throws IOException {
    ModelFile f = files.get(o.file());
    if (f == null || f.denied || !denySupported) {
      return;
    }
    Files.setPosixFilePermissions(where(f), PosixFilePermissions.fromString("-w-------"));
    f.denied = true;
  }

  private void allow(ModelOp.Allow o) throws IOException {
    ModelFile f = files.get(o.file());
    if (f == null || !f.denied) {
      return;
    }
    Files.setPosixFilePermissions(where(f), PosixFilePermissions.fromString("rw-r--r--"));
    f.denied = false;
  }

  /** Deletes a directory tree (links are deleted, not followed). */
  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
