package dev.plateau.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.config.PlateauConfig;
import dev.plateau.sink.FlagConfig;
import dev.plateau.sink.FlagSink;
import dev.plateau.sink.RetryPolicy;
import dev.plateau.sink.Secret;
import dev.plateau.sink.SinkSettings;
import dev.plateau.sink.WebhookSink;
import dev.plateau.state.Retention;
import dev.plateau.state.StateStore;
import dev.plateau.testing.FakeClock;
import dev.plateau.testing.RunningDaemon;
import dev.plateau.write.EventFileWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention as the daemon applies it, over real event files, a real state database and a real
 * receiver: old history goes, and nothing pruned is ever decided or sent again.
 */
class StateRetentionInDaemonTest {
  static final Duration MONTH = Duration.ofDays(31);

  record Setup(StateStore store, Watcher watcher, DeliveryWorker worker) implements AutoCloseable {
    @Override
    public void close() {
      store.close();
    }
  }

  static Setup setup(Path logdir, Path db, String url, FakeClock clock) throws Exception {
    StateStore store = StateStore.open(db, false, clock);
    WebhookSink sink =
        new WebhookSink(SinkSettings.of("webhook-1", Secret.fromValue(url)), null, clock);
    FlagSink flags = new FlagSink(logdir, FlagConfig.defaults());
    Watcher watcher =
        new Watcher(
            logdir,
            PlateauConfig.defaults(),
            store,
            List.of(sink),
            flags::apply,
            clock,
            "test-host");
    watcher.restore();
    RetryPolicy fast =
        new RetryPolicy(
            Duration.ofMillis(1), 1, Duration.ofMillis(1), Integer.MAX_VALUE, Duration.ofDays(365));
    return new Setup(store, watcher, new DeliveryWorker(sink, store, fast, clock));
  }

  static float converging(int t) {
    return (float) (1 + 8 * Math.exp(-t / 8.0));
  }

