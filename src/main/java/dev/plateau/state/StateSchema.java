package dev.plateau.state;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state database's tables and their version: opens a connection to a file, checks it, creates
 * the tables of a new file and brings a file of an earlier version up to date. A file of a later
 * version, a corrupt or an unreadable one is refused with a message that says what to do.
 */
final class StateSchema {
  /** Logged as the store, whose messages these were before the schema had a class of its own. */
  private static final Logger log = LoggerFactory.getLogger(StateStore.class);

  /**
   * Bumped when the schema changes. A file of an earlier version is brought up to date when it
   * opens (version 1 lacked {@code series.summary}, version 2 the experiments' alert memory); a
   * file of a later version is refused with a clear message. The {@code curves} table (the status
   * page's charts of parked series) came without a new version: it is made when missing, and a
   * version that does not know it leaves it alone.
   */
  static final int VERSION = 3;

  /** The experiments' alert memory ({@code AlertMemory}), added by version 3: name, type. */
  private static final String[][] ALERT_MEMORY_COLUMNS = {
    {"settled", "TEXT"},
    {"sent_status", "TEXT"},
    {"sent_at", "INTEGER"},
    {"sent_best_step", "INTEGER"},
    {"sent_best_value", "REAL"}
  };

  /**
   * What a version 2 file tells of the alert memory: the status last recorded other than training,
   * from the verdicts kept; the last message, from the newest verdict with an outbox entry.
   */
  private static final String ALERT_MEMORY_FROM_HISTORY =
      """
      UPDATE experiments SET settled = COALESCE(
        (SELECT v.status FROM verdicts v WHERE v.experiment = experiments.experiment
           AND v.status <> 'training' ORDER BY v.recorded_at DESC, v.rowid DESC LIMIT 1),
        'training');
      UPDATE experiments SET
        sent_status = m.status, sent_at = m.recorded_at,
        sent_best_step = json_extract(m.payload, '$.best_step'),
        sent_best_value = json_extract(m.payload, '$.best_value')
      FROM (SELECT v.experiment, v.status, v.recorded_at, v.payload,
              row_number() OVER (PARTITION BY v.experiment
                                 ORDER BY v.recorded_at DESC, v.rowid DESC) AS newest
            FROM verdicts v WHERE EXISTS (SELECT 1 FROM outbox o WHERE o.verdict_id = v.id)) m
      WHERE m.experiment = experiments.experiment AND m.newest = 1;
      """;

  private static final String TABLES =
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
        transitions INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL,
        settled TEXT, sent_status TEXT, sent_at INTEGER, sent_best_step INTEGER,
        sent_best_value REAL);
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
      CREATE TABLE IF NOT EXISTS curves (
        run TEXT NOT NULL, tag TEXT NOT NULL, curve BLOB NOT NULL, PRIMARY KEY (run, tag));
      """;

  private StateSchema() {}

  /**
   * A connection to {@code file} (created when missing) with the tables of this version, in WAL
   * mode, outside auto-commit.
   *
   * @throws StateException when the file is unreadable, corrupt, without a version while holding
   *     data, or of another version
   */
  static Connection open(Path file) throws StateException {
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
        executeAll(s, TABLES);
      }
      bringUpToDate(connection, file, existed);
      connection.setAutoCommit(false);
      return connection;
    } catch (SQLException e) {
      closeQuietly(connection);
      throw unusable(file, "it is not a readable database (" + e.getMessage() + ")", e);
    } catch (StateException e) {
      closeQuietly(connection);
      throw e;
    }
  }

  private static void bringUpToDate(Connection connection, Path file, boolean existed)
      throws SQLException, StateException {
    String version = meta(connection, "schema_version");
    if (version == null) {
      if (existed && hasData(connection)) {
        throw unusable(file, "it has no schema version", null);
      }
      putMeta(connection, "schema_version", Integer.toString(VERSION));
    } else if (version.equals("1") || version.equals("2")) {
      try (Statement s = connection.createStatement()) {
        if (version.equals("1")) {
          // Version 2 added each series' summary; rows saved before have none (their experiments
          // are read into memory at start-up, as before, and gain one at their next save).
          s.execute("ALTER TABLE series ADD COLUMN summary BLOB");
        }
        // A version 1 file may lack the experiments table, made just now with the columns.
        Set<String> columns = columns(connection, "experiments");
        for (String[] column : ALERT_MEMORY_COLUMNS) {
          if (!columns.contains(column[0])) {
            s.execute("ALTER TABLE experiments ADD COLUMN " + column[0] + " " + column[1]);
          }
        }
        executeAll(s, ALERT_MEMORY_FROM_HISTORY);
      }
      putMeta(connection, "schema_version", Integer.toString(VERSION));
      log.info("state database {}: schema brought from version {} to {}", file, version, VERSION);
    } else if (!version.equals(Integer.toString(VERSION))) {
      throw unusable(
          file, "it has schema version " + version + ", this Plateau uses " + VERSION, null);
    }
  }

  private static Set<String> columns(Connection c, String table) throws SQLException {
    Set<String> names = new HashSet<>();
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("PRAGMA table_info(" + table + ")")) {
      while (r.next()) {
        names.add(r.getString("name"));
      }
    }
    return names;
  }

  /** Runs each statement of {@code script} (statements end with a semicolon). */
  private static void executeAll(Statement s, String script) throws SQLException {
    for (String statement : script.split(";")) {
      if (!statement.isBlank()) {
        s.execute(statement);
      }
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
        ResultSet r =
            s.executeQuery(
                "SELECT (SELECT count(*) FROM files) + (SELECT count(*) FROM verdicts)")) {
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

  /** Closes a connection after a failure, when the original error is what matters. */
  static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // the original error is reported
      }
    }
  }
}
