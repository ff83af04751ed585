package dev.plateau.tail;

import dev.plateau.series.ScalarPoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the tailer should know and report, by its documented contract, kept without reading a byte:
 * per file, which of the file's records it has read; per poll, the points it should report.
 *
 * <p>The contract modelled:
 *
 * <ul>
 *   <li>A poll reads, run by run, file by file in name order, the complete records that follow
 *       those already read, and reports each scalar in file order. A record cut short is not
 *       reported until it is complete.
 *   <li>A file whose inode changed, that shrank below what was read, or whose first record changed
 *       is read again from its start, announced by {@code fileReset}.
 *   <li>A file that is no longer an event file in the logdir (deleted, its run deleted, its name
 *       taken by a directory or a link to nothing) is forgotten. If it comes back under its name
 *       and run unchanged (the same inode and version, readable, something of it read), reading
 *       resumes where it stood; otherwise it is read from its start, as a new file, without {@code
 *       fileReset}. A restart forgets what was forgotten (the saved cursors stand for it).
 *   <li>A file that cannot be opened is reported {@code UNREADABLE} once, when there is something
 *       new to read, and read from where it stood once readable.
 *   <li>A tensor value is a scalar once its tag's scalars metadata was read in the same file.
 *   <li>After a restart the cursors saved after each poll (those of forgotten files included, as
 *       the daemon's store keeps them) are restored: reading resumes where it stood.
 *   <li>{@code rereadRun} forgets the run's files; the daemon drops their saved cursors too.
 * </ul>
 */
final class TailerModel {
  /** An inode not known: the tailer never opened the file. */
  static final long ANY_INODE = -1;

  /**
   * What the tailer knows of one file.
   *
   * @param run its run
   * @param inode the model's inode it last read, or {@link #ANY_INODE}
   * @param uids the records read, in order
   * @param offset the bytes of those records
   * @param seenVersion the file's version when last read; -1 when not read by this tailer
   * @param unreadableReported whether it was reported unreadable since it was last read
   */
  record Known(
      String run,
      long inode,
      List<Long> uids,
      long offset,
      long seenVersion,
      boolean unreadableReported) {
    Known {
      uids = List.copyOf(uids);
    }

    Known restarted() {
      return new Known(run, inode, uids, offset, -1, false);
    }
  }

  /**
   * What one poll should report.
   *
   * @param points per run, the points reported, in order
   * @param resets files that must be announced as read again
   * @param optionalResets files that may be announced (nothing had been read of them)
   * @param unreadable files that must be reported unreadable
   * @param offsets per file the tailer tracks, the offset of its cursor
   */
  record Expected(
      Map<String, List<ScalarPoint>> points,
      Set<String> resets,
      Set<String> optionalResets,
      Set<String> unreadable,
      Map<String, Long> offsets) {}

  /** The model met a change that the tailer cannot see by its contract; not a tailer bug. */
  static final class UndetectableChange extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UndetectableChange(String message) {
      super(message);
    }
  }

  private final Map<String, Known> known = new HashMap<>();
  private final Map<String, Known> saved = new HashMap<>();

  /** Files the tailer forgot since its start, as it knew them. */
  private final Map<String, Known> forgotten = new HashMap<>();

  /** One poll of {@code logdir}: what it should report; the model's knowledge moves on. */
  Expected poll(ModelLogdir logdir) {
    Map<String, List<ScalarPoint>> points = new TreeMap<>();
    Set<String> resets = new HashSet<>();
    Set<String> optionalResets = new HashSet<>();
    Set<String> unreadable = new HashSet<>();
    Set<String> present = new HashSet<>();
    List<ModelFile> visible = new ArrayList<>(logdir.visibleFiles());
    visible.sort(Comparator.comparing((ModelFile f) -> f.name));
    for (ModelFile f : visible) {
      String path = f.path();
      String run = f.dir;
      present.add(path);
      Known k = known.get(path);
      if (k == null) {
        Known gone = forgotten.remove(path);
        boolean same =
            gone != null
                && !f.denied
                && gone.run().equals(run)
                && gone.inode() == f.inode
                && gone.seenVersion() == f.version
                && !gone.uids().isEmpty();
        k = same ? gone.restarted() : null;
      }
      if (f.denied) {
        if (k == null) {
          k = new Known(run, ANY_INODE, List.of(), 0, -1, false);
        }
        if (k.seenVersion() != f.version && !k.unreadableReported()) {
          unreadable.add(path);
          k = new Known(run, k.inode(), k.uids(), k.offset(), k.seenVersion(), true);
        }
        known.put(path, k);
        continue;
      }
      int from = firstUnread(f, k);
      if (from < 0) {
        from = 0;
        (k.uids().isEmpty() ? optionalResets : resets).add(path);
      }
      List<ScalarPoint> out = points.computeIfAbsent(run, r -> new ArrayList<>());
      Set<String> scalarTensorTags = new HashSet<>();
      for (int i = 0; i < f.records.size(); i++) {
        ModelRecord r = f.records.get(i);
        if (r.metadata()) {
          scalarTensorTags.add(r.tag());
        }
        boolean scalar = r.tag() != null && (!r.tensor() || scalarTensorTags.contains(r.tag()));
        if (i >= from && scalar) {
          out.add(new ScalarPoint(run, f.name, r.tag(), r.step(), r.wallTime(), r.value()));
        }
      }
      List<Long> uids = f.records.stream().map(ModelRecord::uid).toList();
      known.put(path, new Known(run, f.inode, uids, f.completeBytes(), f.version, false));
    }
    points.values().removeIf(List::isEmpty);
    for (Map.Entry<String, Known> e : known.entrySet()) {
      if (!present.contains(e.getKey())) {
        forgotten.put(e.getKey(), e.getValue());
      }
    }
    known.keySet().retainAll(present);
    Map<String, Long> offsets = new TreeMap<>();
    known.forEach((path, k) -> offsets.put(path, k.offset()));
    // The daemon saves every cursor after a round and never deletes one of a forgotten file.
    saved.putAll(known);
    return new Expected(points, resets, optionalResets, unreadable, offsets);
  }

  /**
   * The index of the first record not read yet, or -1 when the tailer must read the file again from
   * its start (it has read some of it, and sees that it is another file now).
   */
  private static int firstUnread(ModelFile f, Known k) {
    if (k == null) {
      return 0;
    }
    boolean otherInode = k.inode() != ANY_INODE && k.inode() != f.inode;
    boolean shrank = f.size() < k.offset();
    boolean otherFirstRecord =
        !k.uids().isEmpty() && (f.records.isEmpty() || f.records.get(0).uid() != k.uids().get(0));
    if (otherInode || shrank || otherFirstRecord) {
      return -1;
    }
    for (int i = 0; i < k.uids().size(); i++) {
      if (i >= f.records.size() || f.records.get(i).uid() != k.uids().get(i)) {
        throw new UndetectableChange(
            f.path()
                + ": record "
                + i
                + " of those read changed while its inode, its first record and a size above"
                + " the offset read stayed");
      }
    }
    return k.uids().size();
  }

  /** A restart: the tailer knows what was saved, and has not looked at any file yet. */
  void restart() {
    known.clear();
    forgotten.clear();
    saved.forEach((path, k) -> known.put(path, k.restarted()));
  }

  /** {@link LogdirTailer#rereadRun}: the run's files forgotten, their saved cursors dropped. */
  void reread(String run) {
    known.values().removeIf(k -> k.run().equals(run));
    saved.values().removeIf(k -> k.run().equals(run));
    forgotten.values().removeIf(k -> k.run().equals(run));
  }
}
