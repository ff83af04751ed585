package dev.plateau.tail;

import dev.plateau.decode.DecodeLimits;
import dev.plateau.series.ScalarPoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Runs one model sequence: applies each op to real files under a fresh logdir and to the model,
 * polls the real {@link LogdirTailer}, and after every poll compares what it reported with what the
 * model expects.
 */
final class SequenceRunner {
  /** How a new tailer takes the saved cursors; the daemon calls {@link LogdirTailer#restore}. */
  interface Restorer {
    void restore(LogdirTailer tailer, Collection<FileCursor> saved);
  }

  /** The result of a sequence. */
  sealed interface Outcome {
    /** The tailer agreed with the model after every poll. */
    record Passed() implements Outcome {}

    /** After the poll numbered {@code poll} (from 1), at op {@code op} (from 0), they differed. */
    record Failed(int op, int poll, String message) implements Outcome {}

    /** The sequence made a change the tailer cannot see by its contract: no verdict. */
    record Undetectable(String message) implements Outcome {}
  }

  /** A generated sequence and how it went. */
  record Generated(List<ModelOp> ops, Outcome outcome) {}

  private final Path base;
  private final boolean denySupported;
  private final Restorer restorer;

  /**
   * @param base a directory under which each sequence gets a fresh directory, deleted after it
   * @param denySupported whether permissions deny reads here (not as root)
   */
  SequenceRunner(Path base, boolean denySupported, Restorer restorer) {
    this.base = base;
    this.denySupported = denySupported;
    this.restorer = restorer;
  }

  /** Generates a sequence from {@code seed} while running it. */
  Generated generate(long seed) throws IOException {
    OpGenerator generator = new OpGenerator(seed);
    int length = generator.length();
    List<ModelOp> ops = new ArrayList<>();
    try (State state = new State()) {
      for (int i = 0; i <= length; i++) { // the first op starts the tailer, the last polls
        ModelOp op =
            i == 0
                ? generator.start()
                : i == length ? new ModelOp.Poll() : generator.next(state.logdir);
        ops.add(op);
        Outcome outcome = state.step(op, i);
        if (outcome != null) {
          return new Generated(ops, outcome);
        }
      }
    }
    return new Generated(ops, new Outcome.Passed());
  }

  /** Runs a given sequence. */
  Outcome replay(List<ModelOp> ops) throws IOException {
    try (State state = new State()) {
      for (int i = 0; i < ops.size(); i++) {
        Outcome outcome = state.step(ops.get(i), i);
        if (outcome != null) {
          return outcome;
        }
      }
    }
    return new Outcome.Passed();
  }

  /** One sequence's logdir, model and tailer. */
  private final class State implements AutoCloseable {
    final Path dir;
    final ModelLogdir logdir;
    final TailerModel model = new TailerModel();

    /** What the daemon's store holds: the latest cursor of every file ever read. */
    final Map<String, FileCursor> saved = new LinkedHashMap<>();

    LogdirTailer tailer;
    int polls;

    State() throws IOException {
      dir = Files.createTempDirectory(base, "sequence");
      logdir = new ModelLogdir(dir, denySupported);
      tailer = new LogdirTailer(logdir.logdir, DecodeLimits.DEFAULTS);
    }

    /**
     * Applies one op; returns an outcome when the sequence ends here. An exception is a failure
     * too, so that it is shrunk and printed with its sequence like any other.
     */
    Outcome step(ModelOp op, int index) {
      try {
        return apply(op, index);
      } catch (TailerModel.UndetectableChange e) {
        return new Outcome.Undetectable(e.getMessage());
      } catch (IOException | RuntimeException e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        return new Outcome.Failed(index, polls, op + " threw " + trace);
      }
    }

    private Outcome apply(ModelOp op, int index) throws IOException {
      if (op instanceof ModelOp.Poll) {
        polls++;
        String difference = poll();
        return difference == null ? null : new Outcome.Failed(index, polls, difference);
      } else if (op instanceof ModelOp.Restart restart) {
        tailer =
            new LogdirTailer(
                logdir.logdir, DecodeLimits.DEFAULTS.withReadBufferSize(restart.readBufferSize()));
        restorer.restore(tailer, List.copyOf(saved.values()));
        model.restart();
      } else if (op instanceof ModelOp.Reread reread) {
        ModelLogdir.Run run = logdir.runs.get(reread.run());
        if (run != null) {
          tailer.rereadRun(run.dir());
          saved.values().removeIf(c -> c.run().equals(run.dir()));
          model.reread(run.dir());
        }
      } else {
        logdir.apply(op);
      }
      return null;
    }

