package dev.plateau.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.plateau.tail.FileCursor;
import dev.plateau.tail.FileFingerprint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plateau's state, in an embedded SQLite database in WAL mode: per event file where reading
 * stands, per series its detectors' state, per experiment its current status, the history of
 * verdict transitions, and an outbox of deliveries.
 *
 * <p>Exactly once: a round of reading, the transitions it causes and their outbox entries are
 * committed in one transaction ({@link #commit}); a verdict's id is derived from what it says, so
 * a round that is read and decided again after a crash records nothing twice (the id is already
 * there), and an outbox entry is marked delivered only after its receiver accepted it.
 *
 * <p>Thread-safe: one connection, used under the store's lock (SQLite serialises writers anyway,
 * and every statement here is short).
 */
public final class StateStore implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StateStore.class);

  /**
   * Bumped when the schema changes. A file of an earlier version is brought up to date when it
   * opens (version 1 lacked {@code series.summary}); a file of a later version is refused with a
   * clear message.
   */
  static final int SCHEMA_VERSION = 2;

  private static final String SCHEMA =
      """
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS files (
        path TEXT PRIMARY KEY, run TEXT NOT NULL, offset INTEGER NOT NULL,
        fp_length INTEGER, fp_crc INTEGER, file_key TEXT, resyncing INTEGER NOT NULL,
        known_tags TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS series (
        run TEXT NOT NULL, tag TEXT NOT NULL, state TEXT NOT NULL, summary BLOB,
        PRIMARY KEY (run, tag));
      CREATE TABLE IF NOT EXISTS experiments (
        experiment TEXT PRIMARY KEY, status TEXT NOT NULL, verdict TEXT NOT NULL,
        transitions INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS verdicts (
        id TEXT PRIMARY KEY, experiment TEXT NOT NULL, status TEXT NOT NULL,
        previous_status TEXT, decided_at_step INTEGER, payload TEXT NOT NULL,
        recorded_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, verdict_id TEXT NOT NULL, sink TEXT NOT NULL,
        state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL,
        last_error TEXT, created_at INTEGER NOT NULL, done_at INTEGER,
        UNIQUE (verdict_id, sink));
      CREATE INDEX IF NOT EXISTS outbox_due ON outbox (sink, state, next_at);
      """;

  private final Path file;
  private Connection connection;
  /** The database file's identity (inode) when opened, to notice it deleted or replaced. */
  private Object fileKey;
  /** This process's hold on the database (null for a store opened without one). */
  private StateLock lock;
  private final Clock clock;

  private StateStore(Path file, Connection connection, Clock clock) {
    this.file = file;
    this.connection = connection;
    this.clock = clock;
    this.fileKey = keyOf(file);
  }

  private static Object keyOf(Path file) {
    try {
      return Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Whether the database file is no longer the one this store writes to: deleted (commits would go
   * to a file nobody can open again) or replaced.
   */
  public synchronized boolean lost() {
    if (fileKey == null) {
      return false; // the filesystem gives no identity: nothing to compare
    }
    return !fileKey.equals(keyOf(file));
  }

  /**
   * Starts a new, empty database at the same path after the file was lost (deleted while
   * running), taking the lock again; the caller writes what it holds in memory into it. A file
   * that replaced it is moved aside first, not overwritten.
   */
  public synchronized void recreate() throws StateException {
    rollbackQuietly();
    closeQuietly(connection);
    if (Files.exists(file)) {
      Path aside = file.resolveSibling(file.getFileName() + ".replaced-" + clock.millis());
      try {
        Files.move(file, aside);
      } catch (IOException e) {
        throw new StateException("cannot move " + file + " (which replaced the state database) aside: " + e.getMessage(), e);
      }
    }
    for (String suffix : new String[] {"-wal", "-shm"}) {
      try {
        Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
      } catch (IOException ignored) {
        // SQLite makes them anew
      }
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new StateException("cannot create the state directory " + file.getParent() + ": " + e.getMessage(), e);
    }
    if (lock != null) {
      lock.close();
    }
    lock = StateLock.acquire(file.toAbsolutePath());
    StateStore fresh = openChecked(file, clock);
    connection = fresh.connection;
    fileKey = fresh.fileKey;
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
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new StateException("cannot create the state directory " + file.getParent() + ": " + e.getMessage(), e);
    }
    StateLock lock = StateLock.acquire(file.toAbsolutePath());
    try {
      StateStore store = openUnlocked(file, rebuild, clock);
      store.lock = lock;
      return store;
    } catch (StateException | RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  private static StateStore openUnlocked(Path file, boolean rebuild, Clock clock) throws StateException {
    try {
      return openChecked(file, clock);
    } catch (StateException e) {
      if (!rebuild || !Files.exists(file)) {
        throw e;
      }
      Path aside = file.resolveSibling(file.getFileName() + ".broken-" + clock.millis());
      log.warn("{}; moving it to {} and rebuilding the state from the event files", e.getMessage(), aside);
      try {
        Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
        for (String suffix : new String[] {"-wal", "-shm"}) {
          Path side = file.resolveSibling(file.getFileName() + suffix);
          if (Files.exists(side)) {
            Files.move(side, aside.resolveSibling(aside.getFileName() + suffix));
          }
        }
      } catch (IOException io) {
        throw new StateException("cannot move the broken state " + file + " aside: " + io.getMessage(), io);
      }
      return openChecked(file, clock);
    }
  }

  private static StateStore openChecked(Path file, Clock clock) throws StateException {
    boolean existed = Files.exists(file);
    if (existed && !Files.isReadable(file)) {
      throw unusable(file, "it cannot be read (permissions)", null);
    }
    Connection connection = null;
    try {
      connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (Statement s = connection.createStatement()) {
        try (ResultSet r = s.executeQuery("PRAGMA quick_check")) {
          String result = r.next() ? r.getString(1) : "no answer";
          if (!"ok".equals(result)) {
            throw unusable(file, "it is corrupt (" + result + ")", null);
          }
        }
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL");
        s.execute("PRAGMA busy_timeout=5000");
        for (String statement : SCHEMA.split(";")) {
          if (!statement.isBlank()) {
            s.execute(statement);
          }
        }
      }
      String version = meta(connection, "schema_version");
      if (version == null) {
        if (existed && hasData(connection)) {
          throw unusable(file, "it has no schema version", null);
        }
        putMeta(connection, "schema_version", Integer.toString(SCHEMA_VERSION));
      } else if (version.equals("1")) {
        // Version 2 added each series' summary; rows saved before have none (their experiments
        // are read into memory at start-up, as before, and gain one at their next save).
        try (Statement s = connection.createStatement()) {
          s.execute("ALTER TABLE series ADD COLUMN summary BLOB");
        }
        putMeta(connection, "schema_version", Integer.toString(SCHEMA_VERSION));
        log.info("state database {}: schema brought from version 1 to {}", file, SCHEMA_VERSION);
      } else if (!version.equals(Integer.toString(SCHEMA_VERSION))) {
        throw unusable(file, "it has schema version " + version + ", this Plateau uses " + SCHEMA_VERSION, null);
      }
      connection.setAutoCommit(false);
      return new StateStore(file, connection, clock);
    } catch (SQLException e) {
      closeQuietly(connection);
      throw unusable(file, "it is not a readable database (" + e.getMessage() + ")", e);
    } catch (StateException e) {
      closeQuietly(connection);
      throw e;
    }
  }

  private static StateException unusable(Path file, String why, Throwable cause) {
    return new StateException(
        "state database "
            + file
            + " cannot be used: "
            + why
            + ". Plateau will not run on it, so as not to re-alert everything; start with"
            + " --rebuild-state to move it aside and rebuild the state from the event files",
        cause);
  }

  private static boolean hasData(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT (SELECT count(*) FROM files) + (SELECT count(*) FROM verdicts)")) {
      return r.next() && r.getLong(1) > 0;
    }
  }

  private static String meta(Connection c, String key) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
      p.setString(1, key);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? r.getString(1) : null;
      }
    }
  }

  private static void putMeta(Connection c, String key, String value) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)")) {
      p.setString(1, key);
      p.setString(2, value);
      p.executeUpdate();
    }
  }

  public Path file() {
    return file;
  }

  /** Where reading stood in every known file. */
  public synchronized List<FileCursor> files() throws StateException {
    List<FileCursor> out = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT path, run, offset, fp_length, fp_crc, file_key, resyncing, known_tags FROM files")) {
      while (r.next()) {
        int fpLength = r.getInt(4);
        FileFingerprint fingerprint = r.wasNull() ? null : new FileFingerprint(fpLength, r.getInt(5));
        out.add(
            new FileCursor(
                r.getString(1),
                r.getString(2),
                r.getLong(3),
                fingerprint,
                r.getString(6),
                r.getInt(7) != 0,
                JudgeStateCodec.JSON.readValue(r.getString(8), new TypeReference<Map<String, Boolean>>() {})));
      }
      connection.commit();
      return out;
    } catch (SQLException | JsonProcessingException e) {
      throw failure("read file positions", e);
    }
  }

  /** Saved judge states by "run\u0000tag". */
  public synchronized Map<String, byte[]> series() throws StateException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (Statement s = connection.createStatement();
        ResultSet r = s.executeQuery("SELECT run, tag, state FROM series")) {
      while (r.next()) {
        out.put(r.getString(1) + '\u0000' + r.getString(2), r.getBytes(3));
      }
      connection.commit();
      return out;
    } catch (SQLException e) {
      throw failure("read series states", e);
    }
  }

  /**
   * Every saved series' summary ({@link JudgeStateCodec#summary}) by "run\u0000tag", in the order
   * {@link #series} lists them; null for a series saved without one (by schema version 1). Reads
   * no detector state.
   */
  public synchronized Map<String, byte[]> seriesSummaries() throws StateException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (Statement s = connection.createStatement();
        ResultSet r = s.executeQuery("SELECT run, tag, summary FROM series")) {
      while (r.next()) {
        out.put(r.getString(1) + '\u0000' + r.getString(2), r.getBytes(3));
      }
      connection.commit();
      return out;
    } catch (SQLException e) {
      throw failure("read series summaries", e);
    }
  }

  /** Saved judge states of one run, by tag. */
  public synchronized Map<String, byte[]> seriesOfRun(String run) throws StateException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (PreparedStatement s = connection.prepareStatement("SELECT tag, state FROM series WHERE run = ?")) {
      s.setString(1, run);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.put(r.getString(1), r.getBytes(2));
        }
      }
      connection.commit();
      return out;
    } catch (SQLException e) {
      throw failure("read the series states of run '" + run + "'", e);
    }
  }

  /** Every experiment's current status and verdict JSON. */
  public synchronized Map<String, StateBatch.ExperimentStatus> experiments() throws StateException {
    Map<String, StateBatch.ExperimentStatus> out = new LinkedHashMap<>();
    try (Statement s = connection.createStatement();
        ResultSet r =
            s.executeQuery("SELECT experiment, status, verdict, transitions FROM experiments")) {
      while (r.next()) {
        out.put(
            r.getString(1),
            new StateBatch.ExperimentStatus(r.getString(2), r.getString(3), r.getLong(4)));
      }
      connection.commit();
      return out;
    } catch (SQLException e) {
      throw failure("read experiments", e);
    }
  }

  /**
   * Commits one round in one transaction. Returns the ids of the verdicts recorded now (those
   * already recorded, by an earlier run of the same round, are left alone and not returned).
   */
  public synchronized List<String> commit(StateBatch batch) throws StateException {
    long now = clock.millis();
    List<String> recorded = new ArrayList<>();
    try {
      try (PreparedStatement files = connection.prepareStatement("DELETE FROM files WHERE run = ?");
          PreparedStatement series = connection.prepareStatement("DELETE FROM series WHERE run = ?")) {
        for (String run : batch.resetRuns()) {
          files.setString(1, run);
          files.executeUpdate();
          series.setString(1, run);
          series.executeUpdate();
        }
      }
      try (PreparedStatement p =
          connection.prepareStatement(
              "INSERT OR REPLACE INTO files (path, run, offset, fp_length, fp_crc, file_key, resyncing,"
                  + " known_tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (FileCursor f : batch.files()) {
          p.setString(1, f.path());
          p.setString(2, f.run());
          p.setLong(3, f.offset());
          if (f.fingerprint() == null) {
            p.setNull(4, java.sql.Types.INTEGER);
            p.setNull(5, java.sql.Types.INTEGER);
          } else {
            p.setInt(4, f.fingerprint().length());
            p.setInt(5, f.fingerprint().crc());
          }
          p.setString(6, f.fileKey());
          p.setInt(7, f.resyncing() ? 1 : 0);
          p.setString(8, JudgeStateCodec.JSON.writeValueAsString(f.knownTags()));
          p.addBatch();
        }
        p.executeBatch();
      }
      try (PreparedStatement p =
          connection.prepareStatement(
              "INSERT OR REPLACE INTO series (run, tag, state, summary) VALUES (?, ?, ?, ?)")) {
        for (Map.Entry<String, byte[]> e : batch.series().entrySet()) {
          int split = e.getKey().indexOf('\u0000');
          p.setString(1, e.getKey().substring(0, split));
          p.setString(2, e.getKey().substring(split + 1));
          p.setBytes(3, e.getValue()); // a BLOB: the column's TEXT affinity leaves BLOBs as they are
          p.setBytes(4, batch.summaries().get(e.getKey())); // null without one
          p.addBatch();
        }
        p.executeBatch();
      }
      try (PreparedStatement p =
          connection.prepareStatement(
              "INSERT OR REPLACE INTO experiments (experiment, status, verdict, transitions,"
                  + " updated_at) VALUES (?, ?, ?, ?, ?)")) {
        for (Map.Entry<String, StateBatch.ExperimentStatus> e : batch.experiments().entrySet()) {
          p.setString(1, e.getKey());
          p.setString(2, e.getValue().status());
          p.setString(3, e.getValue().verdictJson());
          p.setLong(4, e.getValue().transitions());
          p.setLong(5, now);
          p.addBatch();
        }
        p.executeBatch();
      }
      try (PreparedStatement verdict =
              connection.prepareStatement(
                  "INSERT OR IGNORE INTO verdicts (id, experiment, status, previous_status,"
                      + " decided_at_step, payload, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
          PreparedStatement outbox =
              connection.prepareStatement(
                  "INSERT OR IGNORE INTO outbox (verdict_id, sink, state, next_at, created_at)"
                      + " VALUES (?, ?, 'pending', ?, ?)")) {
        for (RecordedVerdict v : batch.verdicts()) {
          verdict.setString(1, v.id());
          verdict.setString(2, v.experiment());
          verdict.setString(3, v.status());
          verdict.setString(4, v.previousStatus());
          if (v.decidedAtStep() == null) {
            verdict.setNull(5, java.sql.Types.INTEGER);
          } else {
            verdict.setLong(5, v.decidedAtStep());
          }
          verdict.setString(6, v.payload());
          verdict.setLong(7, now);
          if (verdict.executeUpdate() == 1) {
            recorded.add(v.id());
            for (String sink : batch.sinksFor().getOrDefault(v.id(), List.of())) {
              outbox.setString(1, v.id());
              outbox.setString(2, sink);
              outbox.setLong(3, now);
              outbox.setLong(4, now);
              outbox.executeUpdate();
            }
          }
        }
      }
      connection.commit();
      return recorded;
    } catch (SQLException | JsonProcessingException | RuntimeException e) {
      rollbackQuietly();
      throw failure("commit a round of reading", e);
    }
  }

  /** Up to {@code limit} pending deliveries for a sink that are due at {@code nowMillis}. */
  public List<OutboxEntry> due(String sink, long nowMillis, int limit) throws StateException {
    return due(sink, nowMillis, limit, Long.MIN_VALUE);
  }

  /** As {@link #due(String, long, int)}, only entries recorded after entry {@code afterSeq}. */
  public synchronized List<OutboxEntry> due(String sink, long nowMillis, int limit, long afterSeq)
      throws StateException {
    List<OutboxEntry> out = new ArrayList<>();
    try (PreparedStatement p =
        connection.prepareStatement(
            "SELECT o.seq, o.verdict_id, o.sink, v.experiment, v.payload, o.attempts, o.created_at"
                + " FROM outbox o JOIN verdicts v ON v.id = o.verdict_id"
                + " WHERE o.sink = ? AND o.state = 'pending' AND o.next_at <= ? AND o.seq > ?"
                + " ORDER BY o.seq LIMIT ?")) {
      p.setString(1, sink);
      p.setLong(2, nowMillis);
      p.setLong(3, afterSeq);
      p.setInt(4, limit);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(
              new OutboxEntry(
                  r.getLong(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5),
                  r.getInt(6), r.getLong(7)));
        }
      }
      connection.commit();
      return out;
    } catch (SQLException e) {
      throw failure("read the outbox", e);
    }
  }

  /** When the next pending delivery of a sink is due (Long.MAX_VALUE when none). */
  public synchronized long nextDue(String sink) throws StateException {
    try (PreparedStatement p =
        connection.prepareStatement(
            "SELECT min(next_at) FROM outbox WHERE sink = ? AND state = 'pending'")) {
      p.setString(1, sink);
      try (ResultSet r = p.executeQuery()) {
        long next = r.next() ? r.getLong(1) : 0;
        boolean none = r.wasNull();
        connection.commit();
        return none ? Long.MAX_VALUE : next;
      }
    } catch (SQLException e) {
      throw failure("read the outbox", e);
    }
  }

  /** The receiver accepted the delivery. */
  public void delivered(long seq) throws StateException {
    finish(seq, "delivered", null);
  }

  /** The receiver refused it for good (or it expired): logged and kept as history. */
  public void rejected(long seq, String reason) throws StateException {
    finish(seq, "rejected", reason);
  }

  /** A passing failure: try again at {@code nextAtMillis}. */
  public synchronized void retryLater(long seq, long nextAtMillis, String reason) throws StateException {
    try (PreparedStatement p =
        connection.prepareStatement(
            "UPDATE outbox SET attempts = attempts + 1, next_at = ?, last_error = ? WHERE seq = ?")) {
      p.setLong(1, nextAtMillis);
      p.setString(2, reason);
      p.setLong(3, seq);
      p.executeUpdate();
      connection.commit();
    } catch (SQLException e) {
      rollbackQuietly();
      throw failure("update the outbox", e);
    }
  }

  private synchronized void finish(long seq, String state, String reason) throws StateException {
    try (PreparedStatement p =
        connection.prepareStatement(
            "UPDATE outbox SET state = ?, attempts = attempts + 1, done_at = ?, last_error = ? WHERE seq = ?")) {
      p.setString(1, state);
      p.setLong(2, clock.millis());
      p.setString(3, reason);
      p.setLong(4, seq);
      p.executeUpdate();
      connection.commit();
    } catch (SQLException e) {
      rollbackQuietly();
      throw failure("update the outbox", e);
    }
  }

  /** Pending deliveries, all sinks. */
  public synchronized long pendingCount() throws StateException {
    try (Statement s = connection.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM outbox WHERE state = 'pending'")) {
      long n = r.next() ? r.getLong(1) : 0;
      connection.commit();
      return n;
    } catch (SQLException e) {
      throw failure("count the outbox", e);
    }
  }

  /** Outbox entries per state ("pending", "delivered", "rejected"), for metrics and tests. */
  public synchronized Map<String, Long> outboxCounts() throws StateException {
    Map<String, Long> out = new LinkedHashMap<>();
    try (Statement s = connection.createStatement();
        ResultSet r = s.executeQuery("SELECT state, count(*) FROM outbox GROUP BY state ORDER BY state")) {
      while (r.next()) {
        out.put(r.getString(1), r.getLong(2));
      }
      connection.commit();
      return out;
    } catch (SQLException e) {
      throw failure("count the outbox", e);
    }
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
    try (PreparedStatement deliveries =
            connection.prepareStatement(
                "DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox"
                    + " WHERE state <> 'pending' AND done_at < ? ORDER BY seq LIMIT ?)");
        PreparedStatement verdicts =
            connection.prepareStatement(
                "DELETE FROM verdicts WHERE id IN (SELECT v.id FROM (SELECT id, recorded_at,"
                    + " row_number() OVER (PARTITION BY experiment ORDER BY recorded_at DESC,"
                    + " rowid DESC) AS newer FROM verdicts) v"
                    + " WHERE (v.recorded_at < ? OR v.newer > ?)"
                    + " AND NOT EXISTS (SELECT 1 FROM outbox o"
                    + " WHERE o.verdict_id = v.id AND o.state = 'pending')"
                    + " LIMIT ?)")) {
      deliveries.setLong(1, nowMillis - retention.deliveries().toMillis());
      deliveries.setInt(2, retention.batch());
      int deliveriesRemoved = deliveries.executeUpdate();
      verdicts.setLong(1, nowMillis - retention.verdicts().toMillis());
      verdicts.setInt(2, retention.verdictsPerExperiment());
      verdicts.setInt(3, retention.batch());
      int verdictsRemoved = verdicts.executeUpdate();
      connection.commit();
      return new Pruned(deliveriesRemoved, verdictsRemoved);
    } catch (SQLException e) {
      rollbackQuietly();
      throw failure("prune old deliveries and verdicts", e);
    }
  }

  private StateException failure(String what, Exception e) {
    return new StateException("state database " + file + ": cannot " + what + ": " + e.getMessage(), e);
  }

  private void rollbackQuietly() {
    try {
      connection.rollback();
    } catch (SQLException noTransaction) {
      // SQLite rolls a transaction back by itself after some errors (a full disk, an I/O error),
      // and the driver's rollback then fails before it opens the next transaction. Without one,
      // every later statement would be committed on its own and every commit() would fail with
      // "no transaction is active", for good: open it here.
      try (Statement s = connection.createStatement()) {
        s.execute("BEGIN");
      } catch (SQLException stillOpen) {
        // A transaction is open after all: nothing to restore.
      }
    }
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // Closing after a failure: the original error is what matters.
      }
    }
  }

  @Override
  public synchronized void close() {
    rollbackQuietly();
    closeQuietly(connection);
    if (lock != null) {
      lock.close();
      lock = null;
    }
  }
}
