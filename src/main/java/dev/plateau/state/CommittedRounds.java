package dev.plateau.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.plateau.detect.Status;
import dev.plateau.series.SeriesKey;
import dev.plateau.sink.AlertMemory;
import dev.plateau.tail.FileCursor;
import dev.plateau.tail.FileFingerprint;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What rounds of reading committed: per file where reading stands, per series its judge's saved
 * state and summary, per experiment its status, and the verdicts recorded with their outbox
 * entries. {@link #commit} writes a round in one transaction; the readers give it back at a
 * restart. Statuses are {@link Status} values here and their JSON names in the tables.
 *
 * <p>Not thread-safe: {@link StateStore} uses it under its lock.
 */
final class CommittedRounds {
  private static final TypeReference<Map<String, Boolean>> KNOWN_TAGS = new TypeReference<>() {};

  private final StateDatabase db;
  private final Clock clock;

  CommittedRounds(StateDatabase db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** See {@link StateStore#files}. */
  List<FileCursor> files() throws StateException {
    Connection connection = db.connection();
    List<FileCursor> out = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT path, run, offset, fp_length, fp_crc, file_key, resyncing, known_tags FROM files")) {
      while (r.next()) {
        int fpLength = r.getInt(4);
        FileFingerprint fingerprint =
            r.wasNull() ? null : new FileFingerprint(fpLength, r.getInt(5));
        out.add(
            new FileCursor(
                r.getString(1),
                r.getString(2),
                r.getLong(3),
                fingerprint,
                r.getString(6),
                r.getInt(7) != 0,
                JudgeStateCodec.JSON.readValue(r.getString(8), KNOWN_TAGS)));
      }
      connection.commit();
      return out;
    } catch (SQLException | JsonProcessingException e) {
      throw db.failure("read file positions", e);
    }
  }

  /** See {@link StateStore#series}. */
  Map<SeriesKey, byte[]> series() throws StateException {
    return seriesColumn("state", "read series states");
  }

  /** See {@link StateStore#seriesSummaries}. */
  Map<SeriesKey, byte[]> seriesSummaries() throws StateException {
    return seriesColumn("summary", "read series summaries");
  }

  /** One BLOB column of every saved series, by series, in the table's order. */
  private Map<SeriesKey, byte[]> seriesColumn(String column, String what) throws StateException {
    Connection connection = db.connection();
    Map<SeriesKey, byte[]> out = new LinkedHashMap<>();
    try (Statement s = connection.createStatement();
        ResultSet r = s.executeQuery("SELECT run, tag, " + column + " FROM series")) {
      while (r.next()) {
        out.put(new SeriesKey(r.getString(1), r.getString(2)), r.getBytes(3));
      }
      connection.commit();
      return out;
    } catch (SQLException e) {
      throw db.failure(what, e);
    }
  }

  /** See {@link StateStore#seriesOfRun}. */
  Map<String, byte[]> seriesOfRun(String run) throws StateException {
    Connection connection = db.connection();
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (PreparedStatement s =
        connection.prepareStatement("SELECT tag, state FROM series WHERE run = ?")) {
      s.setString(1, run);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.put(r.getString(1), r.getBytes(2));
        }
      }
      connection.commit();
      return out;
    } catch (SQLException e) {
      throw db.failure("read the series states of run '" + run + "'", e);
    }
  }

  /** See {@link StateStore#experiments}. */
  Map<String, StateBatch.ExperimentStatus> experiments() throws StateException {
    Connection connection = db.connection();
    Map<String, StateBatch.ExperimentStatus> out = new LinkedHashMap<>();
    try (Statement s = connection.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT experiment, status, verdict, transitions, settled, sent_status, sent_at,"
                    + " sent_best_step, sent_best_value FROM experiments")) {
      while (r.next()) {
        Status status = Status.fromJsonName(r.getString(2));
        out.put(
            r.getString(1),
            new StateBatch.ExperimentStatus(status, r.getString(3), alertMemory(r, status)));
      }
      connection.commit();
      return out;
    } catch (SQLException e) {
      throw db.failure("read experiments", e);
    } catch (IllegalArgumentException e) {
      // A status this version does not know: the file was written by a newer Plateau, or edited.
      throw db.failure(
          "read experiments ("
              + e.getMessage()
              + "; run the Plateau version that wrote it, or move the file aside and Plateau"
              + " builds a new one from the event files)",
          e);
    }
  }

  /** Columns 4 to 9 of an experiments row: its alert memory. */
  private static AlertMemory alertMemory(ResultSet r, Status status) throws SQLException {
    String settled = r.getString(5);
    String sentStatus = r.getString(6);
    AlertMemory.Sent sent = null;
    if (sentStatus != null) {
      Instant time = Instant.ofEpochMilli(r.getLong(7));
      long bestStep = r.getLong(8);
      Long best = r.wasNull() ? null : bestStep;
      double bestValue = r.getDouble(9);
      if (r.wasNull()) {
        bestValue = Double.NaN;
      }
      sent = new AlertMemory.Sent(Status.fromJsonName(sentStatus), time, best, bestValue);
    }
    // A row without one (written by version 2 and not brought up to date) settled on its status.
    Status settledStatus = settled != null ? Status.fromJsonName(settled) : status;
    return new AlertMemory(r.getLong(4), settledStatus, sent);
  }

  /** See {@link StateStore#commit}. */
  List<String> commit(StateBatch batch) throws StateException {
    Connection connection = db.connection();
    long now = clock.millis();
    try {
      resetRuns(connection, batch.resetRuns());
      saveFiles(connection, batch.files());
      saveSeries(connection, batch.series(), batch.summaries());
      saveExperiments(connection, batch.experiments(), now);
      List<String> recorded = recordVerdicts(connection, batch.verdicts(), batch.sinksFor(), now);
      connection.commit();
      return recorded;
    } catch (SQLException | JsonProcessingException | RuntimeException e) {
      db.rollbackQuietly();
      throw db.failure("commit a round of reading", e);
    }
  }

  private static void resetRuns(Connection connection, List<String> runs) throws SQLException {
    try (PreparedStatement files = connection.prepareStatement("DELETE FROM files WHERE run = ?");
        PreparedStatement series =
            connection.prepareStatement("DELETE FROM series WHERE run = ?")) {
      for (String run : runs) {
        files.setString(1, run);
        files.executeUpdate();
        series.setString(1, run);
        series.executeUpdate();
      }
    }
    SavedCurves.deleteRuns(connection, runs);
  }

  private static void saveFiles(Connection connection, List<FileCursor> files)
      throws SQLException, JsonProcessingException {
    try (PreparedStatement p =
        connection.prepareStatement(
            "INSERT OR REPLACE INTO files (path, run, offset, fp_length, fp_crc, file_key, resyncing,"
                + " known_tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (FileCursor f : files) {
        p.setString(1, f.path());
        p.setString(2, f.run());
        p.setLong(3, f.offset());
        if (f.fingerprint() == null) {
          p.setNull(4, Types.INTEGER);
          p.setNull(5, Types.INTEGER);
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
  }

  private static void saveSeries(
      Connection connection, Map<SeriesKey, byte[]> states, Map<SeriesKey, byte[]> summaries)
      throws SQLException {
    try (PreparedStatement p =
        connection.prepareStatement(
            "INSERT OR REPLACE INTO series (run, tag, state, summary) VALUES (?, ?, ?, ?)")) {
      for (Map.Entry<SeriesKey, byte[]> e : states.entrySet()) {
        p.setString(1, e.getKey().run());
        p.setString(2, e.getKey().tag());
        p.setBytes(3, e.getValue()); // a BLOB: the column's TEXT affinity leaves BLOBs as they are
        p.setBytes(4, summaries.get(e.getKey())); // null without one
        p.addBatch();
      }
      p.executeBatch();
    }
  }

  private static void saveExperiments(
      Connection connection, Map<String, StateBatch.ExperimentStatus> experiments, long now)
      throws SQLException {
    try (PreparedStatement p =
        connection.prepareStatement(
            "INSERT OR REPLACE INTO experiments (experiment, status, verdict, transitions,"
                + " updated_at, settled, sent_status, sent_at, sent_best_step, sent_best_value)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (Map.Entry<String, StateBatch.ExperimentStatus> e : experiments.entrySet()) {
        AlertMemory memory = e.getValue().alerts();
        p.setString(1, e.getKey());
        p.setString(2, e.getValue().status().jsonName());
        p.setString(3, e.getValue().verdictJson());
        p.setLong(4, memory.transitions());
        p.setLong(5, now);
        p.setString(6, memory.settled().jsonName());
        AlertMemory.Sent sent = memory.lastSent();
        if (sent == null) {
          for (int column = 7; column <= 10; column++) {
            p.setNull(column, Types.NULL);
          }
        } else {
          p.setString(7, sent.status().jsonName());
          p.setLong(8, sent.time().toEpochMilli());
          if (sent.bestStep() == null) {
            p.setNull(9, Types.INTEGER);
          } else {
            p.setLong(9, sent.bestStep());
          }
          if (Double.isFinite(sent.bestValue())) {
            p.setDouble(10, sent.bestValue());
          } else {
            p.setNull(10, Types.REAL);
          }
        }
        p.addBatch();
      }
      p.executeBatch();
    }
  }

  /** Records the verdicts not recorded before, each with its outbox entries; returns their ids. */
  private static List<String> recordVerdicts(
      Connection connection,
      List<RecordedVerdict> verdicts,
      Map<String, List<String>> sinksFor,
      long now)
      throws SQLException {
    List<String> recorded = new ArrayList<>();
    try (PreparedStatement verdict =
            connection.prepareStatement(
                "INSERT OR IGNORE INTO verdicts (id, experiment, status, previous_status,"
                    + " decided_at_step, payload, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
        PreparedStatement outbox =
            connection.prepareStatement(
                "INSERT OR IGNORE INTO outbox (verdict_id, sink, state, next_at, created_at)"
                    + " VALUES (?, ?, 'pending', ?, ?)")) {
      for (RecordedVerdict v : verdicts) {
        verdict.setString(1, v.id());
        verdict.setString(2, v.experiment());
        verdict.setString(3, v.status().jsonName());
        verdict.setString(4, v.previousStatus() == null ? null : v.previousStatus().jsonName());
        if (v.decidedAtStep() == null) {
          verdict.setNull(5, Types.INTEGER);
        } else {
          verdict.setLong(5, v.decidedAtStep());
        }
        verdict.setString(6, v.payload());
        verdict.setLong(7, now);
        if (verdict.executeUpdate() == 1) {
          recorded.add(v.id());
          for (String sink : sinksFor.getOrDefault(v.id(), List.of())) {
            outbox.setString(1, v.id());
            outbox.setString(2, sink);
            outbox.setLong(3, now);
            outbox.setLong(4, now);
            outbox.executeUpdate();
          }
        }
      }
    }
    return recorded;
  }
}
