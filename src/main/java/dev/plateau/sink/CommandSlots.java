package dev.plateau.sink;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many hook commands may run at once, shared by every {@link HookSink} of a daemon (every hook,
 * every logdir): a sweep whose runs all converge in one round starts at most this many processes,
 * and the rest wait for a slot. Waiting for a slot does not count towards a command's timeout.
 */
public final class CommandSlots {
  private final int max;
  private final Semaphore free;
  private final AtomicInteger running = new AtomicInteger();

  /**
   * @param max the most commands at once, at least 1
   */
  public CommandSlots(int max) {
    if (max < 1) {
      throw new SinkConfigException("hooks.max_concurrent must be at least 1, got " + max);
    }
    this.max = max;
    this.free = new Semaphore(max, true);
  }

  /** The most commands at once. */
  public int max() {
    return max;
  }

  /** Commands running now. */
  public int running() {
    return running.get();
  }

  /** Waits for a free slot and takes it. */
  void acquire() throws InterruptedException {
    free.acquire();
    running.incrementAndGet();
  }

  /** Gives a slot taken by {@link #acquire()} back. */
  void release() {
    running.decrementAndGet();
    free.release();
  }
}