  static List<String> ids(Path db, String table) throws Exception {
    List<String> out = new ArrayList<>();
    String column = table.equals("outbox") ? "verdict_id" : "id";
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT " + column + " FROM " + table)) {
      while (r.next()) {
        out.add(r.getString(1));
      }
    }
    return out;
  }

  @Test
  void aPrunedVerdictIsNotSentAgainWhenItsRunIsReadAndDecidedAgain(@TempDir Path temp)
      throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    Path db = temp.resolve("state.db");
    FakeClock clock = FakeClock.atNow();
    double start = clock.millis() / 1000.0 - 500;
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      try (EventFileWriter w =
          EventFileWriter.create(logdir.resolve("exp/validation"), start, "t", 0)) {
        for (int t = 0; t < 120; t++) {
          w.simpleValue("val_loss", t, start + t, converging(t));
        }
      }
      String first;
      try (Setup s = setup(logdir, db, receiver.url(), clock)) {
        s.watcher().poll();
        s.worker().deliverDue();
        assertThat(receiver.received()).hasSize(1);
        first = receiver.received().get(0).id();
        // A month on, the delivered verdict and its outbox entry are pruned.
        clock.advanceMillis(MONTH.toMillis());
        s.store().prune(Retention.DEFAULT, clock.millis());
      }
      assertThat(ids(db, "verdicts")).isEmpty();
      assertThat(ids(db, "outbox")).isEmpty();

      // Plateau restarts; the job restarts from its checkpoint at step 40 and writes the same
      // curve again: the run is read again from its files' start and decided again.
      try (EventFileWriter w =
          EventFileWriter.create(logdir.resolve("exp/validation"), start + 200, "t", 1)) {
        w.sessionStart(40, start + 200);
        for (int t = 40; t < 130; t++) {
          w.simpleValue("val_loss", t, start + 200 + t, converging(t));
        }
      }
      try (Setup s = setup(logdir, db, receiver.url(), clock)) {
        Watcher.Round rewind = s.watcher().poll();
        Watcher.Round again = s.watcher().poll();
        assertThat(rewind.read().points() + again.read().points())
            .as("the run was read again")
            .isGreaterThanOrEqualTo(120 + 90);
        s.worker().deliverDue();
        assertThat(s.watcher().judge().experimentVerdicts().get(0).status().jsonName())
            .isEqualTo("converged");
      }
      // Read again, the run passed through training and converged again before a commit: no net
      // change, so nothing recorded or sent; and the pruned verdict's id is not sent again, which
      // it would be if pruning had lost the experiment's transition count.
      assertThat(receiver.received())
          .extracting(WebhookReceiver.Received::id)
          .containsOnlyOnce(first);
      assertThat(receiver.received()).hasSize(1);
      assertThat(ids(db, "verdicts")).doesNotContain(first);
      assertThat(ids(db, "outbox")).doesNotContain(first);
    }
  }

  @Test
  void daemonWithoutSinksPrunesOldVerdictsToo(@TempDir Path temp) throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    Path db = temp.resolve("state.db");
    FakeClock clock = FakeClock.atNow();
    double start = clock.millis() / 1000.0 - 500;
    try (StateStore store = StateStore.open(db, false, clock)) {
      FlagSink flags = new FlagSink(logdir, FlagConfig.defaults());
      Watcher watcher =
          new Watcher(
              logdir, PlateauConfig.defaults(), store, List.of(), flags::apply, clock, "test-host");
      watcher.restore();
      try (EventFileWriter w = EventFileWriter.create(logdir.resolve("exp"), start, "t", 0)) {
        for (int t = 0; t < 120; t++) {
          w.simpleValue("val_loss", t, start + t, converging(t));
        }
      }
      watcher.poll();
      assertThat(ids(db, "verdicts")).hasSize(1);
      clock.advanceMillis(MONTH.toMillis());

      // Flag files only: no delivery worker, and the verdict history is pruned all the same.
      try (RunningDaemon running = RunningDaemon.start(List.of(watcher), List.of())) {
        running.awaitUntil("the verdict pruned", () -> ids(db, "verdicts").isEmpty());
      }
      assertThat(ids(db, "verdicts")).as("a month-old verdict is pruned without sinks").isEmpty();
      assertThat(store.experiments().get("exp").transitions()).isEqualTo(1);
      assertThat(logdir.resolve("exp/CONVERGED")).exists();
    }
  }

  @Test
  void daemonPrunesFinishedDeliveriesBetweenRounds(@TempDir Path temp) throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    Path db = temp.resolve("state.db");
    FakeClock clock = FakeClock.atNow();
    double start = clock.millis() / 1000.0 - 500;
    try (WebhookReceiver receiver = new WebhookReceiver();
        Setup s = setup(logdir, db, receiver.url(), clock)) {
      try (EventFileWriter w = EventFileWriter.create(logdir.resolve("exp"), start, "t", 0)) {
        for (int t = 0; t < 120; t++) {
          w.simpleValue("val_loss", t, start + t, converging(t));
        }
      }
      s.watcher().poll();
      s.worker().deliverDue();
      assertThat(s.store().outboxCounts()).containsOnly(java.util.Map.entry("delivered", 1L));
      clock.advanceMillis(MONTH.toMillis());

      try (RunningDaemon running = RunningDaemon.start(List.of(s.watcher()), List.of(s.worker()))) {
        running.awaitUntil("the delivered entry pruned", () -> s.store().outboxCounts().isEmpty());
      }
      assertThat(s.store().outboxCounts()).as("the delivered entry is pruned").isEmpty();
      assertThat(ids(db, "verdicts")).as("a month-old verdict too").isEmpty();
      assertThat(s.store().experiments().get("exp").transitions()).isEqualTo(1);
      assertThat(receiver.received()).hasSize(1);
    }
  }
}
