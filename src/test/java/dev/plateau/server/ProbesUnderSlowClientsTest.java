package dev.plateau.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The health probes under a slowloris attack, on a server with the default limits: far more slow
 * connections than the server holds at once, on real loopback sockets.
 */
class ProbesUnderSlowClientsTest {
  static final int SLOW_CLIENTS = 200;

  @Test
  void probesAreAnsweredWhileTwoHundredReconnectingClientsDribbleTheirHeaders(@TempDir Path temp)
      throws Exception {
    try (RunningServer running = new RunningServer(temp, temp.resolve("logs"), "127.0.0.1", null);
        SlowClients slow = new SlowClients(running.port(), SLOW_CLIENTS, true)) {
      int port = running.port();
      int readyStatus = running.daemon.metrics().ready() ? 200 : 503;
      long slowest = 0;
      for (int round = 0; round < 15; round++) {
        slow.dribble();
        for (String probe : new String[] {"/healthz", "/readyz"}) {
          long start = System.nanoTime();
          RawHttp.Response r = RawHttp.get(port, probe);
          slowest = Math.max(slowest, System.nanoTime() - start);
          assertThat(r.status())
              .as(
                  "%s in round %d, %d slow connections closed by the server so far",
                  probe, round, slow.closedByServer())
              .isEqualTo(probe.equals("/healthz") ? 200 : readyStatus);
        }
      }
      assertThat(TimeUnit.NANOSECONDS.toMillis(slowest))
          .as("the slowest probe, ms")
          .isLessThan(2_000);
      assertThat(slow.closedByServer())
          .as("slow connections shed: there were more than the server holds")
          .isGreaterThanOrEqualTo(SLOW_CLIENTS - HttpLimits.DEFAULTS.maxConnections());
    }
  }
}
