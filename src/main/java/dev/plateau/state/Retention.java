package dev.plateau.state;

import java.time.Duration;

/**
 * How long the state database keeps what it no longer needs, and how much it removes at a time.
 * Without it the outbox (one row per verdict and sink) and the verdict history grow for as long as
 * Plateau runs.
 *
 * <p>What is never removed: a pending delivery, the verdict a pending delivery points to, and an
 * experiment's row (its status and its count of transitions). The count is what keeps exactly-once
 * after pruning: a verdict's id is derived from the experiment's transition number, which only ever
 * grows, so a transition decided later gets a new number and a new id, and the id of a pruned
 * verdict cannot be decided again.
 *
 * @param deliveries how long a finished outbox entry (delivered, refused, or given up) is kept
 *     after it finished (default 7 days: a week to look into a receiver's complaint)
 * @param verdicts how long a recorded verdict is kept (default 30 days)
 * @param verdictsPerExperiment the most verdicts kept per experiment, the newest (default 100; an
 *     experiment normally has a handful, so this only bites on one that flaps)
 * @param batch the most rows of each table removed by one prune, so that a prune holds the database
 *     for milliseconds, never for a long transaction (default 500)
 * @param interval time between prunes (default 1 h); while prunes come back full the next one
 *     follows at once (the next round), so a backlog drains in small steps
 */
public record Retention(
    Duration deliveries,
    Duration verdicts,
    int verdictsPerExperiment,
    int batch,
    Duration interval) {

  /** 7 days of finished deliveries, 30 days and at most 100 per experiment of verdicts. */
  public static final Retention DEFAULT =
      new Retention(Duration.ofDays(7), Duration.ofDays(30), 100, 500, Duration.ofHours(1));

  public Retention {
    if (deliveries.isNegative() || verdicts.isNegative()) {
      throw new IllegalArgumentException(
          "retention periods must not be negative, got " + deliveries + " and " + verdicts);
    }
    if (verdictsPerExperiment < 1) {
      throw new IllegalArgumentException(
          "at least the newest verdict per experiment is kept, got " + verdictsPerExperiment);
    }
    if (batch < 1) {
      throw new IllegalArgumentException("prune batch must be at least 1, got " + batch);
    }
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("prune interval must be positive, got " + interval);
    }
  }
}
