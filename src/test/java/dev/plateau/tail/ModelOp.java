package dev.plateau.tail;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One step of a tailer model sequence. Every op carries all of its random choices (a salt for the
 * records it writes), so a list of ops replays the same way on its own, and any sub-list is still a
 * sequence: an op whose file or run no longer exists does nothing.
 *
 * <p>The text form, {@code append(3,2,-77); poll()}, is what a failure prints and what {@code
 * -Dplateau.model.replay} reads back.
 */
sealed interface ModelOp {

  /** A new run directory ({@code dir}, relative to the logdir) with one new event file. */
  record NewRun(int run, String dir, int file, String name, int records, long salt)
      implements ModelOp {}

  /** A new event file in an existing run; {@code name} may be that of a deleted file. */
  record NewFile(int run, int file, String name, int records, long salt) implements ModelOp {}

  /** Whole records appended (an unfinished record is finished first). */
  record Append(int file, int records, long salt) implements ModelOp {}

  /** Part of a record appended: starts one cut at a random byte, or writes more of it. */
  record AppendPartial(int file, long salt) implements ModelOp {}

  /** Cut after the first {@code keep} complete records (same inode); the writer goes on. */
  record Truncate(int file, int keep) implements ModelOp {}

  /** The file rewritten in place (same inode) by a new writer: a new first record. */
  record Rewrite(int file, int records, long salt) implements ModelOp {}

  /** A new file moved over the old one under the same name (a new inode). */
  record Replace(int file, int records, long salt) implements ModelOp {}

  record DeleteFile(int file) implements ModelOp {}

  /** The run's directory and everything in it deleted. */
  record DeleteRun(int run) implements ModelOp {}

  /**
   * The file moved out of the logdir and its name taken by something that cannot be read as an
   * event file: a directory, or a symbolic link to nothing. The writer keeps appending to the file
   * where it is.
   */
  record Hide(int file, boolean asDirectory) implements ModelOp {}

  /** A hidden file moved back under its name (the same inode). */
  record Unhide(int file) implements ModelOp {}

  /** Read permission taken away (write-only for its owner); only when not running as root. */
  record Deny(int file) implements ModelOp {}

  record Allow(int file) implements ModelOp {}

  /** {@link LogdirTailer#rereadRun}, with the run's saved cursors dropped as the daemon does. */
  record Reread(int run) implements ModelOp {}

  record Poll() implements ModelOp {}

  /**
   * A new tailer, restored from the cursors saved after every poll, as the daemon restarts; it
   * reads through a window of {@code readBufferSize} bytes. A sequence starts with one.
   */
  record Restart(int readBufferSize) implements ModelOp {}

  /** The text form of a sequence. */
  static String format(List<ModelOp> ops) {
    StringBuilder out = new StringBuilder();
    for (ModelOp op : ops) {
      if (out.length() > 0) {
        out.append("; ");
      }
      out.append(format(op));
    }
    return out.toString();
  }

  /** The text form of one op: its type's name in lower case and its components. */
  static String format(ModelOp op) {
    StringBuilder out = new StringBuilder(op.getClass().getSimpleName().toLowerCase(Locale.ROOT));
    out.append('(');
    RecordComponent[] components = op.getClass().getRecordComponents();
    for (int i = 0; i < components.length; i++) {
      if (i > 0) {
        out.append(',');
      }
      try {
        out.append(components[i].getAccessor().invoke(op));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    return out.append(')').toString();
  }

  /** Reads back what {@link #format(List)} wrote. */
  static List<ModelOp> parse(String text) {
    Pattern one = Pattern.compile("\\s*([a-z]+)\\(([^)]*)\\)\\s*");
    List<ModelOp> ops = new ArrayList<>();
    for (String part : text.split(";")) {
      if (part.isBlank()) {
        continue;
      }
      Matcher m = one.matcher(part);
      if (!m.matches()) {
        throw new IllegalArgumentException("not an op: '" + part.trim() + "'");
      }
      ops.add(parseOne(m.group(1), m.group(2).isBlank() ? new String[0] : m.group(2).split(",")));
    }
    return ops;
  }

  private static ModelOp parseOne(String name, String[] args) {
    for (Class<?> type : ModelOp.class.getPermittedSubclasses()) {
      if (!type.getSimpleName().toLowerCase(Locale.ROOT).equals(name)) {
        continue;
      }
      RecordComponent[] components = type.getRecordComponents();
      if (components.length != args.length) {
        throw new IllegalArgumentException(name + " takes " + components.length + " arguments");
      }
      Class<?>[] types = new Class<?>[components.length];
      Object[] values = new Object[components.length];
      for (int i = 0; i < components.length; i++) {
        types[i] = components[i].getType();
        String arg = args[i].trim();
        values[i] =
            types[i] == int.class
                ? (Object) Integer.parseInt(arg)
                : types[i] == long.class
                    ? (Object) Long.parseLong(arg)
                    : types[i] == boolean.class ? (Object) Boolean.parseBoolean(arg) : arg;
      }
      try {
        Constructor<?> constructor = type.getDeclaredConstructor(types);
        return (ModelOp) constructor.newInstance(values);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalArgumentException("no op named '" + name + "'");
  }
}
