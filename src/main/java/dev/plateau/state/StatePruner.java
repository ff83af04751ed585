package dev.plateau.state;

import java.time.Clock;

/**
 * Prunes one state database on a schedule: at the first call, then every {@link
 * Retention#interval()}, or at the next call while prunes come back full. Called from the daemon's
 * loop between rounds; time comes from the injected clock, so tests drive it.
 *
 * <p>Not thread-safe: one thread (the daemon's loop) calls it.
 */
public final class StatePruner {
  private final StateStore store;
  private final Retention retention;
  private final Clock clock;
  private long nextAtMillis = Long.MIN_VALUE;

  public StatePruner(StateStore store, Retention retention, Clock clock) {
    this.store = store;
    this.retention = retention;
    this.clock = clock;
  }

  public StateStore store() {
    return store;
  }

  /**
   * Removes one batch when a prune is due; {@link Pruned#NONE} when it is not. A failure leaves the
   * schedule as it was, so the prune is tried again at the next call.
   */
  public Pruned pruneIfDue() throws StateException {
    long now = clock.millis();
    if (now < nextAtMillis) {
      return Pruned.NONE;
    }
    Pruned pruned = store.prune(retention, now);
    nextAtMillis = pruned.full(retention.batch()) ? now : now + retention.interval().toMillis();
    return pruned;
  }
}
