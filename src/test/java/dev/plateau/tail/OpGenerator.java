package dev.plateau.tail;

import dev.plateau.decode.DecodeLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Chooses a sequence's next op from the state of its {@link ModelLogdir}, with weights that keep
 * files growing while they are replaced, cut, hidden and deleted around them.
 *
 * <p>One thing it never does: append to a file cut in its middle before a poll has seen the cut.
 * The tailer tells a file that changed from one that grew by its inode, its size against the offset
 * read, and its first record; a file cut below that offset and grown past it again, first record
 * kept, looks grown. The model reports such a change as undetectable rather than as a failure (see
 * {@link TailerModel.UndetectableChange}).
 */
final class OpGenerator {
  private final Random random;
  private int readBufferSize;
  private int nextRun;
  private int nextFile;
  private final List<Choice> choices = choices();
  private final int totalWeight = choices.stream().mapToInt(Choice::weight).sum();

  OpGenerator(long seed) {
    this.random = new Random(seed);
  }

  /** How many ops a sequence has, before the poll that ends it. */
  int length() {
    return 10 + random.nextInt(50);
  }

  /**
   * The first op: the tailer starts with the default read window, or, half the time, one of a few
   * dozen bytes, so that records straddle the window's edge and some are larger than it.
   */
  ModelOp start() {
    readBufferSize = random.nextBoolean() ? DecodeLimits.DEFAULT_READ_BUFFER_SIZE : smallWindow();
    return new ModelOp.Restart(readBufferSize);
  }

  private int smallWindow() {
    return 16 + random.nextInt(100);
  }

  /** An op with its weight; {@code op} returns null when nothing fits it now. */
  private record Choice(int weight, Function<ModelLogdir, ModelOp> op) {}

  private List<Choice> choices() {
    return List.of(
        new Choice(20, l -> new ModelOp.Poll()),
        new Choice(22, l -> withFile(l, f -> !f.frozen, f -> append(f, 1 + random.nextInt(3)))),
        new Choice(
            10, l -> withFile(l, f -> !f.frozen, f -> new ModelOp.AppendPartial(f.id, salt()))),
        new Choice(5, this::newFile),
        new Choice(
            3,
            l ->
                withFile(
                    l,
                    f -> !f.hidden,
                    f -> new ModelOp.Truncate(f.id, random.nextInt(f.records.size() + 1)))),
        new Choice(
            3, l -> withFile(l, f -> !f.hidden, f -> new ModelOp.Rewrite(f.id, records(), salt()))),
        new Choice(
            4, l -> withFile(l, f -> !f.hidden, f -> new ModelOp.Replace(f.id, records(), salt()))),
        new Choice(3, l -> withFile(l, f -> !f.hidden, f -> new ModelOp.DeleteFile(f.id))),
        new Choice(2, l -> new ModelOp.DeleteRun(pick(List.copyOf(l.runs.keySet())))),
        new Choice(
            3, l -> withFile(l, f -> !f.hidden, f -> new ModelOp.Hide(f.id, random.nextBoolean()))),
        new Choice(8, l -> withFile(l, f -> f.hidden, f -> new ModelOp.Unhide(f.id))),
        new Choice(3, l -> l.denySupported ? withFile(l, f -> !f.denied, this::deny) : null),
        new Choice(4, l -> withFile(l, f -> f.denied, f -> new ModelOp.Allow(f.id))),
        new Choice(3, l -> new ModelOp.Reread(pick(List.copyOf(l.runs.keySet())))),
        // Mostly as before; sometimes with another read window, as after a change of settings.
        new Choice(
            6, l -> new ModelOp.Restart(random.nextInt(4) == 0 ? smallWindow() : readBufferSize)));
  }

  ModelOp next(ModelLogdir logdir) {
    if (logdir.runs.isEmpty() || random.nextInt(100) < 3) {
      return newRun(logdir);
    }
    int roll = random.nextInt(totalWeight);
    ModelOp op = null;
    for (Choice choice : choices) {
      roll -= choice.weight();
      if (roll < 0) {
        op = choice.op().apply(logdir);
        break;
      }
    }
    if (op == null) {
      // Nothing fits the op rolled (no hidden file to bring back ...): write something instead.
      op = withFile(logdir, f -> !f.frozen, f -> append(f, 1));
    }
    return op != null ? op : new ModelOp.Poll();
  }

  private ModelOp deny(ModelFile f) {
    return new ModelOp.Deny(f.id);
  }

  private ModelOp append(ModelFile f, int records) {
    return new ModelOp.Append(f.id, records, salt());
  }

  private int records() {
    return random.nextInt(5);
  }

  private long salt() {
    return random.nextLong();
  }

  private interface FileOp {
    ModelOp of(ModelFile file);
  }

  private ModelOp withFile(ModelLogdir logdir, Predicate<ModelFile> fits, FileOp op) {
    List<ModelFile> candidates = logdir.files.values().stream().filter(fits).toList();
    return candidates.isEmpty() ? null : op.of(pick(candidates));
  }

  private ModelOp newRun(ModelLogdir logdir) {
    int run = nextRun++;
    String dir;
    if (!logdir.deletedDirs.isEmpty() && random.nextInt(3) == 0) {
      dir = pick(logdir.deletedDirs); // a run deleted and created again under its name
    } else {
      dir = random.nextBoolean() ? "r" + run : "g" + random.nextInt(2) + "/r" + run;
    }
    String name = fileName(logdir, dir);
    return new ModelOp.NewRun(run, dir, nextFile++, name, random.nextInt(4), salt());
  }

  private ModelOp newFile(ModelLogdir logdir) {
    ModelLogdir.Run run = pick(List.copyOf(logdir.runs.values()));
    String name = fileName(logdir, run.dir());
    return new ModelOp.NewFile(run.id(), nextFile++, name, random.nextInt(4), salt());
  }

  /** A new name (sorting anywhere among the run's files), or one a deleted file had there. */
  private String fileName(ModelLogdir logdir, String dir) {
    Set<String> freed = logdir.deletedNames.get(dir);
    if (freed != null && !freed.isEmpty() && random.nextInt(3) == 0) {
      List<String> names = new ArrayList<>(freed);
      names.sort(null);
      return pick(names);
    }
    return "events.out.tfevents." + (1000 + random.nextInt(100)) + ".model." + nextFile;
  }

  private <T> T pick(List<T> from) {
    return from.get(random.nextInt(from.size()));
  }
}
