package dev.plateau.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deliveries waiting for their receivers: what is due for a sink, and what became of an attempt
 * (delivered, refused, to try again). Entries are added with their verdicts by {@link
 * CommittedRounds#commit}.
 *
 * <p>Not thread-safe: {@link StateStore} uses it under its lock.
 */
final class Outbox {
  private final StateDatabase db;
  private final Clock clock;

  Outbox(StateDatabase db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** See {@link StateStore#due(String, long, int, long)}. */
  List<OutboxEntry> due(String sink, long nowMillis, int limit, long afterSeq)
      throws StateException {
    Connection connection = db.connection();
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
                  r.getLong(1),
                  r.getString(2),
                  r.getString(3),
                  r.getString(4),
                  r.getString(5),
                  r.getInt(6),
                  r.getLong(7)));
        }
      }
      connection.commit();
      return out;
    } catch (SQLException e) {
      throw db.failure("read the outbox", e);
    }
  }

  /** See {@link StateStore#nextDue}. */
  long nextDue(String sink) throws StateException {
    Connection connection = db.connection();
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
      throw db.failure("read the outbox", e);
    }
  }

  /** See {@link StateStore#retryLater}. */
  void retryLater(long seq, long nextAtMillis, String reason) throws StateException {
    update(
        "UPDATE outbox SET attempts = attempts + 1, next_at = ?, last_error = ? WHERE seq = ?",
        p -> {
          p.setLong(1, nextAtMillis);
          p.setString(2, reason);
          p.setLong(3, seq);
        });
  }

  /** Ends an entry's deliveries: {@code state} is "delivered" or "rejected". */
  void finish(long seq, String state, String reason) throws StateException {
    update(
        "UPDATE outbox SET state = ?, attempts = attempts + 1, done_at = ?, last_error = ? WHERE seq = ?",
        p -> {
          p.setString(1, state);
          p.setLong(2, clock.millis());
          p.setString(3, reason);
          p.setLong(4, seq);
        });
  }

  /** Sets a statement's parameters. */
  private interface Parameters {
    void set(PreparedStatement p) throws SQLException;
  }

  /** Updates one entry in a transaction of its own. */
  private void update(String sql, Parameters parameters) throws StateException {
    Connection connection = db.connection();
    try (PreparedStatement p = connection.prepareStatement(sql)) {
      parameters.set(p);
      p.executeUpdate();
      connection.commit();
    } catch (SQLException e) {
      db.rollbackQuietly();
      throw db.failure("update the outbox", e);
    }
  }

  /** See {@link StateStore#pendingCount}. */
  long pendingCount() throws StateException {
    Connection connection = db.connection();
    try (Statement s = connection.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM outbox WHERE state = 'pending'")) {
      long n = r.next() ? r.getLong(1) : 0;
      connection.commit();
      return n;
    } catch (SQLException e) {
      throw db.failure("count the outbox", e);
    }
  }

  /** See {@link StateStore#outboxCounts}. */
  Map<String, Long> counts() throws StateException {
    Connection connection = db.connection();
    Map<String, Long> out = new LinkedHashMap<>();
    try (Statement s = connection.createStatement();
        ResultSet r =
            s.executeQuery("SELECT state, count(*) FROM outbox GROUP BY state ORDER BY state")) {
      while (r.next()) {
        out.put(r.getString(1), r.getLong(2));
      }
      connection.commit();
      return out;
    } catch (SQLException e) {
      throw db.failure("count the outbox", e);
    }
  }

  /** See {@link StateStore#deliveriesOf}. */
  List<Delivery> ofExperiment(String experiment, int limit) throws StateException {
    Connection connection = db.connection();
    List<Delivery> out = new ArrayList<>();
    try (PreparedStatement p =
        connection.prepareStatement(
            "SELECT o.sink, o.state, o.attempts, o.last_error, v.status, o.created_at"
                + " FROM outbox o JOIN verdicts v ON v.id = o.verdict_id"
                + " WHERE v.experiment = ? ORDER BY o.seq DESC LIMIT ?")) {
      p.setString(1, experiment);
      p.setInt(2, limit);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(
              new Delivery(
                  r.getString(1),
                  r.getString(2),
                  r.getInt(3),
                  r.getString(4),
                  r.getString(5),
                  r.getLong(6)));
        }
      }
      connection.commit();
      return out;
    } catch (SQLException e) {
      throw db.failure("read the deliveries of an experiment", e);
    }
  }
}
