package dev.plateau.testing;

import dev.plateau.config.PlateauConfig;
import dev.plateau.daemon.Daemon;
import dev.plateau.daemon.DeliveryWorker;
import dev.plateau.daemon.FlagApplier;
import dev.plateau.daemon.Watcher;
import dev.plateau.server.StatusServer;
import dev.plateau.sink.AlertSink;
import dev.plateau.sink.Secret;
import dev.plateau.sink.SinkSettings;
import dev.plateau.sink.WebhookSink;
import dev.plateau.state.StateStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The pieces of a real daemon with a real status server on loopback, as the server's tests and
 * benchmark build them: a watcher of one logdir with the default configuration, a daemon of that
 * watcher (not started: {@link RunningDaemon#start(Daemon)} runs it), and a status server on an
 * ephemeral loopback port over the daemon and its state store. What a test does between them
 * (restore, poll, park) is its own.
 */
public final class LoopbackStatus {
  /** The daemon's poll interval. */
  public static final Duration POLL_INTERVAL = Duration.ofMillis(50);

  /** How long the daemon's stop waits for the round in flight. */
  public static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(1);

  private LoopbackStatus() {}

  /** A watcher of {@code logdir} with the default configuration, on host {@code h}. */
  public static Watcher watcher(Path logdir, StateStore store, List<AlertSink> sinks, Clock clock) {
    return new Watcher(
        logdir, PlateauConfig.defaults(), store, sinks, FlagApplier.NONE, clock, "h");
  }

  /**
   * A webhook sink named {@code webhook-1} that posts to a loopback port where nothing listens (9):
   * its deliveries are tried and fail, so its counters move and its outbox fills.
   */
  public static AlertSink unansweredWebhook(Clock clock) {
    return new WebhookSink(
        SinkSettings.of("webhook-1", Secret.fromValue("http://127.0.0.1:9/hook")), null, clock);
  }

  /** A daemon of {@code watcher} and {@code workers}, not started. */
  public static Daemon daemon(Watcher watcher, List<DeliveryWorker> workers) {
    return new Daemon(List.of(watcher), workers, POLL_INTERVAL, SHUTDOWN_GRACE);
  }

  /**
   * A status server on {@code 127.0.0.1} and an ephemeral port over {@code daemon} and {@code
   * store}; unhealthy when no round completes within {@code staleAfter}.
   */
  public static StatusServer server(
      Daemon daemon, StateStore store, Duration staleAfter, Clock clock) throws IOException {
    return new StatusServer(
        new InetSocketAddress("127.0.0.1", 0), daemon, List.of(store), staleAfter, clock);
  }
}
