package dev.plateau.state;

import dev.plateau.series.SeriesKey;
import dev.plateau.tail.FileCursor;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Plateau's state, in an embedded SQLite database in WAL mode: per event file where reading stands,
 * per series its detectors' state, per experiment its current status, the history of verdict
 * transitions, and an outbox of deliveries.
 *
 * <p>Exactly once: a round of reading, the transitions it causes and their outbox entries are
 * committed in one transaction ({@link #commit}); a verdict's id is derived from what it says, so a
 * round that is read and decided again after a crash records nothing twice (the id is already
 * there), and an outbox entry is marked delivered only after its receiver accepted it.
 *
 * <p>The work is done by one class per reason to change: {@link StateSchema} (tables, versions),
 * {@link StateDatabase} (the file, its lock, its loss), {@link CommittedRounds} (what rounds
 * wrote), {@link Outbox} (deliveries) and {@link HistoryPruning} (retention); this class is their
 * one entry point.
 *
 * <p>Thread-safe: one connection, used under the store's lock (SQLite serialises writers anyway,
 * and every statement here is short).
 */
public final class StateStore implements AutoCloseable {
  /** The schema version this Plateau writes ({@link StateSchema#VERSION}). */
  static final int SCHEMA_VERSION = StateSchema.VERSION;

  private final StateDatabase db;
  private final CommittedRounds rounds;
  private final Outbox outbox;
  private final HistoryPruning pruning;
  private final SavedCurves curves;

  private StateStore(StateDatabase db, Clock clock) {
    this.db = db;
    this.rounds = new CommittedRounds(db, clock);
    this.outbox = new Outbox(db, clock);
    this.pruning = new HistoryPruning(db);
    this.curves = new SavedCurves(db);
  }

  /**
   * Opens (or creates) the state database {@code file}.
   *
   * @param rebuild when true, an existing file that cannot be used is moved aside (to {@code
   *     <file>.broken-<millis>}) and a new, empty state is started, to be rebuilt from the event
   *     files
   * @throws StateException when the file is corrupt, unreadable or of another version and {@code
   *     rebuild} is false; the message says to start with --rebuild-state
   */
  public static StateStore open(Path file, boolean rebuild, Clock clock) throws StateException {
    return new StateStore(StateDatabase.open(file, rebuild, clock), clock);
  }

  /**
   * Whether the database file is no longer the one this store writes to: deleted (commits would go
   * to a file nobody can open again) or replaced.
   */
  public synchronized boolean lost() {
    return db.lost();
  }

  /**
   * Starts a new, empty database at the same path after the file was lost (deleted while running),
   * taking the lock again; the caller writes what it holds in memory into it. A file that replaced
   * it is moved aside first, not overwritten.
   */
  public synchronized void recreate() throws StateException {
    db.recreate();
  }

  public Path file() {
    return db.file();
  }

  /** Where reading stood in every known file. */
  public synchronized List<FileCursor> files() throws StateException {
    return rounds.files();
  }

  /** Saved judge states by series. */
  public synchronized Map<SeriesKey, byte[]> series() throws StateException {
    return rounds.series();
  }

  /**
   * Every saved series' summary ({@link JudgeStateCodec#summary}) by series, in the order {@link
   * #series} lists them; null for a series saved without one (by schema version 1). Reads no
   * detector state.
   */
  public synchronized Map<SeriesKey, byte[]> seriesSummaries() throws StateException {
    return rounds.seriesSummaries();
  }

  /** Saved judge states of one run, by tag. */
  public synchronized Map<String, byte[]> seriesOfRun(String run) throws StateException {
    return rounds.seriesOfRun(run);
  }

  /** Every experiment's current status and verdict JSON. */
  public synchronized Map<String, StateBatch.ExperimentStatus> experiments() throws StateException {
    return rounds.experiments();
  }

  /**
   * Commits one round in one transaction. Returns the ids of the verdicts recorded now (those
   * already recorded, by an earlier run of the same round, are left alone and not returned).
   */
  public synchronized List<String> commit(StateBatch batch) throws StateException {
    return rounds.commit(batch);
  }

  /**
   * Saves (replaces) the curves the status page draws of these series, in one short transaction of
   * its own: charts are not part of a round, and a curve lost with a crash only costs a chart.
   */
  public synchronized void saveCurves(Map<SeriesKey, SavedCurve> saved) throws StateException {
    curves.save(saved);
  }

  /** The series that have a saved curve (one short query, no curve read). */
  public synchronized List<SeriesKey> curveKeys() throws StateException {
    return curves.keys();
  }

  /** The curve saved of a series, or null when none was (or its row is damaged). */
  public synchronized @Nullable SavedCurve curve(SeriesKey key) throws StateException {
    return curves.curve(key);
  }

  /** Up to {@code limit} pending deliveries for a sink that are due at {@code nowMillis}. */
  public List<OutboxEntry> due(String sink, long nowMillis, int limit) throws StateException {
    return due(sink, nowMillis, limit, Long.MIN_VALUE);
  }

  /** As {@link #due(String, long, int)}, only entries recorded after entry {@code afterSeq}. */
  public synchronized List<OutboxEntry> due(String sink, long nowMillis, int limit, long afterSeq)
      throws StateException {
    return outbox.due(sink, nowMillis, limit, afterSeq);
  }

  /** When the next pending delivery of a sink is due (Long.MAX_VALUE when none). */
  public synchronized long nextDue(String sink) throws StateException {
    return outbox.nextDue(sink);
  }

  /** The receiver accepted the delivery. */
  public synchronized void delivered(long seq) throws StateException {
    outbox.finish(seq, "delivered", null);
  }

  /** The receiver refused it for good (or it expired): logged and kept as history. */
  public synchronized void rejected(long seq, String reason) throws StateException {
    outbox.finish(seq, "rejected", reason);
  }

  /** A passing failure: try again at {@code nextAtMillis}. */
  public synchronized void retryLater(long seq, long nextAtMillis, String reason)
      throws StateException {
    outbox.retryLater(seq, nextAtMillis, reason);
  }

  /** Pending deliveries, all sinks. */
  public synchronized long pendingCount() throws StateException {
    return outbox.pendingCount();
  }

  /**
   * The newest {@code limit} deliveries of an experiment's alerts, newest first, for the status
   * page (one query; the verdicts kept are bounded by retention).
   */
  public synchronized List<Delivery> deliveriesOf(String experiment, int limit)
      throws StateException {
    return outbox.ofExperiment(experiment, limit);
  }

  /** Outbox entries per state ("pending", "delivered", "rejected"), for metrics and tests. */
  public synchronized Map<String, Long> outboxCounts() throws StateException {
    return outbox.counts();
  }

  /**
   * Removes, in one short transaction, at most {@link Retention#batch()} finished outbox entries
   * that finished before {@code nowMillis} minus {@link Retention#deliveries()}, and at most as
   * many verdicts that are older than {@link Retention#verdicts()} or beyond the newest {@link
   * Retention#verdictsPerExperiment()} of their experiment. Pending deliveries, the verdicts they
   * point to, and the experiments' rows (their transition counts, from which verdict ids are
   * numbered) are never removed.
   */
  public synchronized Pruned prune(Retention retention, long nowMillis) throws StateException {
    return pruning.prune(retention, nowMillis);
  }

  @Override
  public synchronized void close() {
    db.close();
  }
}
