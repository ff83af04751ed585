package dev.plateau.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * {@code plateau watch} as a real process ({@code target/plateau.jar}), its standard error read
 * through a pipe (not a file, so that a file-size limit on the process cannot cut what it says),
 * and its HTTP endpoints on a free loopback port.
 */
final class WatchProcess implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  final int port;
  private final Process process;
  private final StringBuffer output = new StringBuffer();
  private final Thread reader;

  private WatchProcess(ProcessBuilder builder, int port) throws IOException {
    this.port = port;
    this.process = builder.redirectErrorStream(true).start();
    this.reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  output.append(line).append('\n');
                }
              } catch (IOException closed) {
                // The process is gone; what it said is kept.
              }
            },
            "watch-output");
    reader.start();
  }

  /**
   * The command line: {@code prefix} (e.g. {@code setpriv ...}), then {@code java -jar plateau.jar
   * watch LOGDIR --state-dir STATE --poll-interval 100ms --http 127.0.0.1:PORT} and {@code more}.
   */
  static ProcessBuilder command(
      List<String> prefix, Path logdir, Path state, int port, String... more) {
    List<String> command = new ArrayList<>(prefix);
    command.addAll(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar",
            System.getProperty("plateau.jar", "target/plateau.jar"),
            "watch",
            logdir.toString(),
            "--state-dir",
            state.toString(),
            "--poll-interval",
            "100ms",
            "--http",
            "127.0.0.1:" + port));
    command.addAll(List.of(more));
    return new ProcessBuilder(command);
  }

  /** Starts {@code plateau watch} on a free port. */
  static WatchProcess start(List<String> prefix, Path logdir, Path state, String... more)
      throws IOException {
    int port = freePort();
    return new WatchProcess(command(prefix, logdir, state, port, more), port);
  }

  /** Starts a process built by {@link #command} (to set its environment first). */
  static WatchProcess start(ProcessBuilder builder, int port) throws IOException {
    return new WatchProcess(builder, port);
  }

  static int freePort() throws IOException {
    try (ServerSocket free = new ServerSocket(0)) {
      return free.getLocalPort();
    }
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Everything the process has written so far (standard error and output). */
  String output() {
    return output.toString();
  }

  /** The lines of the output that contain {@code text}. */
  List<String> lines(String text) {
    return output().lines().filter(l -> l.contains(text)).toList();
  }

  /** Waits for the process to exit on its own; returns its exit code. */
  int awaitExit() throws InterruptedException {
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("plateau watch did not exit:\n" + output());
    }
    reader.join(10_000);
    return process.exitValue();
  }

  /** Asks the process to stop (SIGTERM) and returns its exit code. */
  int stop() throws InterruptedException {
    process.destroy();
    return awaitExit();
  }

  /**
   * Waits until {@code condition} holds, failing with the process's output when it does not within
   * a minute or the process exits first.
   */
  void await(String what, BooleanSupplier condition) {
    try {
      Awaitility.await(what)
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(50))
          .failFast("plateau watch exited", () -> !process.isAlive() && !condition.getAsBoolean())
          .until(condition::getAsBoolean);
    } catch (ConditionTimeoutException | TerminalFailureException e) {
      throw new AssertionError("not reached: " + what + "; plateau watch said:\n" + output(), e);
    }
  }

  /** The HTTP status of a GET, or -1 while nothing answers. */
  int status(String path) {
    try {
      return HTTP.send(request(path), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException notYet) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The text of a GET. */
  String get(String path) throws IOException, InterruptedException {
    return HTTP.send(request(path), HttpResponse.BodyHandlers.ofString()).body();
  }

  /**
   * The daemon's rounds so far ({@code plateau_rounds_total} of /metrics), or -1 before it answers.
   */
  long rounds() {
    return metric("plateau_rounds_total");
  }

  /**
   * The value of a metric without labels from /metrics (e.g. {@code plateau_outbox_pending}), or -1
   * before it answers.
   */
  long metric(String name) {
    try {
      for (String line : get("/metrics").split("\n")) {
        if (line.startsWith(name + " ")) {
          return (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
    return -1;
  }

  /**
   * A series' verdict from {@code /api/runs} (its {@code points}, {@code last_step}, {@code status}
   * ...), or a missing node while the run or series is not there.
   */
  JsonNode series(String run, String tag) {
    try {
      for (JsonNode r : JSON.readTree(get("/api/runs")).path("logdirs").path(0).path("runs")) {
        if (r.path("run").asText().equals(run)) {
          for (JsonNode s : r.path("series")) {
            if (s.path("tag").asText().equals(tag)) {
              return s;
            }
          }
        }
      }
    } catch (IOException notYet) {
      // Not serving yet.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return JSON.missingNode();
  }

  private HttpRequest request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5))
        .build();
  }

  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
      reader.join(10_000);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
