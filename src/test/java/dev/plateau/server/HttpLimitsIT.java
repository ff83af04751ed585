package dev.plateau.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The limits of {@link HttpLimits#DEFAULTS} as a real {@code plateau watch} process enforces them,
 * probed with real sockets: too many header fields or header bytes are answered 431 (a request line
 * too long 414) and the connection closed, and clients that send their request slowly, or nothing
 * at all, are cut off unanswered while the probes are still answered.
 */
class HttpLimitsIT {
  @TempDir static Path temp;
  static Process watch;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    watch =
        new ProcessBuilder(
                java,
                "-jar",
                System.getProperty("plateau.jar", "target/plateau.jar"),
                "watch",
                logdir.toString(),
                "--state-dir",
                temp.resolve("state").toString(),
                "--http",
                "127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(temp.resolve("watch.log").toFile())
            .start();
    try {
      await("the daemon answering /healthz")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .ignoreExceptionsInstanceOf(IOException.class)
          .until(() -> RawHttp.get(port, "/healthz").status() == 200);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "no answer; plateau watch said:\n" + Files.readString(temp.resolve("watch.log")), e);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    watch.destroy();
    assertThat(watch.waitFor(20, TimeUnit.SECONDS)).isTrue();
  }

  static String headers(int count, String name) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < count; i++) {
      out.append(name).append(name.endsWith("-") ? Integer.toString(i) : "").append(": v\r\n");
    }
    return out.toString();
  }

  static RawHttp.Response getWith(String extraHeaders) throws IOException {
    return RawHttp.send(
        port,
        "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + extraHeaders
            + "Connection: close\r\n\r\n");
  }

  @Test
  void tooManyHeaderFieldsAre431AndEndTheConnection() throws Exception {
    int limit = HttpLimits.DEFAULTS.maxHeaderFields();
    assertThat(getWith(headers(limit - 5, "X-Field-")).status())
        .as("under the limit")
        .isEqualTo(200);
    RawHttp.Response over = getWith(headers(limit + 10, "X-Field-"));
    assertThat(over.status()).as("over the limit").isEqualTo(431);
    assertThat(over.closed()).isTrue();
    // One name repeated counts once per line.
    assertThat(getWith(headers(limit + 10, "X-Same")).status())
        .as("one name, many lines")
        .isEqualTo(431);
  }

  @Test
  void tooManyHeaderBytesAre431AndAHugeRequestLine414() throws Exception {
    int limit = HttpLimits.DEFAULTS.maxHeaderBytes();
    assertThat(getWith("X-Big: " + "a".repeat(limit / 2) + "\r\n").status()).isEqualTo(200);
    RawHttp.Response big = getWith("X-Big: " + "a".repeat(limit + 100) + "\r\n");
    assertThat(big.status()).as("one huge field").isEqualTo(431);
    assertThat(big.closed()).isTrue();
    String longTarget =
        "GET /healthz?" + "q".repeat(limit + 100) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    assertThat(RawHttp.send(port, longTarget).status()).as("a huge request line").isEqualTo(414);
  }

  /**
   * Twelve clients each send a request one header line every half second, more connections than a
   * small handler pool has threads; one more connects and sends nothing. While they hang on, the
   * health probe is answered at once; each is cut off about {@code maxRequestTime} after it
   * started, never answered.
   */
  @Test
  void slowAndSilentClientsAreCutOffWhileProbesAreStillAnswered() throws Exception {
    long limitMillis = HttpLimits.DEFAULTS.maxRequestTime().toMillis();
    ExecutorService pool = Executors.newCachedThreadPool();
    try {
      List<Future<long[]>> slow = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        slow.add(pool.submit(() -> trickle(500)));
      }
      Future<long[]> silent = pool.submit(() -> trickle(0));
      Thread.sleep(1_500);
      for (int i = 0; i < 3; i++) {
        long start = System.nanoTime();
        assertThat(RawHttp.get(port, "/healthz").status()).isEqualTo(200);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
            .as("a probe is not held up by the slow clients (that would take the full 10 s)")
            .isLessThan(5_000);
        Thread.sleep(1_000);
      }
      List<Future<long[]>> all = new ArrayList<>(slow);
      all.add(silent);
      for (Future<long[]> f : all) {
        long[] result = f.get(60, TimeUnit.SECONDS);
        assertThat(result[1]).as("answered bytes").isZero();
        assertThat(result[0])
            .as("cut off after " + result[0] + " ms")
            .isBetween(limitMillis - 1_000, limitMillis + 5_000);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Connects and sends the start of a request, then one header line every {@code everyMillis}
   * (nothing at all when 0), until the server closes the connection. Returns how long that took in
   * ms and how many bytes the server sent back.
   */
  static long[] trickle(long everyMillis) throws IOException, InterruptedException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      long start = System.nanoTime();
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      socket.setSoTimeout(everyMillis == 0 ? 30_000 : (int) everyMillis);
      if (everyMillis > 0) {
        out.write(
            "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
      long answered = 0;
      for (int line = 0; line < 120; line++) {
        try {
          int b = in.read();
          if (b < 0) {
            break;
          }
          answered++;
        } catch (SocketTimeoutException stillOpen) {
          try {
            out.write(("X-Slow-" + line + ": v\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
          } catch (IOException closed) {
            break;
          }
        } catch (IOException reset) {
          break;
        }
      }
      return new long[] {TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), answered};
    }
  }
}
