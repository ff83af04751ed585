package dev.plateau.verdict;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The threads a {@link LogdirJudge} judges independent experiments on: the calling thread and
 * {@code threads - 1} helpers, which take the next unjudged experiment until none is left (so a
 * long experiment does not hold up the short ones behind it). {@link #SERIAL} judges on the calling
 * thread alone. Helper threads are daemon threads; {@link #close} stops them.
 */
public final class JudgeThreads implements AutoCloseable {
  /** Judges on the calling thread only. */
  public static final JudgeThreads SERIAL = new JudgeThreads(1);

  /** Below this many queued experiments, helpers cost more than they save. */
  private static final int MIN_PARALLEL = 2;

  private final int threads;
  private final ExecutorService helpers;
  private final java.util.concurrent.atomic.LongAdder helperCpu =
      new java.util.concurrent.atomic.LongAdder();
  private static final java.lang.management.ThreadMXBean CPU =
      java.lang.management.ManagementFactory.getThreadMXBean();

  private JudgeThreads(int threads) {
    this.threads = threads;
    AtomicInteger made = new AtomicInteger();
    this.helpers =
        threads <= 1
            ? null
            : Executors.newFixedThreadPool(
                threads - 1,
                r -> {
                  Thread t = new Thread(r, "plateau-judge-" + made.incrementAndGet());
                  t.setDaemon(true);
                  return t;
                });
  }

  /** Judging on {@code threads} threads in all, the caller's included; 1 is {@link #SERIAL}. */
  public static JudgeThreads of(int threads) {
    if (threads < 1 || threads > 256) {
      throw new IllegalArgumentException("judge threads must be from 1 to 256, got " + threads);
    }
    return threads == 1 ? SERIAL : new JudgeThreads(threads);
  }

  /** Threads in all, the caller's included. */
  public int threads() {
    return threads;
  }

  /**
   * Runs {@code work} on every item, the items spread over the threads, and returns when all are
   * done. The first exception thrown is thrown again here, after every item was tried.
   */
  public <T> void run(List<T> items, Consumer<T> work) {
    if (helpers == null || items.size() < MIN_PARALLEL) {
      for (T item : items) {
        work.accept(item);
      }
      return;
    }
    AtomicInteger next = new AtomicInteger();
    List<RuntimeException> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    Runnable loop =
        () -> {
          for (int i = next.getAndIncrement(); i < items.size(); i = next.getAndIncrement()) {
            try {
              work.accept(items.get(i));
            } catch (RuntimeException e) {
              failures.add(e);
            }
          }
        };
    int helping = Math.min(threads - 1, items.size() - 1);
    List<Future<?>> running = new ArrayList<>(helping);
    for (int i = 0; i < helping; i++) {
      running.add(
          helpers.submit(
              () -> {
                long start = threadCpuNanos();
                try {
                  loop.run();
                } finally {
                  long end = threadCpuNanos();
                  if (start >= 0 && end >= start) {
                    helperCpu.add(end - start);
                  }
                }
              }));
    }
    loop.run();
    boolean interrupted = false;
    for (Future<?> f : running) {
      while (true) {
        try {
          f.get();
          break;
        } catch (InterruptedException e) {
          interrupted = true; // the items must be finished before the judge is used again
        } catch (ExecutionException e) {
          failures.add(new IllegalStateException("judge thread failed", e.getCause()));
          break;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (!failures.isEmpty()) {
      throw failures.get(0);
    }
  }

  /**
   * CPU time the helper threads spent judging so far, in nanoseconds (the calling thread's share is
   * the caller's to count); 0 where the JVM cannot measure thread CPU time.
   */
  public long helperCpuNanos() {
    return helperCpu.sum();
  }

  /** The calling thread's CPU time in nanoseconds, or -1 where the JVM cannot tell. */
  public static long threadCpuNanos() {
    return CPU.isCurrentThreadCpuTimeSupported() ? CPU.getCurrentThreadCpuTime() : -1;
  }

  @Override
  public void close() {
    if (helpers != null) {
      helpers.shutdownNow();
    }
  }
}
