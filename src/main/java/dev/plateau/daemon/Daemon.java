package dev.plateau.daemon;

import dev.plateau.state.Pruned;
import dev.plateau.state.Retention;
import dev.plateau.state.StatePruner;
import dev.plateau.state.StateStore;
import dev.plateau.verdict.JudgeThreads;
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
 * commits a round, then the workers are woken for new outbox entries. A failing round of one logdir
 * is logged and tried again; it never stops the others. Between rounds, each state database is
 * pruned on its {@link StatePruner}'s schedule (old finished deliveries and verdicts, {@link
 * Retention}), so the state stays bounded however long the daemon runs. The loop reads the time
 * from a {@link LoopTime} (the system's unless given), so tests move it.
 */
public final class Daemon {
  private static final Logger log = LoggerFactory.getLogger(Daemon.class);

  private final List<Watcher> watchers;
  private final List<DeliveryWorker> workers;
  private final List<StatePruner> pruners;
  private final Duration pollInterval;
  private final Duration shutdownGrace;
  private final LoopTime time;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile long rounds;
  private final Object signal = new Object();
  private final DaemonMetrics metrics = new DaemonMetrics();
  private volatile Runnable afterRound = () -> {};
  private boolean woken;
  private JudgeThreads judgeThreads = JudgeThreads.SERIAL;

  /**
   * A daemon that prunes the state databases its watchers commit to with {@link Retention#DEFAULT},
   * on the watchers' clock. Every watcher's database, not only those with delivery workers: without
   * sinks (flag files only) verdicts are still recorded, and their history must not grow for ever
   * either.
   */
  public Daemon(
      List<Watcher> watchers,
      List<DeliveryWorker> workers,
      Duration pollInterval,
      Duration shutdownGrace) {
    this(watchers, workers, pollInterval, shutdownGrace, LoopTime.SYSTEM);
  }

  /** As {@link #Daemon(List, List, Duration, Duration)}, with the loop on {@code time}. */
  public Daemon(
      List<Watcher> watchers,
      List<DeliveryWorker> workers,
      Duration pollInterval,
      Duration shutdownGrace,
      LoopTime time) {
    this(watchers, workers, defaultPruners(watchers), pollInterval, shutdownGrace, time);
  }

  /** A daemon that prunes with {@code pruners} (one per state database). */
  public Daemon(
      List<Watcher> watchers,
      List<DeliveryWorker> workers,
      List<StatePruner> pruners,
      Duration pollInterval,
      Duration shutdownGrace) {
    this(watchers, workers, pruners, pollInterval, shutdownGrace, LoopTime.SYSTEM);
  }

  /** A daemon that prunes with {@code pruners}, its loop on {@code time}. */
  public Daemon(
      List<Watcher> watchers,
      List<DeliveryWorker> workers,
      List<StatePruner> pruners,
      Duration pollInterval,
      Duration shutdownGrace,
      LoopTime time) {
    this.watchers = List.copyOf(watchers);
    this.workers = List.copyOf(workers);
    this.pruners = List.copyOf(pruners);
    for (Watcher watcher : this.watchers) {
      watcher.metrics(metrics);
      watcher.stopReadingWhen(() -> stop.getCount() == 0);
    }
    for (DeliveryWorker worker : this.workers) {
      worker.metrics(metrics);
      metrics.expectSink(worker.sink().name());
    }
    this.pollInterval = pollInterval;
    this.shutdownGrace = shutdownGrace;
    this.time = time;
  }

  private final RoundFailures failures = new RoundFailures();

  private static List<StatePruner> defaultPruners(List<Watcher> watchers) {
    Map<StateStore, StatePruner> byStore = new IdentityHashMap<>();
    for (Watcher watcher : watchers) {
      byStore.computeIfAbsent(
          watcher.store(), store -> new StatePruner(store, Retention.DEFAULT, watcher.clock()));
    }
    return List.copyOf(byStore.values());
  }

  /** Counts the CPU time of these judge threads' helpers in each round's cost. */
  public void countCpuOf(JudgeThreads threads) {
    this.judgeThreads = threads;
  }

  /** CPU time of this thread and the judge helpers so far, or -1 where it cannot be measured. */
  private long roundCpuNanos() {
    long own = JudgeThreads.threadCpuNanos();
    return own < 0 ? -1 : own + judgeThreads.helperCpuNanos();
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

  /**
   * Asks the loop to stop after the round in flight, whose reading ends after the file in hand (a
   * backfill is not finished first: what was read is judged and committed, and the next start reads
   * on from there).
   */
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
   * Rounds started by file-change events use at most 1/{@value #EVENT_ROUND_SHARE} of one core on
   * average ({@link RoundBudget}): a logdir written to without pause would otherwise wake the
   * daemon constantly and keep a core busy. Up to {@link #EVENT_ROUND_BURST} of CPU time saved up
   * while quiet is spent at once, so a point written now and then is read without waiting. The CPU
   * time of the round's own work (this thread's and the judge threads'), not the round's duration:
   * a round that waits for the disk (the state database's fsync) costs no CPU. Nor the whole
   * process's: after a start, the JIT compiler alone uses more than 5 % of a core for a minute or
   * two, and counting it made every point wait.
   */
  static final int EVENT_ROUND_SHARE = 20;

  static final Duration EVENT_ROUND_BURST = Duration.ofMillis(100);

  private static final Duration MIN_EVENT_GAP = Duration.ofMillis(5);

  /**
   * Waits for a wake-up (no earlier than {@code earliest}) or the poll interval; returns true when
   * asked to stop.
   */
  private boolean awaitNextRound(long earliest) throws InterruptedException {
    long deadline = time.now() + pollInterval.toNanos();
    long recheck = time.recheck().toNanos();
    synchronized (signal) {
      while (stop.getCount() > 0) {
        long now = time.now();
        long until = woken ? Math.min(earliest, deadline) : deadline;
        if (now >= until) {
          break;
        }
        TimeUnit.NANOSECONDS.timedWait(signal, Math.min(until - now, recheck));
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
              pruner.store().file(),
              pruned.deliveries(),
              pruned.verdicts());
        }
      } catch (Exception e) {
        log.warn("{}; old history stays until the next prune", e.getMessage());
      }
    }
  }

  /**
   * Runs {@code hook} on the loop's thread after every round (what has been read is judged,
   * committed and published): for a caller that ends the daemon on what the rounds found.
   */
  public void afterEachRound(Runnable hook) {
    this.afterRound = hook;
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
    long started = time.now();
    long earliest;
    RoundBudget budget = new RoundBudget(EVENT_ROUND_SHARE, EVENT_ROUND_BURST, MIN_EVENT_GAP);
    long lastWholeRound = started;
    try {
      do {
        long roundStart = time.now();
        long cpuStart = roundCpuNanos();
        boolean readAgain = false;
        // Every poll interval the whole logdir is walked; rounds woken by events in between read
        // only the files that grew.
        boolean whole = roundStart - lastWholeRound >= pollInterval.toNanos() || rounds == 0;
        if (whole) {
          lastWholeRound = roundStart;
        }
        for (Watcher watcher : watchers) {
          if (!watcher.logdirPresent()) {
            // Deleted or unmounted: wait for it (its state and verdicts stay), said once.
            failures.failed(
                watcher.logdir(),
                "the logdir is gone (deleted, moved or unmounted); waiting for it to come back",
                true);
            continue;
          }
          try {
            Watcher.Round round = whole ? watcher.poll() : watcher.pollChanged();
            readAgain |= round.readAgain();
            if (round.transitions() > 0) {
              workers.forEach(DeliveryWorker::wake);
            }
            if (!round.committed()) {
              metrics.roundFailed();
            }
            failures.succeeded(watcher.logdir());
          } catch (Exception e) {
            metrics.roundFailed();
            failures.failed(watcher.logdir(), e.toString(), false);
          }
        }
        prune();
        rounds++;
        long cpuEnd = roundCpuNanos();
        long roundEnd = time.now();
        long spent =
            cpuStart >= 0 && cpuEnd >= cpuStart ? cpuEnd - cpuStart : roundEnd - roundStart;
        metrics.roundDone(roundEnd - roundStart, spent, time.wall().millis());
        if (rounds == 1) {
          log.info("first round done in {} ms", (roundEnd - started) / 1_000_000);
        }
        if (log.isDebugEnabled()) {
          log.debug(
              "round {} ({}): {} us, {} us CPU",
              rounds,
              whole ? "whole" : "changed files",
              (roundEnd - roundStart) / 1_000,
              spent / 1_000);
        }
        earliest = budget.afterRound(roundStart, roundEnd, spent);
        afterRound.run();
        if (readAgain) {
          // Runs to read again from their start: their verdicts are not current until then.
          earliest = time.now();
          wake();
        }
      } while (!awaitNextRound(earliest));
    } finally {
      // Rounds between checkpoints are committed now, on the thread that owns the judges.
      for (Watcher watcher : watchers) {
        try {
          watcher.checkpoint();
        } catch (RuntimeException e) {
          log.error(
              "{}: last commit failed ({}); state up to the previous one is kept",
              watcher.logdir(),
              e.toString());
        }
      }
      // Stop reading; the last round is committed. Deliveries in flight finish or stay pending.
      // The grace is real time, whatever the loop's clock: it is the workers' threads that finish.
      workers.forEach(DeliveryWorker::stop);
      long deadline = System.nanoTime() + shutdownGrace.toNanos();
      for (Thread t : threads) {
        t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      }
      stopped.countDown();
    }
  }
}
