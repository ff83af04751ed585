package dev.plateau.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.daemon.Daemon;
import dev.plateau.daemon.Watcher;
import dev.plateau.detect.Status;
import dev.plateau.sink.Alert;
import dev.plateau.sink.AlertSink;
import dev.plateau.sink.DeliveryOutcome;
import dev.plateau.state.StateStore;
import dev.plateau.testing.LoopbackStatus;
import dev.plateau.write.EventFileWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The experiment page tells what became of its alerts, per sink, from the state's outbox. */
class ExperimentDeliveriesTest {
  /** A sink nobody delivers for (no worker runs): its alert stays pending. */
  private static final AlertSink UNSENT =
      new AlertSink() {
        @Override
        public String name() {
          return "hook<1>";
        }

        @Override
        public boolean accepts(Status status) {
          return true;
        }

        @Override
        public DeliveryOutcome deliver(Alert alert) {
          throw new AssertionError("no worker runs in this test");
        }
      };

  @Test
  void anExperimentsPageShowsEachSinksDeliveryOfItsAlerts(@TempDir Path temp) throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    Clock clock = Clock.systemUTC();
    double start = clock.millis() / 1000.0 - 130;
    try (EventFileWriter w =
        EventFileWriter.create(logdir.resolve("exp1/validation"), start, "h", 0)) {
      for (int t = 0; t < 120; t++) {
        w.simpleValue("val_loss", t, start + t, (float) (1 + 8 * Math.exp(-t / 8.0)));
      }
    }
    try (StateStore store = StateStore.open(temp.resolve("s.db"), false, clock)) {
      Watcher watcher = LoopbackStatus.watcher(logdir, store, List.of(UNSENT), clock);
      watcher.poll();
      watcher.poll();
      Daemon daemon = LoopbackStatus.daemon(watcher, List.of());
      try (StatusServer server =
          LoopbackStatus.server(daemon, store, Duration.ofSeconds(5), clock)) {
        String page =
            StatusServerTest.get(server.address(), ExperimentPage.link(0, "exp1"), "GET").body();
        assertThat(page)
            .contains("<table class=\"deliveries\">")
            .contains("<td>converged</td><td>hook&lt;1&gt;</td><td>pending</td><td>0</td>");
        String other =
            StatusServerTest.get(server.address(), ExperimentPage.link(0, "nobody"), "GET").body();
        assertThat(other).doesNotContain("deliveries\">");
      }
    }
  }
}
