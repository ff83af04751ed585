package dev.plateau.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The image's health probe ({@code docker/healthcheck}, run by bash as the HEALTHCHECK runs it)
 * against real sockets on loopback: healthy only on a 200 status line, and never waiting longer
 * than its limit for one. ({@code DockerEntrypointIT} runs it against the daemon itself.)
 */
class HealthProbeTest {
  record Probe(int exit, String err, long millis) {}

  static Probe probe(String... args) throws Exception {
    return probe(Map.of(), args);
  }

  /**
   * The probe run with {@code environment} over the test's own (which has no PLATEAU_ variables).
   */
  static Probe probe(Map<String, String> environment, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "/bin/bash",
                ImageJvmOptions.source(Path.of("Dockerfile"), "/opt/plateau/bin/healthcheck")
                    .toString()));
    command.addAll(List.of(args));
    long start = System.nanoTime();
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.startsWith("PLATEAU_"));
    builder.environment().putAll(environment);
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    return new Probe(p.exitValue(), out, (System.nanoTime() - start) / 1_000_000);
  }

  /**
   * A server on loopback that reads each request's head and answers it with {@code response} (null:
   * never answers, and never closes).
   */
  static ServerSocket serving(String response) throws IOException {
    ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
    Thread t =
        new Thread(
            () -> {
              List<Socket> open = new ArrayList<>();
              while (!server.isClosed()) {
                try {
                  Socket s = server.accept();
                  open.add(s);
                  if (response != null) {
                    readHead(s);
                    OutputStream out = s.getOutputStream();
                    out.write(response.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    s.close();
                  }
                } catch (IOException closed) {
                  return;
                }
              }
            });
    t.setDaemon(true);
    t.start();
    return server;
  }

  /** Reads a request up to the blank line that ends its head. */
  static void readHead(Socket s) throws IOException {
    var in = s.getInputStream();
    int matched = 0;
    byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    while (matched < end.length) {
      int b = in.read();
      if (b < 0) {
        return;
      }
      matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
    }
  }

  @Test
  void aTwoHundredIsHealthy() throws Exception {
    try (ServerSocket server = serving("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n")) {
      assertThat(probe(Integer.toString(server.getLocalPort())).exit()).isZero();
    }
  }

  @Test
  void withoutAPortTheProbeFindsTheDaemonWherePlateauHttpAddressPutIt() throws Exception {
    try (ServerSocket server = serving("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n")) {
      int port = server.getLocalPort();
      for (String address : List.of("0.0.0.0:" + port, ":" + port, Integer.toString(port))) {
        assertThat(probe(Map.of("PLATEAU_HTTP_ADDRESS", address)).exit())
            .as("PLATEAU_HTTP_ADDRESS=" + address)
            .isZero();
      }
    }
  }

  @Test
  void anotherStatusIsUnhealthyAndNamed() throws Exception {
    try (ServerSocket server = serving("HTTP/1.1 503 Service Unavailable\r\n\r\n")) {
      Probe probe = probe(Integer.toString(server.getLocalPort()), "/readyz");
      assertThat(probe.exit()).isEqualTo(1);
      assertThat(probe.err()).contains("/readyz").contains("503 Service Unavailable");
    }
  }

  @Test
  void aServerThatNeverAnswersIsUnhealthyWithinTheLimit() throws Exception {
    try (ServerSocket server = serving(null)) {
      Probe probe = probe(Integer.toString(server.getLocalPort()), "/healthz", "1");
      assertThat(probe.exit()).isEqualTo(1);
      assertThat(probe.err()).contains("no answer");
      assertThat(probe.millis()).isLessThan(5_000);
    }
  }

  @Test
  void nothingListeningIsUnhealthy() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    Probe probe = probe(Integer.toString(port));
    assertThat(probe.exit()).isEqualTo(1);
    assertThat(probe.err()).contains("nothing listens on 127.0.0.1:" + port);
  }
}
