package dev.plateau.daemon;

import dev.plateau.state.Pruned;
import dev.plateau.state.Retention;
import dev.plateau.state.StatePruner;
import dev.plateau.state.StateStore;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs watchers and delivery workers until stopped: every poll interval, each watcher reads and
 * commits a round, then the workers are woken for new outbox entries. A failing round of one
 * logdir is logged and tried again; it never stops the others. Between rounds, each state
 * database is pruned on its {@link StatePruner}'s schedule (old finished deliveries and verdicts,
 * {@link Retention}), so the state stays bounded however long the daemon runs.
 */
public final class Daemon {
  private static final Logger log = LoggerFactory.getLogger(Daemon.class);

  private final List<Watcher> watchers;
  private final List<DeliveryWorker> workers;
  private final List<StatePruner> pruners;
  private final Duration pollInterval;
  private final Duration shutdownGrace;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile long rounds;
  private final Object signal = new Object();
  private final DaemonMetrics metrics = new DaemonMetrics();
  private boolean woken;

  /**
   * A daemon that prunes the state databases its watchers commit to with {@link
   * Retention#DEFAULT}, on the watchers' clock. Every watcher's database, not only those with
   * delivery workers: without sinks (flag files only) verdicts are still recorded, and their
   * history must not grow for ever either.
   */
  public Daemon(
      List<Watcher> watchers, List<DeliveryWorker> workers, Duration pollInterval, Duration shutdownGrace) {
    this(watchers, workers, defaultPruners(watchers), pollInterval, shutdownGrace);
  }

  /** A daemon that prunes with {@code pruners} (one per state database). */
  public Daemon(
      List<Watcher> watchers,
      List<DeliveryWorker> workers,
      List<StatePruner> pruners,
      Duration pollInterval,
      Duration shutdownGrace) {
    this.watchers = List.copyOf(watchers);
    this.workers = List.copyOf(workers);
    this.pruners = List.copyOf(pruners);
    for (Watcher watcher : this.watchers) {
      watcher.metrics(metrics);
    }
    for (DeliveryWorker worker : this.workers) {
      worker.metrics(metrics);
    }
    this.pollInterval = pollInterval;
    this.shutdownGrace = shutdownGrace;
  }

  private static List<StatePruner> defaultPruners(List<Watcher> watchers) {
    Map<StateStore, StatePruner> byStore = new IdentityHashMap<>();
    for (Watcher watcher : watchers) {
      byStore.computeIfAbsent(
          watcher.store(), store -> new StatePruner(store, Retention.DEFAULT, watcher.clock()));
    }
    return List.copyOf(byStore.values());
  }

  public DaemonMetrics metrics() {
    return metrics;
  }

  public List<Watcher> watchers() {
    return watchers;
  }

  /** Rounds completed so far (all logdirs polled once per round). */
  public long rounds() {
    return rounds;
  }

  /** Asks the loop to stop after the round in flight. */
  public void requestStop() {
    stop.countDown();
    wake();
  }

  /** Something changed on disk: start the next round now rather than at the next interval. */
  public void wake() {
    synchronized (signal) {
      woken = true;
      signal.notifyAll();
    }
  }

  /**
   * Rounds started by file-change events are spaced so that their CPU time is at most 1/{@value
   * #EVENT_ROUND_SPACING} of the time: a logdir written to without pause wakes the daemon
   * constantly, and back-to-back rounds would keep a core busy. A round that used 2 ms of CPU
   * waits 40 ms at most; a round over 1,000 busy runs that used 25 ms waits 0.5 s, which bounds
   * both the CPU and the latency under load. CPU time, not the round's duration: a round that
   * waits for the disk (the state database's fsync, often tens of milliseconds) costs no CPU, and
   * spacing by its duration made a single point wait hundreds of milliseconds for its flag.
   */
  static final int EVENT_ROUND_SPACING = 20;

