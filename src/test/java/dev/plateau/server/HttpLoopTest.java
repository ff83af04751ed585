package dev.plateau.server;

import static dev.plateau.server.ClientSockets.assertClosedUnanswered;
import static dev.plateau.server.ClientSockets.stillOpenUnanswered;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.testing.FakeClock;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connection limits of a real server on loopback, with deadlines on a {@link FakeClock}: time
 * passes when the test says so, and the deadlines are checked every few milliseconds.
 */
class HttpLoopTest {
  static final String UNFINISHED = "GET /api/runs HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1\r\n";
  static final Duration CLOSED_WITHIN = Duration.ofSeconds(5);

  @TempDir Path temp;
  final FakeClock time = FakeClock.atNow();

  RunningServer server(int maxConnections) throws Exception {
    HttpLimits d = HttpLimits.DEFAULTS;
    HttpLimits limits =
        new HttpLimits(
            maxConnections,
            d.maxHeaderFields(),
            d.maxHeaderBytes(),
            d.maxRequestTime(),
            d.maxResponseTime(),
            d.idleTimeout(),
            d.renderThreads(),
            Duration.ofMillis(5));
    return new RunningServer(temp, temp.resolve("logs"), "127.0.0.1", null, limits, time.ticker());
  }

  /**
   * Two probes, one after the other: when the second is answered, the loop has been through a whole
   * turn (its deadline checks included) on the fake clock's present time.
   */
  static void aTurnHasPassed(int port) throws Exception {
    for (int i = 0; i < 2; i++) {
      assertThat(RawHttp.get(port, "/healthz").status()).isEqualTo(200);
    }
  }

  @Test
  void aConnectionWithoutAWholeRequestHeadAtTheRequestDeadlineIsClosedUnanswered()
      throws Exception {
    try (RunningServer running = server(64);
        SocketChannel partial = ClientSockets.open(running.port(), UNFINISHED);
        SocketChannel silent = ClientSockets.open(running.port(), "")) {
      aTurnHasPassed(running.port()); // both accepted: their time starts now
      Duration deadline = HttpLimits.DEFAULTS.maxRequestTime();
      time.advance(deadline.minusMillis(1));
      aTurnHasPassed(running.port());
      assertThat(stillOpenUnanswered(partial)).as("1 ms before the deadline").isTrue();
      assertThat(stillOpenUnanswered(silent)).as("1 ms before the deadline").isTrue();
      time.advance(Duration.ofMillis(1));
      assertClosedUnanswered(partial, CLOSED_WITHIN);
      assertClosedUnanswered(silent, CLOSED_WITHIN);
    }
  }

  @Test
  void aKeptAliveConnectionIsClosedAfterTheIdleTimeoutAndItsNextRequestHasTheRequestDeadline()
      throws Exception {
    try (RunningServer running = server(64);
        Socket idle = new Socket(InetAddress.getLoopbackAddress(), running.port());
        Socket slowNext = new Socket(InetAddress.getLoopbackAddress(), running.port())) {
      for (Socket s : List.of(idle, slowNext)) {
        s.getOutputStream().write(bytes("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
        assertThat(RawHttp.readOne(s).status()).isEqualTo(200);
      }
      time.advance(Duration.ofSeconds(1));
      // The next request starts: from its first byte it has the request time, not the idle time.
      slowNext.getOutputStream().write(bytes("GET /healthz HTTP/1.1\r\n"));
      aTurnHasPassed(running.port());
      time.advance(HttpLimits.DEFAULTS.idleTimeout().minusSeconds(1).minusMillis(1));
      aTurnHasPassed(running.port());
      assertThat(openNow(idle)).as("1 ms before the idle timeout").isTrue();
      slowNext.setSoTimeout((int) CLOSED_WITHIN.toMillis());
      assertThat(slowNext.getInputStream().read())
          .as("past its request time: closed")
          .isEqualTo(-1);
      time.advance(Duration.ofMillis(1));
      idle.setSoTimeout((int) CLOSED_WITHIN.toMillis());
      assertThat(idle.getInputStream().read()).as("past the idle timeout: closed").isEqualTo(-1);
    }
  }

  @Test
  void pipelinedRequestsOnOneConnectionAreAnsweredInOrder() throws Exception {
    try (RunningServer running = server(64);
        Socket s = new Socket(InetAddress.getLoopbackAddress(), running.port())) {
      s.getOutputStream()
          .write(
              bytes(
                  "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                      + "HEAD /api/runs HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                      + "GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
      assertThat(RawHttp.readOne(s).body()).isEqualTo("ok\n");
      RawHttp.Response head = RawHttp.readOne(s, true);
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.header("Content-Type")).contains("application/json");
      RawHttp.Response last = RawHttp.read(s);
      assertThat(last.body()).isEqualTo("first scan not done\n");
      assertThat(last.header("Connection")).contains("close");
      assertThat(last.closed()).isTrue();
    }
  }

  @Test
  void beyondTheConnectionLimitTheOldestUnfinishedRequestMakesRoomAndTheNewestIsAnswered()
      throws Exception {
    try (RunningServer running = server(4)) {
      List<SocketChannel> slow = new ArrayList<>();
      try {
        for (int i = 0; i < 4; i++) {
          slow.add(ClientSockets.open(running.port(), UNFINISHED)); // accepted in this order
        }
        assertThat(RawHttp.get(running.port(), "/healthz").status()).isEqualTo(200);
        assertClosedUnanswered(slow.get(0), CLOSED_WITHIN);
        for (SocketChannel younger : slow.subList(1, 4)) {
          assertThat(stillOpenUnanswered(younger)).isTrue();
        }
      } finally {
        for (SocketChannel c : slow) {
          c.close();
        }
      }
    }
  }

  @Test
  void anIdleKeptAliveConnectionMakesRoomBeforeAnOlderUnfinishedRequest() throws Exception {
    try (RunningServer running = server(3);
        SocketChannel older = ClientSockets.open(running.port(), UNFINISHED);
        Socket idle = new Socket(InetAddress.getLoopbackAddress(), running.port())) {
      byte[] request = bytes("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      idle.getOutputStream().write(request);
      assertThat(RawHttp.readOne(idle).status())
          .as("answered, so older (connected before) is accepted")
          .isEqualTo(200);
      time.advance(Duration.ofSeconds(1));
      idle.getOutputStream().write(request);
      assertThat(RawHttp.readOne(idle).status())
          .as("idle from a second after older began")
          .isEqualTo(200);
      SocketChannel younger = ClientSockets.open(running.port(), UNFINISHED);
      assertThat(RawHttp.get(running.port(), "/healthz").status()).isEqualTo(200);
      idle.setSoTimeout((int) CLOSED_WITHIN.toMillis());
      assertThat(idle.getInputStream().read()).as("the idle connection closed").isEqualTo(-1);
      assertThat(stillOpenUnanswered(older)).isTrue();
      assertThat(stillOpenUnanswered(younger)).isTrue();
      younger.close();
    }
  }

  /** Whether the server has not closed the socket (a 1 ms look, not a wait for anything). */
  static boolean openNow(Socket s) throws Exception {
    s.setSoTimeout(1);
    try {
      return s.getInputStream().read() >= 0;
    } catch (java.net.SocketTimeoutException nothingYet) {
      return true;
    }
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
