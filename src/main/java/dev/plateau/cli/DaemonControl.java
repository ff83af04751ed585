package dev.plateau.cli;

import dev.plateau.daemon.Daemon;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Stop and wake requests for a daemon that may not exist yet: signals and file-change events come
 * while {@code watch} is still starting. A stop asked for before the daemon is built is passed on
 * when it is, so the command still returns 0 after committing; a wake before it is not needed (the
 * first round reads every file).
 */
final class DaemonControl {
  private final AtomicBoolean stopRequested = new AtomicBoolean();
  private final AtomicReference<Daemon> daemon = new AtomicReference<>();

  /** The daemon the requests now go to. */
  void attach(Daemon running) {
    daemon.set(running);
    if (stopRequested.get()) {
      running.requestStop();
    }
  }

  void requestStop() {
    stopRequested.set(true);
    Daemon d = daemon.get();
    if (d != null) {
      d.requestStop();
    }
  }

  void wake() {
    Daemon d = daemon.get();
    if (d != null) {
      d.wake();
    }
  }
}
