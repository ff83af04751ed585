package dev.plateau.server;

import dev.plateau.daemon.Daemon;
import dev.plateau.daemon.Watcher;
import dev.plateau.state.StateStore;
import dev.plateau.testing.LoopbackStatus;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * A real status server over a real (not running) daemon watching {@code logdir}: what the logdir
 * holds at start is read once, so the page and the API have runs to show.
 */
final class RunningServer implements AutoCloseable {
  final StateStore store;
  final Watcher watcher;
  final Daemon daemon;
  final StatusServer server;

  RunningServer(Path temp, Path logdir, String bind, BearerToken token) throws Exception {
    this(temp, logdir, bind, token, HttpLimits.DEFAULTS, System::nanoTime);
  }

  /** With other limits, and deadlines and log intervals on the time {@code nanos} tells. */
  RunningServer(
      Path temp, Path logdir, String bind, BearerToken token, HttpLimits limits, LongSupplier nanos)
      throws Exception {
    Clock clock = Clock.systemUTC();
    Files.createDirectories(logdir);
    store = StateStore.open(temp.resolve("state-" + System.nanoTime() + ".db"), false, clock);
    watcher = LoopbackStatus.watcher(logdir, store, List.of(), clock);
    watcher.poll();
    daemon = LoopbackStatus.daemon(watcher, List.of());
    server =
        new StatusServer(
            new InetSocketAddress(bind, 0),
            daemon,
            List.of(store),
            Duration.ofMinutes(5),
            clock,
            token,
            limits,
            nanos);
  }

  int port() {
    return server.address().getPort();
  }

  @Override
  public void close() {
    server.close();
    store.close();
  }
}
