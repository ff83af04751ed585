package dev.plateau.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.plateau.config.PlateauConfig;
import dev.plateau.sink.AlertSink;
import dev.plateau.sink.RetryPolicy;
import dev.plateau.sink.Secret;
import dev.plateau.sink.SinkSettings;
import dev.plateau.sink.WebhookSink;
import dev.plateau.state.StateStore;
import dev.plateau.testing.RunningDaemon;
import dev.plateau.write.EventFileWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A receiver that hangs delays only its own queue: reading, flags and other sinks go on. */
class SlowReceiverTest {
  @Test
  void hangingReceiverDelaysNeitherReadingNorTheOtherSink(@TempDir Path temp) throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    CountDownLatch release = new CountDownLatch(1);
    HttpServer hanging =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    hanging.createContext(
        "/",
        exchange -> {
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    hanging.start();
    Clock clock = Clock.systemUTC();
    try (WebhookReceiver fast = new WebhookReceiver();
        StateStore store = StateStore.open(temp.resolve("state.db"), false, clock)) {
      AlertSink slow =
          new WebhookSink(
              SinkSettings.of(
                      "slow",
                      Secret.fromValue("http://127.0.0.1:" + hanging.getAddress().getPort() + "/"))
                  .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(60)),
              null,
              clock);
      AlertSink quick =
          new WebhookSink(SinkSettings.of("quick", Secret.fromValue(fast.url())), null, clock);
      Watcher watcher =
          new Watcher(
              logdir,
              PlateauConfig.defaults(),
              store,
              List.of(slow, quick),
              FlagApplier.NONE,
              clock,
              "h");
      watcher.restore();
      try (RunningDaemon running =
          RunningDaemon.start(
              List.of(watcher),
              List.of(
                  new DeliveryWorker(slow, store, RetryPolicy.DEFAULT, clock),
                  new DeliveryWorker(quick, store, RetryPolicy.DEFAULT, clock)))) {
        double start = clock.millis() / 1000.0 - 100;
        try (EventFileWriter w = EventFileWriter.create(logdir.resolve("a"), start, "h", 0)) {
          for (int t = 0; t < 120; t++) {
            w.simpleValue("val_loss", t, start + t, (float) (1 + 8 * Math.exp(-t / 8.0)));
          }
        }
        running.awaitUntil("the quick sink's delivery", () -> !fast.received().isEmpty());
        assertThat(fast.received())
            .as("the quick sink is not held up by the hanging one")
            .hasSize(1);
        running.awaitMoreRounds(3); // reading goes on
        assertThat(store.outboxCounts().get("pending"))
            .as("the slow sink's entry waits")
            .isEqualTo(1L);
        release.countDown();
      }
    } finally {
      release.countDown();
      hanging.stop(0);
    }
  }
}
