package dev.plateau.state;

/**
 * What one prune removed.
 *
 * @param deliveries finished outbox entries removed
 * @param verdicts recorded verdicts removed
 */
public record Pruned(int deliveries, int verdicts) {
  /** Nothing removed (or no prune was due). */
  public static final Pruned NONE = new Pruned(0, 0);

  /** True when either table gave a full batch: more may be waiting. */
  public boolean full(int batch) {
    return deliveries >= batch || verdicts >= batch;
  }
}
