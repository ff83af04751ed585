package dev.plateau.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plateau.sink.Alert;
import dev.plateau.sink.AlertSink;
import dev.plateau.sink.DeliveryOutcome;
import dev.plateau.sink.RetryPolicy;
import dev.plateau.state.OutboxEntry;
import dev.plateau.state.StateException;
import dev.plateau.state.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one sink's outbox, oldest first, on its own thread: a slow or dead receiver delays only
 * its own queue. An entry is marked delivered only after the receiver accepted it, so a crash in
 * between sends it again after the restart, with the same {@code webhook-id}. Passing failures are
 * retried with the policy's backoff (never sooner than a Retry-After asks), without holding back
 * later entries; permanent ones and entries the policy gives up on are logged and kept as history.
 *
 * <p>A sink whose {@link AlertSink#parallelism()} is above 1 (a command) has up to that many
 * entries in delivery at once, each on a thread of its own, so one that hangs until its timeout
 * does not hold back the others; the worker's thread hands entries out and skips those in delivery.
 * When the worker stops, deliveries in flight are given {@link #STOP_WAIT_MILLIS}, then interrupted
 * (a command is killed); they stay pending and are delivered again after a restart.
 */
public final class DeliveryWorker implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Longest sleep between looks at the outbox, in case a wake-up is missed. */
  private static final long MAX_IDLE_MILLIS = 5_000;

  /** How long deliveries in flight on their own threads are awaited when the worker stops. */
  static final long STOP_WAIT_MILLIS = 5_000;

  /** How often a worker waiting for a free lane looks whether it was asked to stop. */
  private static final long LANE_POLL_MILLIS = 200;

  private final AlertSink sink;
  private final StateStore store;
  private final RetryPolicy policy;
  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition work = lock.newCondition();
  private volatile boolean stopping;
  private boolean signalled;
  private final Pacer pacer;
  private DaemonMetrics metrics = new DaemonMetrics();
  private final Semaphore lanes;
  private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();

  /**
   * Entries whose delivery ended since the outbox was last read: a read that began before an
   * outcome was stored may still show the entry pending, and it must not be delivered again.
   */
  private final Set<Long> finished = ConcurrentHashMap.newKeySet();

  private final Set<Thread> deliveries = ConcurrentHashMap.newKeySet();

  void metrics(DaemonMetrics shared) {
    this.metrics = shared;
  }

  public DeliveryWorker(AlertSink sink, StateStore store, RetryPolicy policy, Clock clock) {
    this(sink, store, policy, clock, new Pacer(sink.minInterval(), clock));
  }

  /** A worker sharing {@code pacer} with the other workers that send to the same receiver. */
  public DeliveryWorker(
      AlertSink sink, StateStore store, RetryPolicy policy, Clock clock, Pacer pacer) {
    this.sink = sink;
    this.store = store;
    this.policy = policy;
    this.clock = clock;
    this.pacer = pacer;
    this.lanes = new Semaphore(Math.max(1, sink.parallelism()));
  }

  public AlertSink sink() {
    return sink;
  }

  /** New entries may be due: look at the outbox now. */
  public void wake() {
    lock.lock();
    try {
      signalled = true;
      work.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Finish the delivery in flight, then stop. */
  public void stop() {
    stopping = true;
    wake();
  }

  @Override
  public void run() {
    try {
      loop();
    } finally {
      finishInFlight();
    }
  }

  private void loop() {
    while (!stopping) {
      try {
        deliverDue();
        waitForWork();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (StateException | RuntimeException e) {
        log.error("{}: delivery loop: {}; trying again shortly", sink.name(), e.getMessage());
        try {
          Thread.sleep(1_000);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /**
   * Attempts every entry that is due now, each at most once per call (an entry whose retry falls
   * due again at once waits for the next call). Returns how many were attempted.
   */
  public int deliverDue() throws StateException, InterruptedException {
    int attempted = 0;
    long after = Long.MIN_VALUE;
    List<OutboxEntry> due;
    while (!stopping && !(due = dueAfter(after)).isEmpty()) {
      for (OutboxEntry entry : due) {
        if (stopping) {
          return attempted;
        }
        after = entry.seq();
        if (parallel()) {
          if (inFlight.contains(entry.seq()) || finished.contains(entry.seq())) {
            continue;
          }
          if (!takeLane()) {
            return attempted;
          }
          pacer.awaitTurn();
          attempted++;
          deliverOnItsOwn(entry);
          continue;
        }
        pacer.awaitTurn();
        attempted++;
        deliver(entry);
      }
    }
    return attempted;
  }

  private boolean parallel() {
    return sink.parallelism() > 1;
  }

  /** Waits for a free lane and takes it; false when the worker stops first. */
  private boolean takeLane() throws InterruptedException {
    while (!lanes.tryAcquire(LANE_POLL_MILLIS, TimeUnit.MILLISECONDS)) {
      if (stopping) {
        return false;
      }
    }
    return true;
  }

  /** Delivers {@code entry} on a thread of its own, holding a lane taken for it. */
  private void deliverOnItsOwn(OutboxEntry entry) {
    inFlight.add(entry.seq());
    Thread thread =
        new Thread(
            () -> {
              try {
                deliver(entry);
              } catch (InterruptedException e) {
                log.info(
                    "{}: {} interrupted by the stop; it stays pending",
                    sink.name(),
                    entry.verdictId());
              } catch (StateException | RuntimeException e) {
                log.error("{}: delivering {}: {}", sink.name(), entry.verdictId(), e.getMessage());
              } finally {
                deliveries.remove(Thread.currentThread());
                finished.add(entry.seq()); // before it leaves inFlight: see dueAfter
                inFlight.remove(entry.seq());
                lanes.release();
                wake();
              }
            },
            "deliver-" + sink.name() + "-" + entry.seq());
    thread.setDaemon(true);
    deliveries.add(thread);
    thread.start();
  }

  /** Waits a while for deliveries on their own threads, then interrupts those left. */
  private void finishInFlight() {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_WAIT_MILLIS);
    try {
      for (Thread t : List.copyOf(deliveries)) {
        t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      }
      List<Thread> left = List.copyOf(deliveries);
      left.forEach(Thread::interrupt);
      for (Thread t : left) {
        t.join(STOP_WAIT_MILLIS);
      }
    } catch (InterruptedException e) {
      deliveries.forEach(Thread::interrupt);
      Thread.currentThread().interrupt();
    }
  }

  private List<OutboxEntry> dueAfter(long seq) throws StateException {
    // Outcomes stored before this read are in it; only later ones need remembering.
    finished.clear();
    return store.due(sink.name(), clock.millis(), 16, seq);
  }

  private void deliver(OutboxEntry entry) throws StateException, InterruptedException {
    ObjectNode payload;
    try {
      payload = (ObjectNode) JSON.readTree(entry.payload());
    } catch (Exception e) {
      store.rejected(entry.seq(), "stored payload is not a JSON object: " + e.getMessage());
      return;
    }
    Alert alert = Alert.stored(entry.verdictId(), entry.experiment(), payload);
    DeliveryOutcome outcome = sink.deliver(alert);
    if (outcome instanceof DeliveryOutcome.Delivered) {
      metrics.delivery(sink.name(), "delivered");
      store.delivered(entry.seq());
      log.info(
          "{}: delivered {} ({} {})",
          sink.name(),
          entry.verdictId(),
          entry.experiment(),
          payload.path("status").asText("?"));
    } else if (outcome instanceof DeliveryOutcome.Rejected r) {
      metrics.delivery(sink.name(), "rejected");
      store.rejected(entry.seq(), r.reason());
      log.warn("{}: {} failed for good: {}", sink.name(), entry.verdictId(), r.reason());
    } else if (outcome instanceof DeliveryOutcome.RetryLater r) {
      metrics.delivery(sink.name(), "retry");
      int failed = entry.attempts() + 1;
      Duration age = Duration.ofMillis(clock.millis() - entry.createdAtMillis());
      if (policy.givesUp(failed, age)) {
        store.rejected(entry.seq(), "gave up after " + failed + " attempts: " + r.reason());
        log.error(
            "{}: gave up on {} after {} attempts: {}",
            sink.name(),
            entry.verdictId(),
            failed,
            r.reason());
      } else {
        Duration delay =
            policy.delayBefore(
                failed, r.notBefore(), () -> ThreadLocalRandom.current().nextDouble());
        store.retryLater(entry.seq(), clock.millis() + delay.toMillis(), r.reason());
        log.warn(
            "{}: {} not delivered ({}); retrying in {} ms",
            sink.name(),
            entry.verdictId(),
            r.reason(),
            delay.toMillis());
      }
    }
  }

  private void waitForWork() throws StateException, InterruptedException {
    long next = store.nextDue(sink.name());
    long wait =
        Math.min(MAX_IDLE_MILLIS, next == Long.MAX_VALUE ? MAX_IDLE_MILLIS : next - clock.millis());
    if (wait <= 0 && !inFlight.isEmpty()) {
      // What is due is (or includes) entries in delivery: each one's end wakes the worker.
      wait = MAX_IDLE_MILLIS;
    }
    if (wait <= 0) {
      return;
    }
    lock.lock();
    try {
      if (!signalled && !stopping) {
        work.await(wait, TimeUnit.MILLISECONDS);
      }
      signalled = false;
    } finally {
      lock.unlock();
    }
  }
}
