package dev.plateau.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.detect.Status;
import dev.plateau.sink.AlertMemory;
import dev.plateau.testing.FakeClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention of deliveries and verdicts, on a real SQLite file, with a clock the test moves. */
class StateRetentionTest {
  static final Instant START = Instant.ofEpochSecond(1_800_000_000);
  static final Duration DAY = Duration.ofDays(1);

  final FakeClock clock = FakeClock.at(START);

  /** Records one verdict of {@code experiment} as transition number {@code transition}. */
  static void record(
      StateStore store, String experiment, long transition, String id, String... sinks)
      throws StateException {
    Map<String, List<String>> sinksFor = new HashMap<>();
    sinksFor.put(id, List.of(sinks));
    store.commit(
        new StateBatch(
            List.of(),
            Map.of(),
            Map.of(
                experiment,
                new StateBatch.ExperimentStatus(
                    Status.CONVERGED, "{}", new AlertMemory(transition, Status.CONVERGED, null))),
            List.of(
                new RecordedVerdict(
                    id,
                    experiment,
                    Status.CONVERGED,
                    Status.TRAINING,
                    10L,
                    "{\"id\":\"" + id + "\"}")),
            sinksFor));
  }

  static Set<String> column(Path db, String query) throws Exception {
    Set<String> out = new TreeSet<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(query)) {
      while (r.next()) {
        out.add(r.getString(1));
      }
    }
    return out;
  }

  static void deliverAll(StateStore store, String sink, long now) throws StateException {
    for (OutboxEntry e : store.due(sink, now, 10_000)) {
      store.delivered(e.seq());
    }
  }

  @Test
  void finishedDeliveriesGoAfterTheRetentionPeriodAndPendingOnesStay(@TempDir Path dir)
      throws Exception {
    Path db = dir.resolve("state.db");
    Retention retention = Retention.DEFAULT;
    try (StateStore store = StateStore.open(db, false, clock)) {
      record(store, "a", 1, "delivered", "hook");
      record(store, "b", 1, "refused", "hook");
      record(store, "c", 1, "pending", "hook");
      List<OutboxEntry> due = store.due("hook", clock.millis(), 10);
      store.delivered(due.get(0).seq());
      store.rejected(due.get(1).seq(), "HTTP 410");

      clock.advance(retention.deliveries().minusMillis(1));
      assertThat(store.prune(retention, clock.millis())).isEqualTo(Pruned.NONE);

      clock.advance(Duration.ofMillis(2));
      assertThat(store.prune(retention, clock.millis())).isEqualTo(new Pruned(2, 0));
      assertThat(store.outboxCounts()).containsOnly(Map.entry("pending", 1L));
      // Months later the pending delivery is still there, and so is the verdict it sends.
      clock.advance(DAY.multipliedBy(90));
      store.prune(retention, clock.millis());
      assertThat(store.due("hook", clock.millis(), 10))
          .extracting(OutboxEntry::verdictId, OutboxEntry::payload)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("pending", "{\"id\":\"pending\"}"));
    }
    assertThat(column(db, "SELECT id FROM verdicts")).containsExactly("pending");
  }

  @Test
  void verdictHistoryKeepsTheNewestOfEachExperiment(@TempDir Path dir) throws Exception {
    Path db = dir.resolve("state.db");
    Retention keepThree = new Retention(DAY, Duration.ofDays(30), 3, 500, Duration.ofHours(1));
    try (StateStore store = StateStore.open(db, false, clock)) {
      for (int t = 1; t <= 6; t++) {
        record(store, "flappy", t, "flappy-" + t);
        clock.advance(Duration.ofMinutes(1));
      }
      record(store, "calm", 1, "calm-1");
      record(store, "calm", 2, "calm-2");
      assertThat(store.prune(keepThree, clock.millis())).isEqualTo(new Pruned(0, 3));
    }
    assertThat(column(db, "SELECT id FROM verdicts"))
        .containsExactlyInAnyOrder("flappy-4", "flappy-5", "flappy-6", "calm-1", "calm-2");
  }

  @Test
  void verdictsOlderThanTheRetentionGoUnlessADeliveryOfThemIsPending(@TempDir Path dir)
      throws Exception {
    Path db = dir.resolve("state.db");
    Retention retention = Retention.DEFAULT;
    try (StateStore store = StateStore.open(db, false, clock)) {
      record(store, "a", 1, "sent", "hook");
      record(store, "b", 1, "stuck", "hook");
      record(store, "c", 1, "no-sink");
      store.delivered(store.due("hook", clock.millis(), 10).get(0).seq());
      clock.advance(retention.verdicts().plusMillis(1));
      record(store, "c", 2, "recent");
      assertThat(store.prune(retention, clock.millis())).isEqualTo(new Pruned(1, 2));
    }
    assertThat(column(db, "SELECT id FROM verdicts")).containsExactlyInAnyOrder("stuck", "recent");
  }

  @Test
  void onePruneRemovesAtMostOneBatch(@TempDir Path dir) throws Exception {
    Retention smallBatches = new Retention(DAY, DAY, 100, 5, Duration.ofHours(1));
    try (StateStore store = StateStore.open(dir.resolve("state.db"), false, clock)) {
      for (int i = 0; i < 12; i++) {
        record(store, "exp" + i, 1, "v" + i, "hook");
      }
      deliverAll(store, "hook", clock.millis());
      clock.advance(DAY.plusMillis(1));
      List<Pruned> prunes = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        prunes.add(store.prune(smallBatches, clock.millis()));
      }
      assertThat(prunes)
          .containsExactly(new Pruned(5, 5), new Pruned(5, 5), new Pruned(2, 2), Pruned.NONE);
    }
  }

  @Test
  void pruningKeepsEveryExperimentsTransitionCountFromWhichIdsAreNumbered(@TempDir Path dir)
      throws Exception {
    Retention retention = new Retention(DAY, DAY, 1, 500, Duration.ofHours(1));
    try (StateStore store = StateStore.open(dir.resolve("state.db"), false, clock)) {
      for (int t = 1; t <= 4; t++) {
        record(store, "exp", t, "v" + t, "hook");
      }
      deliverAll(store, "hook", clock.millis());
      clock.advance(DAY.multipliedBy(2));
      store.prune(retention, clock.millis());
      assertThat(store.outboxCounts()).isEmpty();
      assertThat(store.experiments().get("exp").transitions()).isEqualTo(4);
      // The next transition is numbered 5: an id never used before, whatever was pruned.
    }
  }

  @Test
  void prunerRunsAtOnceThenOncePerIntervalAndAgainAtOnceWhileBatchesComeBackFull(@TempDir Path dir)
      throws Exception {
    Retention retention = new Retention(DAY, Duration.ofDays(30), 100, 2, Duration.ofHours(1));
    try (StateStore store = StateStore.open(dir.resolve("state.db"), false, clock)) {
      StatePruner pruner = new StatePruner(store, retention, clock);
      assertThat(pruner.pruneIfDue()).isEqualTo(Pruned.NONE); // due, and nothing to remove
      for (int i = 0; i < 5; i++) {
        record(store, "exp" + i, 1, "v" + i, "hook");
      }
      deliverAll(store, "hook", clock.millis());
      clock.advance(DAY.plusMinutes(1));
      // Not an hour since the first prune? It was a day: due now, and the batch is full ...
      assertThat(pruner.pruneIfDue()).isEqualTo(new Pruned(2, 0));
      // ... so the next call prunes again without waiting for the interval.
      assertThat(pruner.pruneIfDue()).isEqualTo(new Pruned(2, 0));
      assertThat(pruner.pruneIfDue()).isEqualTo(new Pruned(1, 0));
      // That one was not full: the rest waits an hour.
      record(store, "late", 1, "late", "hook");
      deliverAll(store, "hook", clock.millis());
      clock.advance(DAY.plusMinutes(1));
      assertThat(pruner.pruneIfDue()).isEqualTo(new Pruned(1, 0));
      record(store, "later", 1, "later", "hook");
      deliverAll(store, "hook", clock.millis());
      clock.advance(DAY.plusMinutes(1));
      assertThat(pruner.pruneIfDue()).isEqualTo(new Pruned(1, 0));
      record(store, "last", 1, "last", "hook");
      deliverAll(store, "hook", clock.millis());
      clock.advance(Duration.ofMinutes(59));
      assertThat(pruner.pruneIfDue()).as("within the hour").isEqualTo(Pruned.NONE);
      clock.advance(DAY);
      assertThat(pruner.pruneIfDue()).isEqualTo(new Pruned(1, 0));
    }
  }

  @Test
  void stateFileStopsGrowingOnceRetentionApplies(@TempDir Path dir) throws Exception {
    Path db = dir.resolve("state.db");
    Retention retention =
        new Retention(Duration.ofDays(2), Duration.ofDays(4), 20, 500, Duration.ofHours(1));
    List<Long> sizes = new ArrayList<>();
    try (StateStore store = StateStore.open(db, false, clock)) {
      StatePruner pruner = new StatePruner(store, retention, clock);
      for (int day = 0; day < 16; day++) {
        // A day: four rounds of 10 verdicts (one per experiment), each delivered, with payloads
        // of a realistic size, and the daemon pruning hourly.
        for (int hour = 0; hour < 24; hour++) {
          if (hour % 6 == 0) {
            List<RecordedVerdict> verdicts = new ArrayList<>();
            Map<String, StateBatch.ExperimentStatus> experiments = new HashMap<>();
            Map<String, List<String>> sinksFor = new HashMap<>();
            for (int e = 0; e < 10; e++) {
              String id = "d" + day + "h" + hour + "e" + e;
              long transition = day * 4L + hour / 6 + 1;
              verdicts.add(
                  new RecordedVerdict(
                      id, "exp" + e, Status.CONVERGED, Status.TRAINING, 10L, "x".repeat(2000)));
              experiments.put(
                  "exp" + e,
                  new StateBatch.ExperimentStatus(
                      Status.CONVERGED, "{}", new AlertMemory(transition, Status.CONVERGED, null)));
              sinksFor.put(id, List.of("hook"));
            }
            store.commit(new StateBatch(List.of(), Map.of(), experiments, verdicts, sinksFor));
            deliverAll(store, "hook", clock.millis());
          }
          clock.advance(Duration.ofHours(1));
          while (pruner.pruneIfDue().full(retention.batch())) {
            // drain a backlog batch by batch
          }
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
            Statement s = c.createStatement()) {
          s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        sizes.add(Files.size(db));
      }
      assertThat(store.outboxCounts().get("delivered")).isBetween(2L * 40, 3L * 40);
    }
    assertThat(column(db, "SELECT count(*) FROM verdicts")).containsExactly("160");
    // Freed pages are reused: once both periods have passed, the file holds steady (without
    // pruning it would be twice as big at day 16 as at day 8).
    long atDay8 = sizes.get(7);
    assertThat(sizes.get(15))
        .as("sizes by day: " + sizes)
        .isLessThanOrEqualTo(atDay8 + atDay8 / 10);
  }
}
