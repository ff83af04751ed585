package dev.plateau.cli;

import java.util.Locale;

/**
 * What Plateau says when the Java heap runs out: the limit in force and what to set, instead of a
 * stack trace. One-shot commands hold one experiment's points at a time, the daemon a bounded state
 * per series, so the limit to raise is the heap's.
 */
final class OutOfMemory {
  /** The exit code after running out of memory: an error, as for the one-shot commands. */
  static final int EXIT = 2;

  private OutOfMemory() {}

  /** The sentence for standard error, naming the heap limit of this JVM. */
  static String message() {
    long maxMb = Runtime.getRuntime().maxMemory() / (1024 * 1024);
    return String.format(
        Locale.ROOT,
        "plateau: out of memory: the Java heap is limited to %d MB (-Xmx, or"
            + " -XX:MaxRAMPercentage of the machine's or container's memory). Give it more:"
            + " JAVA_TOOL_OPTIONS=-Xmx%dm (or raise the container's memory limit). check and"
            + " replay hold one experiment's points at a time, so the largest experiment sets what"
            + " they need.",
        maxMb,
        Math.max(256, maxMb * 2));
  }

  /**
   * Makes an {@link OutOfMemoryError} on any thread end the process with {@link #message()} (a
   * daemon that lost a thread to it would go on limping).
   */
  static void exitOnAnyThread() {
    Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, e) -> {
          if (e instanceof OutOfMemoryError) {
            System.err.println(message());
            Runtime.getRuntime().halt(EXIT);
          } else if (before != null) {
            before.uncaughtException(thread, e);
          } else {
            System.err.print("Exception in thread \"" + thread.getName() + "\" ");
            e.printStackTrace();
          }
        });
  }
}
