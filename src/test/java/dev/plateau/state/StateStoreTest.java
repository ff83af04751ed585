package dev.plateau.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plateau.detect.Status;
import dev.plateau.series.SeriesKey;
import dev.plateau.sink.AlertMemory;
import dev.plateau.tail.FileCursor;
import dev.plateau.tail.FileFingerprint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state database, on a real SQLite file. */
class StateStoreTest {
  static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_800_000_000), ZoneOffset.UTC);

  static StateBatch batch(
      List<FileCursor> files, List<RecordedVerdict> verdicts, List<String> sinks) {
    Map<String, List<String>> sinksFor = new java.util.HashMap<>();
    for (RecordedVerdict v : verdicts) {
      sinksFor.put(v.id(), sinks);
    }
    return new StateBatch(
        files,
        Map.of(new SeriesKey("exp/validation", "val_loss"), new byte[] {2, 0, -1, 7}),
        Map.of(
            "exp", new StateBatch.ExperimentStatus(Status.CONVERGED, "{\"status\":\"converged\"}")),
        verdicts,
        sinksFor);
  }

  static RecordedVerdict verdict(String id) {
    return new RecordedVerdict(
        id, "exp", Status.CONVERGED, Status.TRAINING, 42L, "{\"id\":\"" + id + "\"}");
  }

  @Test
  void committedRoundIsReadBackAfterReopening(@TempDir Path dir) throws Exception {
    Path db = dir.resolve("state.db");
    FileCursor cursor =
        new FileCursor(
            "/logs/exp/validation/events",
            "exp/validation",
            1234,
            new FileFingerprint(48, 0x1234abcd),
            "(dev=1,ino=2)",
            true,
            Map.of("loss", true));
    try (StateStore store = StateStore.open(db, false, CLOCK)) {
      store.commit(batch(List.of(cursor), List.of(verdict("v1")), List.of("webhook-1")));
    }
    try (StateStore store = StateStore.open(db, false, CLOCK)) {
      assertThat(store.files()).containsExactly(cursor);
      assertThat(store.series()).containsOnlyKeys(new SeriesKey("exp/validation", "val_loss"));
      assertThat(store.series().get(new SeriesKey("exp/validation", "val_loss")))
          .containsExactly(2, 0, -1, 7);
      assertThat(store.experiments().get("exp").status()).isEqualTo(Status.CONVERGED);
      assertThat(store.pendingCount()).isEqualTo(1);
    }
  }

  @Test
  void aVerdictIsRecordedAndQueuedOnlyOnceWhenTheSameRoundIsCommittedAgain(@TempDir Path dir)
      throws Exception {
    try (StateStore store = StateStore.open(dir.resolve("s.db"), false, CLOCK)) {
      List<String> sinks = List.of("webhook-1", "slack");
      assertThat(store.commit(batch(List.of(), List.of(verdict("v1")), sinks)))
          .containsExactly("v1");
      // The round is read and decided again after a crash: same verdict id.
      assertThat(store.commit(batch(List.of(), List.of(verdict("v1"), verdict("v2")), sinks)))
          .containsExactly("v2");
      assertThat(store.pendingCount()).isEqualTo(4);
      assertThat(store.due("slack", CLOCK.millis(), 10))
          .extracting(OutboxEntry::verdictId)
          .containsExactly("v1", "v2");
    }
  }

  @Test
  void outboxEntriesMoveFromPendingToDeliveredRetriedOrRejected(@TempDir Path dir)
      throws Exception {
    try (StateStore store = StateStore.open(dir.resolve("s.db"), false, CLOCK)) {
      store.commit(
          batch(List.of(), List.of(verdict("a"), verdict("b"), verdict("c")), List.of("hook")));
      List<OutboxEntry> due = store.due("hook", CLOCK.millis(), 10);
      assertThat(due).hasSize(3);
      assertThat(due.get(0).payload()).isEqualTo("{\"id\":\"a\"}");
      store.delivered(due.get(0).seq());
      store.retryLater(due.get(1).seq(), CLOCK.millis() + 60_000, "HTTP 503");
      store.rejected(due.get(2).seq(), "HTTP 404: no such hook");
      assertThat(store.due("hook", CLOCK.millis(), 10)).isEmpty();
      assertThat(store.nextDue("hook")).isEqualTo(CLOCK.millis() + 60_000);
      OutboxEntry retried = store.due("hook", CLOCK.millis() + 60_000, 10).get(0);
      assertThat(retried.verdictId()).isEqualTo("b");
      assertThat(retried.attempts()).isEqualTo(1);
      assertThat(store.outboxCounts())
          .containsEntry("delivered", 1L)
          .containsEntry("pending", 1L)
          .containsEntry("rejected", 1L);
    }
  }

  @Test
  void corruptDatabaseIsRefusedWithAMessageThatNamesTheFileAndTheWayOut(@TempDir Path dir)
      throws Exception {
    Path db = dir.resolve("state.db");
    Files.write(db, "this is not a database, it is a shopping list\n".repeat(200).getBytes());
    assertThatThrownBy(() -> StateStore.open(db, false, CLOCK))
        .isInstanceOf(StateException.class)
        .hasMessageContaining(db.toString())
        .hasMessageContaining("--rebuild-state");
    assertThat(Files.readString(db)).startsWith("this is not a database");
  }

  @Test
  void databaseWithDamagedPagesIsRefused(@TempDir Path dir) throws Exception {
    Path db = dir.resolve("state.db");
    try (StateStore store = StateStore.open(db, false, CLOCK)) {
      for (int i = 0; i < 50; i++) {
        store.commit(batch(List.of(), List.of(verdict("v" + i)), List.of("hook")));
      }
    }
    // Checkpoint the WAL into the main file, then scribble over a page in the middle.
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
      c.createStatement().execute("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    byte[] bytes = Files.readAllBytes(db);
    assertThat(bytes.length).isGreaterThan(8192);
    java.util.Random random = new java.util.Random(7);
    for (int i = 4096; i < bytes.length; i++) {
      bytes[i] = (byte) random.nextInt(256);
    }
    Files.write(db, bytes);
    assertThatThrownBy(() -> StateStore.open(db, false, CLOCK))
        .isInstanceOf(StateException.class)
        .hasMessageContaining("--rebuild-state");
  }

  @Test
  void rebuildMovesABrokenDatabaseAsideAndStartsAfresh(@TempDir Path dir) throws Exception {
    Path db = dir.resolve("state.db");
    Files.writeString(db, "garbage ".repeat(1000));
    try (StateStore store = StateStore.open(db, true, CLOCK)) {
      assertThat(store.files()).isEmpty();
      assertThat(store.pendingCount()).isZero();
    }
    try (var listing = Files.list(dir)) {
      assertThat(listing.map(p -> p.getFileName().toString()))
          .anyMatch(name -> name.startsWith("state.db.broken-"));
    }
  }

  @Test
  void seriesSummariesAreSavedWithTheirStatesAndDeletedWithThem(@TempDir Path dir)
      throws Exception {
    Path db = dir.resolve("state.db");
    try (StateStore store = StateStore.open(db, false, CLOCK)) {
      store.commit(
          new StateBatch(
              List.of(),
              Map.of(
                  new SeriesKey("exp/train", "loss"),
                  new byte[] {2, 1},
                  new SeriesKey("exp/validation", "val_loss"),
                  new byte[] {2, 2}),
              Map.of(),
              List.of(),
              Map.of(),
              List.of(),
              Map.of(new SeriesKey("exp/train", "loss"), new byte[] {1, 9, 9})));
    }
    try (StateStore store = StateStore.open(db, false, CLOCK)) {
      Map<SeriesKey, byte[]> summaries = store.seriesSummaries();
      assertThat(summaries)
          .containsOnlyKeys(
              new SeriesKey("exp/train", "loss"), new SeriesKey("exp/validation", "val_loss"));
      assertThat(summaries.get(new SeriesKey("exp/train", "loss"))).containsExactly(1, 9, 9);
      assertThat(summaries.get(new SeriesKey("exp/validation", "val_loss")))
          .isNull(); // saved without one
      store.commit(
          new StateBatch(List.of(), Map.of(), Map.of(), List.of(), Map.of(), List.of("exp/train")));
      assertThat(store.seriesSummaries())
          .containsOnlyKeys(new SeriesKey("exp/validation", "val_loss"));
    }
  }

  /** Version 1 (before series summaries) is brought up to date in place, its states kept. */
  @Test
  void aVersionOneDatabaseGainsTheSummaryColumnAndKeepsItsStates(@TempDir Path dir)
      throws Exception {
    Path db = dir.resolve("state.db");
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + db);
        var s = c.createStatement()) {
      s.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
      s.execute("INSERT INTO meta VALUES ('schema_version', '1')");
      s.execute(
          "CREATE TABLE series (run TEXT NOT NULL, tag TEXT NOT NULL, state TEXT NOT NULL,"
              + " PRIMARY KEY (run, tag))");
      s.execute("INSERT INTO series VALUES ('exp', 'loss', '{\"points\":3}')");
    }
    try (StateStore store = StateStore.open(db, false, CLOCK)) {
      assertThat(
              new String(
                  store.series().get(new SeriesKey("exp", "loss")),
                  java.nio.charset.StandardCharsets.UTF_8))
          .isEqualTo("{\"points\":3}");
      assertThat(store.seriesSummaries()).containsEntry(new SeriesKey("exp", "loss"), null);
      store.commit(
          new StateBatch(
              List.of(),
              Map.of(new SeriesKey("exp", "loss"), new byte[] {2}),
              Map.of(),
              List.of(),
              Map.of(),
              List.of(),
              Map.of(new SeriesKey("exp", "loss"), new byte[] {1})));
      assertThat(store.seriesSummaries().get(new SeriesKey("exp", "loss"))).containsExactly(1);
    }
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + db);
        var r =
            c.createStatement()
                .executeQuery("SELECT value FROM meta WHERE key = 'schema_version'")) {
      assertThat(r.next()).isTrue();
      assertThat(r.getString(1))
          .isEqualTo(Integer.toString(StateStore.SCHEMA_VERSION))
          .isEqualTo("3");
    }
  }

  @Test
  void aVersionTwoDatabaseGainsEachExperimentsAlertMemoryFromItsRecordedVerdicts(@TempDir Path dir)
      throws Exception {
    Path db = dir.resolve("state.db");
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + db);
        var s = c.createStatement()) {
      s.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
      s.execute("INSERT INTO meta VALUES ('schema_version', '2')");
      s.execute(
          "CREATE TABLE experiments (experiment TEXT PRIMARY KEY, status TEXT NOT NULL, verdict"
              + " TEXT NOT NULL, transitions INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT"
              + " NULL)");
      s.execute(
          "CREATE TABLE verdicts (id TEXT PRIMARY KEY, experiment TEXT NOT NULL, status TEXT NOT"
              + " NULL, previous_status TEXT, decided_at_step INTEGER, payload TEXT NOT NULL,"
              + " recorded_at INTEGER NOT NULL)");
      s.execute(
          "CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, verdict_id TEXT NOT NULL,"
              + " sink TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,"
              + " next_at INTEGER NOT NULL, last_error TEXT, created_at INTEGER NOT NULL, done_at"
              + " INTEGER, UNIQUE (verdict_id, sink))");
      // flapped: converged (sent), training, converged again (history, not sent)
      s.execute("INSERT INTO experiments VALUES ('flap', 'converged', '{}', 3, 3000)");
      s.execute(
          "INSERT INTO verdicts VALUES ('a', 'flap', 'converged', 'training', 10,"
              + " '{\"best_step\":8,\"best_value\":0.5}', 1000)");
      s.execute(
          "INSERT INTO verdicts VALUES ('b', 'flap', 'training', 'converged', 12, '{}', 2000)");
      s.execute(
          "INSERT INTO verdicts VALUES ('c', 'flap', 'converged', 'training', 20,"
              + " '{\"best_step\":8,\"best_value\":0.5}', 3000)");
      s.execute(
          "INSERT INTO outbox (verdict_id, sink, state, next_at, created_at)"
              + " VALUES ('a', 'webhook-1', 'done', 1000, 1000)");
      s.execute("INSERT INTO experiments VALUES ('quiet', 'training', '{}', 0, 3000)");
    }
    try (StateStore store = StateStore.open(db, false, CLOCK)) {
      AlertMemory flap = store.experiments().get("flap").alerts();
      assertThat(flap.transitions()).isEqualTo(3);
      assertThat(flap.settled()).isEqualTo(Status.CONVERGED);
      assertThat(flap.lastSent())
          .isEqualTo(new AlertMemory.Sent(Status.CONVERGED, Instant.ofEpochMilli(1000), 8L, 0.5));
      assertThat(store.experiments().get("quiet").alerts()).isEqualTo(AlertMemory.NONE);
    }
  }

  @Test
  void anExperimentsAlertMemoryIsCommittedAndReadBack(@TempDir Path dir) throws Exception {
    AlertMemory memory =
        new AlertMemory(
            5,
            Status.OVERFITTING,
            new AlertMemory.Sent(Status.OVERFITTING, Instant.ofEpochMilli(123_456), 40L, 0.25));
    AlertMemory noBest =
        new AlertMemory(
            1,
            Status.STALLED,
            new AlertMemory.Sent(Status.STALLED, Instant.ofEpochMilli(1), null, Double.NaN));
    try (StateStore store = StateStore.open(dir.resolve("state.db"), false, CLOCK)) {
      store.commit(
          new StateBatch(
              List.of(),
              Map.of(),
              Map.of(
                  "a", new StateBatch.ExperimentStatus(Status.TRAINING, "{}", memory),
                  "b", new StateBatch.ExperimentStatus(Status.STALLED, "{}", noBest)),
              List.of(),
              Map.of()));
    }
    try (StateStore store = StateStore.open(dir.resolve("state.db"), false, CLOCK)) {
      assertThat(store.experiments().get("a").alerts()).isEqualTo(memory);
      assertThat(store.experiments().get("b").alerts()).isEqualTo(noBest);
    }
  }

  @Test
  void databaseOfAnotherSchemaVersionIsRefused(@TempDir Path dir) throws Exception {
    Path db = dir.resolve("state.db");
    try (StateStore store = StateStore.open(db, false, CLOCK)) {
      store.commit(batch(List.of(), List.of(verdict("v")), List.of("hook")));
    }
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
      c.createStatement().execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'");
    }
    assertThatThrownBy(() -> StateStore.open(db, false, CLOCK))
        .isInstanceOf(StateException.class)
        .hasMessageContaining("schema version 99");
  }

  /**
   * Statuses are names in the table and {@link Status} values above it: a name no status has is
   * refused.
   */
  @Test
  void anExperimentRowWithAnUnknownStatusIsRefusedNamingTheFile(@TempDir Path dir)
      throws Exception {
    Path db = dir.resolve("state.db");
    try (StateStore store = StateStore.open(db, false, CLOCK)) {
      store.commit(batch(List.of(), List.of(verdict("v")), List.of("hook")));
      assertThat(store.experiments().get("exp").status()).isEqualTo(Status.CONVERGED);
    }
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
      c.createStatement().execute("UPDATE experiments SET status = 'finished'");
      try (var r =
          c.createStatement().executeQuery("SELECT status, previous_status FROM verdicts")) {
        assertThat(r.next()).isTrue();
        assertThat(r.getString(1)).as("the JSON name in the table").isEqualTo("converged");
        assertThat(r.getString(2)).isEqualTo("training");
      }
    }
    try (StateStore store = StateStore.open(db, false, CLOCK)) {
      assertThatThrownBy(store::experiments)
          .isInstanceOf(StateException.class)
          .hasMessageContaining(db.toString())
          .hasMessageContaining("unknown status 'finished'")
          .hasMessageContaining("move the file aside");
    }
  }
}
