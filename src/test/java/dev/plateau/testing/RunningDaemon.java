package dev.plateau.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plateau.daemon.Daemon;
import dev.plateau.daemon.DeliveryWorker;
import dev.plateau.daemon.Watcher;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Daemon}'s loop on a thread of its own, from {@link #start} until {@link #close()}: a
 * test writes files, awaits what the daemon makes of them (a status, a flag, a delivery), and the
 * loop is stopped, its last round committed, however the test ends. Waits are generous: the CI
 * machine is slow and shared.
 */
public final class RunningDaemon implements AutoCloseable {
  /** How long a test waits for what the daemon does with real files, sockets and threads. */
  public static final Duration PATIENCE = Duration.ofSeconds(60);

  /** The poll interval of {@link #start(List, List)}'s daemon. */
  public static final Duration POLL_INTERVAL = Duration.ofMillis(50);

  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(2);

  private final Daemon daemon;
  private final Thread loop;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();

  private RunningDaemon(Daemon daemon) {
    this.daemon = daemon;
    this.loop = new Thread(this::runLoop, "test-daemon");
    loop.setDaemon(true);
  }

  /** Runs {@code daemon}'s loop until closed. */
  public static RunningDaemon start(Daemon daemon) {
    RunningDaemon running = new RunningDaemon(daemon);
    running.loop.start();
    return running;
  }

  /**
   * A daemon of {@code watchers} and {@code workers} polling every {@link #POLL_INTERVAL}, started.
   */
  public static RunningDaemon start(List<Watcher> watchers, List<DeliveryWorker> workers) {
    return start(new Daemon(watchers, workers, POLL_INTERVAL, SHUTDOWN_GRACE));
  }

  private void runLoop() {
    try {
      daemon.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      failure.set(e);
    }
  }

  public Daemon daemon() {
    return daemon;
  }

  /** Rounds completed so far. */
  public long rounds() {
    return daemon.rounds();
  }

  /** Waits until {@code condition} holds, at most {@link #PATIENCE}; fails naming {@code what}. */
  public void awaitUntil(String what, Callable<Boolean> condition) {
    await(what).atMost(PATIENCE).pollInterval(Duration.ofMillis(20)).until(condition);
  }

  /** Waits until {@code more} rounds have completed after those done so far. */
  public void awaitMoreRounds(long more) {
    long target = daemon.rounds() + more;
    awaitUntil(more + " more rounds", () -> daemon.rounds() >= target);
  }

  /** Stops the loop after its round in flight and waits until it has committed and ended. */
  @Override
  public void close() {
    daemon.requestStop();
    boolean stopped;
    try {
      stopped = daemon.awaitStopped(PATIENCE);
      loop.join(PATIENCE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while the daemon stopped", e);
    }
    assertThat(failure.get()).as("the daemon's loop ended by an exception").isNull();
    assertThat(stopped).as("the daemon stopped within " + PATIENCE).isTrue();
  }
}
