package dev.plateau.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Removes what the state database no longer needs under a {@link Retention}: finished outbox
 * entries and old verdicts, a batch at a time. {@link StatePruner} says when.
 *
 * <p>Not thread-safe: {@link StateStore} uses it under its lock.
 */
final class HistoryPruning {
  private final StateDatabase db;

  HistoryPruning(StateDatabase db) {
    this.db = db;
  }

  /** See {@link StateStore#prune}. */
  Pruned prune(Retention retention, long nowMillis) throws StateException {
    Connection connection = db.connection();
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
      db.rollbackQuietly();
      throw db.failure("prune old deliveries and verdicts", e);
    }
  }
}
