package dev.plateau.sink;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a command once, as a process of its own session and process group, and ends it with that
 * group when it runs too long. Started through {@code setsid} (util-linux) when one is on the
 * {@code PATH}: the JVM's child is never a group leader, so {@code setsid} makes it the leader of a
 * new session without forking, and its process id is its group's. At the timeout the whole group
 * gets SIGKILL ({@code /bin/sh}'s built-in {@code kill -s KILL -- -PGID}: Java cannot signal a
 * group, and a {@code kill} program is not in every image), and so does every descendant the
 * process tree still shows, so a grandchild that went to the background dies with its parent. A
 * descendant that makes a session of its own ({@code setsid}, a double-forked daemon that does)
 * leaves both and is not killed. Without {@code setsid}, only the descendants are killed (said once
 * at start-up).
 *
 * <p>The input is written on its own thread and the output (standard output and error merged) read
 * on another into an {@link OutputTail}, so a command that does not read its input or writes a lot
 * never blocks the daemon. Times are real: a process's timeout cannot be moved by a test's clock.
 */
final class HookProcess {
  private static final Logger LOG = LoggerFactory.getLogger(HookProcess.class);

  /**
   * How long to wait for the output's end once the command exited (a background child keeps it).
   */
  private static final long OUTPUT_GRACE_MILLIS = 1_000;

  /** How long a killed process is given to be reaped. */
  private static final long KILL_WAIT_SECONDS = 5;

  private static final @Nullable String SETSID = onPath("setsid");

  /** The shell whose built-in {@code kill} signals a group: every POSIX system has one. */
  private static final @Nullable String SHELL =
      Files.isExecutable(Path.of("/bin/sh")) ? "/bin/sh" : null;

  static {
    if (SETSID == null || SHELL == null) {
      LOG.warn(
          "no setsid on the PATH (or no /bin/sh): a hook that times out is killed with the descendants"
              + " its process tree shows, not with its whole process group");
    }
  }

  private HookProcess() {}

  /**
   * Whether a command that times out is killed with its whole process group (setsid and /bin/sh
   * found). The first call says at start-up, once, when it is not.
   */
  static boolean killsGroups() {
    return SETSID != null && SHELL != null;
  }

  /**
   * Runs {@code command} with exactly {@code environment}, {@code input} on its standard input, for
   * at most {@code timeout}.
   *
   * @throws InterruptedException when the calling thread is interrupted (the daemon stops): the
   *     command is killed with its group first
   */
  static HookRun run(
      List<String> command,
      Map<String, String> environment,
      byte[] input,
      Duration timeout,
      int maxOutputBytes)
      throws InterruptedException {
    List<String> argv = new ArrayList<>();
    boolean ownGroup = killsGroups();
    if (ownGroup) {
      argv.add(SETSID);
    }
    argv.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
    builder.environment().clear();
    Process process;
    try {
      builder.environment().putAll(environment);
      process = builder.start();
    } catch (IOException e) {
      return new HookRun.NotStarted(String.valueOf(e.getMessage()));
    } catch (IllegalArgumentException e) {
      // A NUL in a value: no process can be given it.
      return new HookRun.NotStarted("an argument or variable cannot be passed: " + e.getMessage());
    }
    OutputTail output = new OutputTail(maxOutputBytes);
    Thread reader = daemonThread(() -> output.drain(process.getInputStream()), "hook-output");
    Thread writer = daemonThread(() -> feed(process, input), "hook-input");
    reader.start();
    writer.start();
    try {
      if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        kill(process, ownGroup);
        reader.join(OUTPUT_GRACE_MILLIS);
        return new HookRun.TimedOut(output.text());
      }
    } catch (InterruptedException e) {
      kill(process, ownGroup);
      throw e;
    }
    reader.join(OUTPUT_GRACE_MILLIS);
    return new HookRun.Exited(process.exitValue(), output.text());
  }

  /** SIGKILL to the process group (when it has its own) and to every descendant still known. */
  static void kill(Process process, boolean ownGroup) {
    // The descendants first: once the parent is dead, its orphans are no longer its descendants.
    List<ProcessHandle> descendants = process.descendants().toList();
    if (ownGroup) {
      try {
        Process kill =
            // The group id is a number of ours, passed as an argument, not put into the script.
            new ProcessBuilder(
                    SHELL,
                    "-c",
                    "kill -s KILL -- \"-$1\"",
                    "plateau-kill",
                    Long.toString(process.pid()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!kill.waitFor(KILL_WAIT_SECONDS, TimeUnit.SECONDS)) {
          kill.destroyForcibly();
        }
      } catch (IOException e) {
        LOG.warn("cannot run kill for process group {}: {}", process.pid(), e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    descendants.forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(KILL_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void feed(Process process, byte[] input) {
    try (OutputStream in = process.getOutputStream()) {
      in.write(input);
    } catch (IOException ignored) {
      // The command exited or closed its input without reading it all: its choice.
    }
  }

  private static Thread daemonThread(Runnable body, String name) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    return t;
  }

  /** The first executable called {@code name} in the JVM's PATH, or null. */
  private static @Nullable String onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }
}
