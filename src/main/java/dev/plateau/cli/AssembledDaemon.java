package dev.plateau.cli;

import dev.plateau.daemon.Daemon;
import dev.plateau.server.StatusServer;
import dev.plateau.state.StateStore;
import dev.plateau.tail.ChangeWatcher;
import dev.plateau.verdict.JudgeThreads;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The daemon {@link DaemonAssembly} built, with what it holds open: run it, then close it.
 *
 * @param daemon the loop
 * @param server the status server, or null for none (off, or its address could not be bound)
 * @param stores a state store per logdir
 * @param changes the file-change watchers in use
 * @param judgeThreads the threads experiments are judged on
 */
record AssembledDaemon(
    Daemon daemon,
    StatusServer server,
    List<StateStore> stores,
    List<ChangeWatcher> changes,
    JudgeThreads judgeThreads)
    implements AutoCloseable {

  /** Runs the daemon's loop until it is asked to stop. */
  void run() throws InterruptedException {
    daemon.run();
  }

  /**
   * Stops watching for changes and serving, and closes the state stores and the judge threads: each
   * is closed even when one before it fails, and the first failure is thrown after.
   */
  @Override
  public void close() throws IOException {
    List<Closeable> parts = new ArrayList<>(changes);
    if (server != null) {
      parts.add(server::close);
    }
    for (StateStore store : stores) {
      parts.add(store::close);
    }
    parts.add(judgeThreads::close);
    IOException first = null;
    for (Closeable part : parts) {
      try {
        part.close();
      } catch (IOException | RuntimeException e) {
        if (first == null) {
          first = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
