package dev.plateau.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.config.PlateauConfig;
import dev.plateau.detect.Status;
import dev.plateau.sink.FlagConfig;
import dev.plateau.sink.FlagSink;
import dev.plateau.sink.RetryPolicy;
import dev.plateau.sink.Secret;
import dev.plateau.sink.SinkSettings;
import dev.plateau.sink.WebhookSink;
import dev.plateau.state.StateStore;
import dev.plateau.testing.FakeClock;
import dev.plateau.write.EventFileWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watcher over real files, a real state database, real flag files and a real receiver. */
class WatcherTest {
  static final Clock CLOCK = Clock.systemUTC();

  static void write(EventFileWriter w, int from, int to, double start) throws Exception {
    for (int t = from; t < to; t++) {
      w.simpleValue("val_loss", t, start + t, (float) (1 + 8 * Math.exp(-t / 8.0)));
    }
    w.flush();
  }

  record Setup(StateStore store, Watcher watcher, DeliveryWorker worker) implements AutoCloseable {
    @Override
    public void close() {
      store.close();
    }
  }

  static Setup setup(Path logdir, Path db, String url) throws Exception {
    return setup(logdir, db, url, CLOCK);
  }

  static Setup setup(Path logdir, Path db, String url, Clock clock) throws Exception {
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
            Duration.ofMillis(1), 1, Duration.ofMillis(1), Integer.MAX_VALUE, Duration.ofHours(1));
    return new Setup(store, watcher, new DeliveryWorker(sink, store, fast, clock));
  }

  @Test
  void convergedRunGetsItsFlagAndOneDeliveryAndARestartRepeatsNothing(@TempDir Path temp)
      throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    Path db = temp.resolve("state.db");
    double start = CLOCK.millis() / 1000.0 - 200;
    try (WebhookReceiver receiver = new WebhookReceiver();
        EventFileWriter w =
            EventFileWriter.create(logdir.resolve("exp/validation"), start, "t", 0)) {
      write(w, 0, 20, start);
      try (Setup s = setup(logdir, db, receiver.url())) {
        Watcher.Round first = s.watcher().poll();
        assertThat(first.read().points()).isEqualTo(20);
        assertThat(Files.exists(logdir.resolve("exp/CONVERGED"))).isFalse();
        write(w, 20, 120, start);
        s.watcher().poll();
        s.worker().deliverDue();
      }
      assertThat(logdir.resolve("exp/CONVERGED")).exists();
      assertThat(Files.readString(logdir.resolve("exp/CONVERGED")))
          .contains(
              "\"status\" : \"converged\"", "\"experiment\" : \"exp\"", "\"host\" : \"test-host\"");
      assertThat(receiver.received()).hasSize(1);
      assertThat(receiver.received().get(0).json().get("status").asText()).isEqualTo("converged");
      String id = receiver.received().get(0).id();

      // Restart: resumes at the stored offsets; the verdict is not recorded or sent again.
      write(w, 120, 130, start);
      try (Setup s = setup(logdir, db, receiver.url())) {
        Watcher.Round round = s.watcher().poll();
        assertThat(round.read().points()).as("only the new points are read").isEqualTo(10);
        assertThat(s.worker().deliverDue()).isZero();
        assertThat(s.store().outboxCounts())
            .containsEntry("delivered", 1L)
            .doesNotContainKey("pending");
      }
      assertThat(receiver.received()).extracting(WebhookReceiver.Received::id).containsExactly(id);
    }
  }

  @Test
  void receiverDownForAWhileGetsTheVerdictOnceItIsBack(@TempDir Path temp) throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    FakeClock clock = FakeClock.atNow();
    double start = clock.millis() / 1000.0 - 200;
    try (WebhookReceiver receiver = new WebhookReceiver();
        EventFileWriter w = EventFileWriter.create(logdir.resolve("run1"), start, "t", 0);
        Setup s = setup(logdir, temp.resolve("state.db"), receiver.url(), clock)) {
      write(w, 0, 120, start);
      receiver.status.set(503);
      s.watcher().poll();
      s.worker().deliverDue();
      assertThat(receiver.received()).isEmpty();
      assertThat(s.store().pendingCount()).isEqualTo(1);
      receiver.status.set(200);
      clock.advanceMillis(5); // the fast retry policy's 1 ms backoff
      s.worker().deliverDue();
      assertThat(receiver.received()).hasSize(1);
      assertThat(s.store().pendingCount()).isZero();
    }
  }

  @Test
  void restartedWatcherRebuildsFlagsFromCommittedStatuses(@TempDir Path temp) throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    Path db = temp.resolve("state.db");
    double start = CLOCK.millis() / 1000.0 - 200;
    try (WebhookReceiver receiver = new WebhookReceiver();
        EventFileWriter w = EventFileWriter.create(logdir.resolve("run1"), start, "t", 0)) {
      write(w, 0, 120, start);
      try (Setup s = setup(logdir, db, receiver.url())) {
        s.watcher().poll();
      }
      // A crash after the commit but before the flag (or someone deleted it): restore writes it.
      Files.delete(logdir.resolve("run1/CONVERGED"));
      try (Setup s = setup(logdir, db, receiver.url())) {
        assertThat(logdir.resolve("run1/CONVERGED")).exists();
        assertThat(
                s.watcher().judge().experimentVerdicts().isEmpty()
                    || s.watcher().judge().experimentVerdicts().get(0).status() == Status.CONVERGED)
            .isTrue();
      }
    }
  }

  @Test
  void trainingRestartIntoHistoryReadBeforeAPlateauRestartRereadsTheRun(@TempDir Path temp)
      throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    Path db = temp.resolve("state.db");
    double start = CLOCK.millis() / 1000.0 - 500;
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      try (EventFileWriter w = EventFileWriter.create(logdir.resolve("run1"), start, "t", 0)) {
        write(w, 0, 60, start);
      }
      try (Setup s = setup(logdir, db, receiver.url())) {
        s.watcher().poll();
      }
      // Plateau restarted; then the job restarts from step 30 in a new file with other values.
      try (EventFileWriter w =
          EventFileWriter.create(logdir.resolve("run1"), start + 100, "t", 1)) {
        for (int t = 30; t < 200; t++) {
          w.simpleValue("val_loss", t, start + 100 + t, (float) (3 + 6 * Math.exp(-t / 8.0)));
        }
      }
      try (Setup s = setup(logdir, db, receiver.url())) {
        Watcher.Round first = s.watcher().poll();
        Watcher.Round second = s.watcher().poll();
        // The run is read again from its files' start: both files' points.
        assertThat(first.read().points() + second.read().points()).isGreaterThanOrEqualTo(60 + 170);
        var verdict = s.watcher().judge().judgeOf("run1", "val_loss").verdict();
        assertThat(verdict.lastStep()).isEqualTo(199);
        assertThat(verdict.points())
            .as("the kept series: steps 0..29, then 30..199")
            .isEqualTo(200);
        var series = s.watcher().judge().runs().get("run1").byTag().get("val_loss");
        assertThat(series.size()).isEqualTo(200);
        int at30 = series.firstIndexAtOrAfter(30);
        assertThat(series.value(at30))
            .as("step 30 holds the restarted attempt's value")
            .isCloseTo(3 + 6 * Math.exp(-30 / 8.0), org.assertj.core.data.Offset.offset(1e-5));
        assertThat(series.value(at30 - 1))
            .as("step 29 the first attempt's")
            .isCloseTo(1 + 8 * Math.exp(-29 / 8.0), org.assertj.core.data.Offset.offset(1e-5));
      }
    }
  }

  @Test
  void longRunKeepsBoundedHistoryAndAJobRestartFarBackIsJudgedAsIfEveryPointWereKept(
      @TempDir Path temp) throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    Path db = temp.resolve("state.db");
    double start = CLOCK.millis() / 1000.0 - 5000;
    java.util.Random noise = new java.util.Random(17);
    var reference =
        new dev.plateau.verdict.LogdirJudge(
            PlateauConfig.defaults().detection(),
            new dev.plateau.verdict.VerdictListener() {
              @Override
              public void seriesTransition(
                  dev.plateau.detect.Verdict p, dev.plateau.detect.Verdict c) {}

              @Override
              public void experimentTransition(
                  dev.plateau.verdict.ExperimentVerdict p,
                  dev.plateau.verdict.ExperimentVerdict c) {}
            });
    try (WebhookReceiver receiver = new WebhookReceiver();
        Setup s = setup(logdir, db, receiver.url())) {
      try (EventFileWriter w = EventFileWriter.create(logdir.resolve("run1"), start, "t", 0)) {
        for (int round = 0; round < 10; round++) {
          for (int t = round * 100; t < (round + 1) * 100; t++) {
            float v = (float) (0.5 + 4 / Math.sqrt(1 + t / 3.0) + 0.02 * noise.nextGaussian());
            w.simpleValue("val_loss", t, start + t, v);
            reference.observe(
                new dev.plateau.series.ScalarPoint("run1", "f0", "val_loss", t, start + t, v));
          }
          w.flush();
          s.watcher().poll();
          var kept = s.watcher().judge().runs().get("run1").byTag().get("val_loss");
          assertThat(kept.size()).isLessThanOrEqualTo(Watcher.HISTORY_POINTS);
        }
      }
      // The job restarts from its checkpoint at step 300, far before the points still kept.
      try (EventFileWriter w =
          EventFileWriter.create(logdir.resolve("run1"), start + 2000, "t", 1)) {
        for (int t = 300; t < 700; t++) {
          float v = (float) (0.3 + 2 / Math.sqrt(1 + t / 3.0) + 0.02 * noise.nextGaussian());
          w.simpleValue("val_loss", t, start + 2000 + t, v);
          reference.observe(
              new dev.plateau.series.ScalarPoint("run1", "f1", "val_loss", t, start + 2000 + t, v));
        }
      }
      s.watcher().poll(); // sees the rewind, asks for the run again
      s.watcher().poll(); // reads both files again, every point kept while it does
      var verdict = s.watcher().judge().judgeOf("run1", "val_loss").verdict();
      var expected = reference.judgeOf("run1", "val_loss").verdict();
      assertThat(verdict.lastStep()).isEqualTo(699);
      assertThat(verdict.points()).isEqualTo(expected.points()).isEqualTo(700);
      assertThat(verdict.status()).isEqualTo(expected.status());
      assertThat(verdict.bestStep()).isEqualTo(expected.bestStep());
      assertThat(verdict.reason()).isEqualTo(expected.reason());
      assertThat(s.watcher().judge().runs().get("run1").byTag().get("val_loss").size())
          .as("bounded again once the run was read")
          .isLessThanOrEqualTo(Watcher.HISTORY_POINTS);
    }
  }

  @Test
  void firstFileOfARunReplacedByACopyLosesNoPointOfTheLaterFiles(@TempDir Path temp)
      throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    double start = CLOCK.millis() / 1000.0 - 500;
    Path run = logdir.resolve("run1");
    try (EventFileWriter w = EventFileWriter.create(run, start, "t", 0)) {
      write(w, 0, 10, start);
    }
    try (EventFileWriter w = EventFileWriter.create(run, start + 100, "t", 1)) {
      write(w, 10, 20, start);
    }
    try (WebhookReceiver receiver = new WebhookReceiver();
        Setup s = setup(logdir, temp.resolve("state.db"), receiver.url())) {
      s.watcher().poll();
      assertThat(s.watcher().judge().judgeOf("run1", "val_loss").verdict().points()).isEqualTo(20);
      // A sync tool replaces the first file by an identical copy (a new inode).
      Path first;
      try (var files = Files.list(run)) {
        first = files.sorted().findFirst().orElseThrow();
      }
      Path copy = temp.resolve("copy");
      Files.copy(first, copy);
      Files.move(copy, first, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      s.watcher().poll();
      s.watcher().poll();
      var verdict = s.watcher().judge().judgeOf("run1", "val_loss").verdict();
      assertThat(verdict.points()).as("both files' points, once each").isEqualTo(20);
      assertThat(verdict.lastStep()).isEqualTo(19);
    }
  }

  @Test
  void aRunToReadAgainIsReadAtOnceAndTheLogdirIsNotReadyBeforeIt(@TempDir Path temp)
      throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    double start = CLOCK.millis() / 1000.0 - 2000;
    Path run = logdir.resolve("run1");
    // More points than a watched series keeps, then a second file that starts again at step 0
    // (a job restarted from scratch in the same directory): a rewind into points not kept.
    try (EventFileWriter w = EventFileWriter.create(run, start, "t", 0)) {
      write(w, 0, 600, start);
    }
    try (EventFileWriter w = EventFileWriter.create(run, start + 1000, "t", 1)) {
      write(w, 0, 300, start + 1000);
    }
    try (WebhookReceiver receiver = new WebhookReceiver();
        Setup s = setup(logdir, temp.resolve("state.db"), receiver.url())) {
      DaemonMetrics metrics = new DaemonMetrics();
      s.watcher().metrics(metrics);
      Watcher.Round first = s.watcher().poll();
      assertThat(first.readAgain()).isTrue();
      assertThat(metrics.ready()).as("ready before the run was read again").isFalse();
      Watcher.Round second = s.watcher().poll();
      assertThat(second.readAgain()).isFalse();
      assertThat(metrics.ready()).isTrue();
      var verdict = s.watcher().judge().judgeOf("run1", "val_loss").verdict();
      assertThat(verdict.points())
          .as("the second file's points replace the first's")
          .isEqualTo(300);
      assertThat(verdict.lastStep()).isEqualTo(299);
    }
  }

  @Test
  void aRoundWokenByEventsReadsOnlyTheDirectoriesThatGrewUntilAWholePollIsAskedFor(
      @TempDir Path temp) throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    double start = CLOCK.millis() / 1000.0 - 2000;
    Path a = logdir.resolve("a");
    Path b = logdir.resolve("b");
    java.util.ArrayDeque<dev.plateau.tail.ChangeWatcher.Changes> told =
        new java.util.ArrayDeque<>();
    try (WebhookReceiver receiver = new WebhookReceiver();
        EventFileWriter wa = EventFileWriter.create(a, start, "t", 0);
        EventFileWriter wb = EventFileWriter.create(b, start, "t", 1);
        Setup s = setup(logdir, temp.resolve("state.db"), receiver.url())) {
      s.watcher()
          .changes(
              () ->
                  told.isEmpty()
                      ? new dev.plateau.tail.ChangeWatcher.Changes(false, java.util.Set.of())
                      : told.poll());
      write(wa, 0, 10, start);
      write(wb, 0, 10, start);
      assertThat(s.watcher().pollChanged().read().points())
          .as("the first round is whole")
          .isEqualTo(20);

      write(wa, 10, 15, start);
      write(wb, 10, 17, start);
      told.add(
          new dev.plateau.tail.ChangeWatcher.Changes(false, java.util.Set.of(a.toAbsolutePath())));
      Watcher.Round grown = s.watcher().pollChanged();
      assertThat(grown.read().points()).as("only run a's directory was named").isEqualTo(5);
      assertThat(s.watcher().judge().judgeOf("b", "val_loss").verdict().lastStep()).isEqualTo(9);

      // A new file (or anything the change watcher cannot name a directory for): whole poll.
      try (EventFileWriter wc = EventFileWriter.create(logdir.resolve("c"), start, "t", 2)) {
        write(wc, 0, 3, start);
      }
      told.add(new dev.plateau.tail.ChangeWatcher.Changes(true, java.util.Set.of()));
      assertThat(s.watcher().pollChanged().read().points()).isEqualTo(7 + 3);
      assertThat(s.watcher().judge().judgeOf("b", "val_loss").verdict().lastStep()).isEqualTo(16);

      // Nothing named: nothing read, and nothing lost (the next whole poll reads it).
      write(wb, 17, 20, start);
      assertThat(s.watcher().pollChanged().read().points()).isZero();
      assertThat(s.watcher().poll().read().points()).isEqualTo(3);
    }
  }
}
