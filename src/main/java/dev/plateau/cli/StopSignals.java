package dev.plateau.cli;

import org.slf4j.LoggerFactory;

/**
 * Turns SIGTERM and SIGINT into a request to stop, so that {@code plateau watch} finishes its
 * round, commits its state and exits with 0 (a JVM left to its default exits with 143 or 130).
 * Uses the JDK's {@code sun.misc.Signal} (module jdk.unsupported), the only way to handle a
 * signal in Java; where it is missing, the JVM's shutdown hook still commits state.
 */
final class StopSignals {
  private StopSignals() {}

  static void install(Runnable stop) {
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        sun.misc.Signal.handle(
            new sun.misc.Signal(name),
            signal -> {
              LoggerFactory.getLogger(StopSignals.class)
                  .info("SIG{}: finishing the round in flight, committing state", name);
              stop.run();
            });
      } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
        LoggerFactory.getLogger(StopSignals.class)
            .debug("cannot handle SIG{} ({}); relying on the shutdown hook", name, e.toString());
      }
    }
  }
}
