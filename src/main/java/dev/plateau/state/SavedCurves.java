package dev.plateau.state;

import dev.plateau.series.SeriesKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@code curves} table: per series, the thinned curve the status page last drew of it, saved
 * when its experiment parks and when the daemon stops, read back when a page asks for a series that
 * has no curve in memory (a restart starts experiments parked). A run read again or gone loses its
 * row with its series' states.
 *
 * <p>Not thread-safe: {@link StateStore} uses it under its lock.
 */
final class SavedCurves {
  private final StateDatabase db;

  SavedCurves(StateDatabase db) {
    this.db = db;
  }

  /** See {@link StateStore#saveCurves}. */
  void save(Map<SeriesKey, SavedCurve> curves) throws StateException {
    if (curves.isEmpty()) {
      return;
    }
    Connection connection = db.connection();
    try (PreparedStatement p =
        connection.prepareStatement(
            "INSERT OR REPLACE INTO curves (run, tag, curve) VALUES (?, ?, ?)")) {
      for (Map.Entry<SeriesKey, SavedCurve> e : curves.entrySet()) {
        p.setString(1, e.getKey().run());
        p.setString(2, e.getKey().tag());
        p.setBytes(3, e.getValue().toBytes());
        p.addBatch();
      }
      p.executeBatch();
      connection.commit();
    } catch (SQLException e) {
      db.rollbackQuietly();
      throw db.failure("save " + curves.size() + " curves for the status page", e);
    }
  }

  /** See {@link StateStore#curveKeys}. */
  List<SeriesKey> keys() throws StateException {
    Connection connection = db.connection();
    List<SeriesKey> out = new ArrayList<>();
    try (PreparedStatement p = connection.prepareStatement("SELECT run, tag FROM curves");
        ResultSet r = p.executeQuery()) {
      while (r.next()) {
        out.add(new SeriesKey(r.getString(1), r.getString(2)));
      }
      connection.commit();
      return out;
    } catch (SQLException e) {
      throw db.failure("list the saved curves", e);
    }
  }

  /** See {@link StateStore#curve}. */
  @Nullable SavedCurve curve(SeriesKey key) throws StateException {
    Connection connection = db.connection();
    try (PreparedStatement p =
        connection.prepareStatement("SELECT curve FROM curves WHERE run = ? AND tag = ?")) {
      p.setString(1, key.run());
      p.setString(2, key.tag());
      byte[] bytes;
      try (ResultSet r = p.executeQuery()) {
        bytes = r.next() ? r.getBytes(1) : null;
      }
      connection.commit();
      return bytes == null ? null : SavedCurve.fromBytes(bytes);
    } catch (SQLException e) {
      throw db.failure("read the curve of run '" + key.run() + "' tag '" + key.tag() + "'", e);
    } catch (IllegalArgumentException damaged) {
      return null; // a damaged row only costs a chart until the series is saved again
    }
  }

  /** Deletes the curves of {@code runs}, inside the caller's transaction. */
  static void deleteRuns(Connection connection, List<String> runs) throws SQLException {
    try (PreparedStatement p = connection.prepareStatement("DELETE FROM curves WHERE run = ?")) {
      for (String run : runs) {
        p.setString(1, run);
        p.executeUpdate();
      }
    }
  }
}
