package dev.plateau.sink;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One command run on a verdict.
 *
 * @param name the hook's name in the outbox, logs and metrics
 * @param command the program and its arguments, exactly as the operator gave them: never split,
 *     never read by a shell, and nothing from a verdict is put into them
 * @param filter which statuses it runs for
 * @param timeout how long a run may take before it is killed with its process group
 * @param env variables added to the command's environment, over the daemon's own; their values are
 *     masked in what the command's output puts into logs (they may be tokens)
 * @param maxOutputBytes how much of the command's output (standard output and error together, the
 *     end of it) is kept for the log when it fails
 */
public record HookSettings(
    String name,
    List<String> command,
    StatusFilter filter,
    Duration timeout,
    Map<String, String> env,
    int maxOutputBytes) {

  /** 4 KiB of a failed command's output go into the log. */
  public static final int DEFAULT_MAX_OUTPUT_BYTES = 4096;

  public HookSettings {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(filter, "filter");
    command = List.copyOf(command);
    env = Map.copyOf(env);
    if (name.isBlank()) {
      throw new SinkConfigException("a hook needs a name");
    }
    if (command.isEmpty() || command.get(0).isBlank()) {
      throw new SinkConfigException(name + ": the command names no program");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new SinkConfigException(name + ": the timeout must be positive, got " + timeout);
    }
    if (maxOutputBytes < 0) {
      throw new SinkConfigException(name + ": max output bytes must not be negative");
    }
  }

  /** {@code name (program)}: how logs name the hook; the program's arguments are not shown. */
  public String label() {
    return name + " (" + command.get(0) + ")";
  }
}