  private static final java.lang.management.OperatingSystemMXBean OS =
      ManagementFactory.getOperatingSystemMXBean();

  /** The process's CPU time so far in nanoseconds, or -1 where the JVM cannot tell. */
  private static long processCpuNanos() {
    return OS instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
  }

  private static final long MIN_EVENT_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  /**
   * Waits for a wake-up (no earlier than {@code earliest}) or the poll interval; returns true when
   * asked to stop.
   */
  private boolean awaitNextRound(long earliest) throws InterruptedException {
    long deadline = System.nanoTime() + pollInterval.toNanos();
    synchronized (signal) {
      while (stop.getCount() > 0) {
        long now = System.nanoTime();
        long until = woken ? Math.min(earliest, deadline) : deadline;
        if (now >= until) {
          break;
        }
        TimeUnit.NANOSECONDS.timedWait(signal, until - now);
      }
      woken = false;
    }
    return stop.getCount() == 0;
  }

  /** Waits until the loop has stopped and state is committed, at most {@code timeout}. */
  public boolean awaitStopped(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void prune() {
    for (StatePruner pruner : pruners) {
      try {
        Pruned pruned = pruner.pruneIfDue();
        if (pruned.deliveries() + pruned.verdicts() > 0) {
          log.debug(
              "{}: pruned {} finished deliveries and {} verdicts",
              pruner.store().file(), pruned.deliveries(), pruned.verdicts());
        }
      } catch (Exception e) {
        log.warn("{}; old history stays until the next prune", e.getMessage());
      }
    }
  }

  /** Runs on the calling thread until {@link #requestStop()}. */
  public void run() throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    for (DeliveryWorker worker : workers) {
      Thread t = new Thread(worker, "deliver-" + worker.sink().name());
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
    long started = System.nanoTime();
    long earliest;
    try {
      do {
        long roundStart = System.nanoTime();
        long cpuStart = processCpuNanos();
        boolean readAgain = false;
        for (Watcher watcher : watchers) {
          try {
            Watcher.Round round = watcher.poll();
            readAgain |= round.readAgain();
            if (round.transitions() > 0) {
              workers.forEach(DeliveryWorker::wake);
            }
            if (!round.committed()) {
              metrics.failedRounds.incrementAndGet();
            }
          } catch (Exception e) {
            metrics.failedRounds.incrementAndGet();
            log.error("{}: this round failed ({}); trying again next round", watcher.logdir(), e.toString());
          }
        }
        prune();
        rounds++;
        metrics.rounds.incrementAndGet();
        metrics.lastRoundMillis.set((System.nanoTime() - roundStart) / 1_000_000);
        metrics.heartbeatMillis.set(System.currentTimeMillis());
        if (rounds == 1) {
          log.info("first round done in {} ms", (System.nanoTime() - started) / 1_000_000);
        }
        long cpuEnd = processCpuNanos();
        long spent = cpuStart >= 0 && cpuEnd >= cpuStart ? cpuEnd - cpuStart : System.nanoTime() - roundStart;
        earliest = roundStart + Math.max(MIN_EVENT_GAP_NANOS, spent * EVENT_ROUND_SPACING);
        if (readAgain) {
          // Runs to read again from their start: their verdicts are not current until then.
          earliest = System.nanoTime();
          wake();
        }
      } while (!awaitNextRound(earliest));
    } finally {
      // Rounds between checkpoints are committed now, on the thread that owns the judges.
      for (Watcher watcher : watchers) {
        try {
          watcher.checkpoint();
        } catch (RuntimeException e) {
          log.error("{}: last commit failed ({}); state up to the previous one is kept", watcher.logdir(), e.toString());
        }
      }
      // Stop reading; the last round is committed. Deliveries in flight finish or stay pending.
      workers.forEach(DeliveryWorker::stop);
      long deadline = System.nanoTime() + shutdownGrace.toNanos();
      for (Thread t : threads) {
        t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      }
      stopped.countDown();
    }
  }
}