    /** Polls the tailer and the model; returns how they differ, or null. */
    private String poll() throws IOException {
      TailerModel.Expected expected = model.poll(logdir);
      RecordingListener heard = new RecordingListener();
      tailer.poll(heard);
      for (ModelFile f : logdir.visibleFiles()) {
        if (!f.denied) {
          f.frozen = false; // the cut, if any, was seen
        }
      }
      for (FileCursor c : tailer.cursors()) {
        saved.put(c.path(), c);
      }
      return compare(expected, heard);
    }

    private String compare(TailerModel.Expected expected, RecordingListener heard) {
      Map<String, ModelFile> visible = new HashMap<>();
      for (ModelFile f : logdir.visibleFiles()) {
        visible.put(f.path(), f);
      }
      Map<String, List<ScalarPoint>> points = new TreeMap<>();
      for (ScalarPoint p : heard.points) {
        points.computeIfAbsent(p.run(), r -> new ArrayList<>()).add(p);
      }
      for (String run : union(expected.points().keySet(), points.keySet())) {
        List<ScalarPoint> want = expected.points().getOrDefault(run, List.of());
        List<ScalarPoint> got = points.getOrDefault(run, List.of());
        if (!want.equals(got)) {
          return "run '" + run + "': points differ\n" + pointDiff(want, got);
        }
      }
      List<String> resets = new ArrayList<>();
      for (RecordingListener.Reset r : heard.resets) {
        resets.add(r.run() + "/" + r.file());
      }
      if (resets.size() != new HashSet<>(resets).size()
          || !resets.containsAll(expected.resets())
          || !union(expected.resets(), expected.optionalResets()).containsAll(resets)) {
        return "file resets: expected "
            + expected.resets()
            + " (and maybe "
            + expected.optionalResets()
            + "), reported "
            + resets;
      }
      Set<String> unreadable = new HashSet<>();
      for (TailProblem p : heard.problems) {
        if (p.kind() != TailProblem.Kind.UNREADABLE) {
          return "unexpected problem: " + p.message();
        }
        unreadable.add(relative(p.file()));
      }
      if (!unreadable.equals(expected.unreadable()) || heard.problems.size() != unreadable.size()) {
        return "unreadable files: expected "
            + expected.unreadable()
            + ", reported "
            + heard.problems;
      }
      for (RecordingListener.Tail tail : heard.tails) {
        ModelFile f = visible.get(tail.run() + "/" + tail.file());
        if (f == null
            || f.pending == null
            || tail.offset() != f.completeBytes()
            || tail.available() != f.pendingWritten) {
          return "unfinished record reported where there is none: " + tail;
        }
      }
      Map<String, Long> offsets = new TreeMap<>();
      for (FileCursor c : tailer.cursors()) {
        offsets.put(relative(Path.of(c.path())), c.offset());
      }
      if (!offsets.equals(expected.offsets())) {
        return "cursors (file: offset): expected " + expected.offsets() + ", tailer has " + offsets;
      }
      return null;
    }

    private String relative(Path file) {
      return tailer.logdir().relativize(file).toString();
    }

    @Override
    public void close() throws IOException {
      ModelLogdir.deleteTree(dir);
    }
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new TreeSet<>(a);
    all.addAll(b);
    return all;
  }

  /** Where two point lists part, with a little context. */
  private static String pointDiff(List<ScalarPoint> want, List<ScalarPoint> got) {
    int at = 0;
    while (at < want.size() && at < got.size() && Objects.equals(want.get(at), got.get(at))) {
      at++;
    }
    StringBuilder out = new StringBuilder();
    out.append("  ")
        .append(want.size())
        .append(" expected, ")
        .append(got.size())
        .append(" reported; first difference at index ")
        .append(at)
        .append('\n');
    int end = Math.min(at + 3, Math.max(want.size(), got.size()));
    for (int i = Math.max(0, at - 1); i < end; i++) {
      out.append("  [")
          .append(i)
          .append("] expected ")
          .append(i < want.size() ? brief(want.get(i)) : "-")
          .append(", reported ")
          .append(i < got.size() ? brief(got.get(i)) : "-")
          .append('\n');
    }
    return out.toString();
  }

  private static String brief(ScalarPoint p) {
    return p.file() + " " + p.tag() + "@" + p.step();
  }
}
