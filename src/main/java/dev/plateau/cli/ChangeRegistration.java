package dev.plateau.cli;

import dev.plateau.daemon.Watcher;
import dev.plateau.tail.ChangeWatcher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers each logdir for file-change events on a thread of its own: walking a logdir takes about
 * 0.15 s for a thousand runs, time spent while the state is opened and restored. Events before the
 * daemon exists are not needed: its first round reads every file anyway.
 */
final class ChangeRegistration {
  /** The watch command's log, whichever of its parts speaks (the log names the logger). */
  private static final Logger log = LoggerFactory.getLogger(WatchCommand.class);

  private final Map<Path, CompletableFuture<ChangeWatcher>> registering = new LinkedHashMap<>();

  /** None: {@code --poll-only}. */
  static ChangeRegistration none() {
    return new ChangeRegistration();
  }

  /**
   * Starts registering every logdir (absolute and normalised); {@code wake} is called on a change.
   */
  static ChangeRegistration start(List<Path> logdirs, Runnable wake) {
    ChangeRegistration registration = new ChangeRegistration();
    for (Path logdir : logdirs) {
      registration.registering.put(
          logdir,
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return new ChangeWatcher(logdir, wake);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              },
              task -> {
                Thread t = new Thread(task, "plateau-register-events");
                t.setDaemon(true);
                t.start();
              }));
    }
    return registration;
  }

  /**
   * Waits for the registrations and gives each watcher its logdir's events; a logdir that could not
   * be registered is polled only, which is logged.
   *
   * @return the change watchers to close when the daemon stops
   */
  List<ChangeWatcher> attach(List<Watcher> watchers, Duration pollInterval) {
    List<ChangeWatcher> attached = new ArrayList<>();
    for (Watcher watcher : watchers) {
      CompletableFuture<ChangeWatcher> pending = registering.get(watcher.logdir());
      if (pending == null) {
        continue; // --poll-only
      }
      try {
        ChangeWatcher changes = pending.join();
        watcher.changes(changes::drain);
        attached.add(changes);
      } catch (CompletionException e) {
        Throwable why =
            e.getCause() instanceof UncheckedIOException io ? io.getCause() : e.getCause();
        log.warn(
            "{}: no file-change events ({}); polling every {} ms",
            watcher.logdir(),
            why.getMessage(),
            pollInterval.toMillis());
      }
    }
    return attached;
  }

  /** Closes what was registered, for a start that does not go on. */
  void cancel() {
    for (CompletableFuture<ChangeWatcher> pending : registering.values()) {
      try {
        pending.join().close();
      } catch (CompletionException | IOException ignored) {
        // nothing was registered, or closing failed: the process is about to exit either way
      }
    }
  }
}
