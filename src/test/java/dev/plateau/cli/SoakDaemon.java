package dev.plateau.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One {@code plateau watch} process of the soak test, started from {@code target/plateau.jar} with
 * the JVM options of the container image (read from the Dockerfile's ENTRYPOINT), its output in its
 * own log file, and what Linux says about it: resident memory and its high-water mark ({@code
 * /proc/PID/status}), open descriptors ({@code /proc/PID/fd}), and its own {@code
 * plateau_outbox_pending} metric.
 */
final class SoakDaemon {
  /**
   * One look at the process.
   *
   * @param rssKb VmRSS
   * @param peakRssKb VmHWM, the most it was resident at any time so far
   * @param fds open descriptors
   * @param outboxPending plateau_outbox_pending, or -1 when /metrics did not answer
   */
  record Sample(long atNanos, long rssKb, long peakRssKb, int fds, long outboxPending) {}

  private static final Pattern PENDING =
      Pattern.compile("(?m)^plateau_outbox_pending(?:\\{[^}]*\\})? ([0-9.eE+]+)$");

  final int index;
  final Path log;
  private final Process process;
  private final int port;
  private final List<Sample> samples = new ArrayList<>();
  final long startedNanos = System.nanoTime();
  private volatile long readyNanos = -1;
  private volatile long endedNanos = Long.MAX_VALUE;
  private volatile boolean killed;

  private SoakDaemon(int index, Process process, int port, Path log) {
    this.index = index;
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts {@code plateau watch LOGDIR --state-dir STATE --config CONFIG --webhook URL --http ...}
   * followed by {@code options}.
   */
  static SoakDaemon start(
      int index,
      Path jar,
      List<String> jvmOptions,
      Path logdir,
      Path state,
      Path config,
      String url,
      List<String> options,
      Path log)
      throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    List<String> command = new ArrayList<>();
    command.add(
        dev.plateau.daemon.ImageJvmOptions.javaOrSkip().toString()); // the image's Java version
    command.addAll(jvmOptions); // the image's, its /state volume mapped to the state dir
    command.addAll(
        List.of(
            "-jar",
            jar.toString(),
            "watch",
            logdir.toString(),
            "--state-dir",
            state.toString(),
            "--config",
            config.toString(),
            "--webhook",
            url,
            "--http",
            "127.0.0.1:" + port));
    command.addAll(options);
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    return new SoakDaemon(index, p, port, log);
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  boolean ready() {
    return readyNanos >= 0;
  }

  /** Seconds from start to ready, or NaN when it never got ready. */
  double readySeconds() {
    return readyNanos < 0 ? Double.NaN : (readyNanos - startedNanos) / 1e9;
  }

  boolean killed() {
    return killed;
  }

  long endedNanos() {
    return endedNanos;
  }

  /** Asks /readyz once; true once it has answered 200. */
  boolean probeReady() {
    if (readyNanos < 0 && process.isAlive() && get("/readyz") != null) {
      readyNanos = System.nanoTime();
    }
    return ready();
  }

  /** Waits until /readyz answers 200; false when the process died or time ran out. */
  boolean awaitReady(Duration limit) {
    try {
      Awaitility.await("/readyz")
          .atMost(limit)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> !process.isAlive() || probeReady());
    } catch (ConditionTimeoutException timedOut) {
      return false;
    }
    return ready();
  }

  /** The body of a 200 answer, or null. */
  private String get(String path) {
    try {
      HttpURLConnection c =
          (HttpURLConnection) new URL("http://127.0.0.1:" + port + path).openConnection();
      // No keep-alive: a pooled connection would count among the daemon's descriptors.
      c.setRequestProperty("Connection", "close");
      c.setConnectTimeout(1000);
      c.setReadTimeout(10_000);
      try {
        if (c.getResponseCode() != 200) {
          return null;
        }
        try (InputStream in = c.getInputStream()) {
          return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      } finally {
        c.disconnect();
      }
    } catch (IOException e) {
      return null;
    }
  }

  /** Looks at the process now and keeps the sample; null when it is gone. */
  Sample sample() {
    try {
      long rss = -1;
      long peak = -1;
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
        } else if (line.startsWith("VmHWM:")) {
          peak = Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
      int fds;
      try (var list = Files.list(Path.of("/proc", Long.toString(pid()), "fd"))) {
        fds = (int) list.count();
      }
      String metrics = get("/metrics");
      long pending = -1;
      if (metrics != null) {
        Matcher m = PENDING.matcher(metrics);
        if (m.find()) {
          pending = (long) Double.parseDouble(m.group(1));
        }
      }
      if (killed || !process.isAlive()) {
        // Looked at while being killed: a dying process has already closed its descriptors.
        return null;
      }
      Sample s = new Sample(System.nanoTime(), rss, peak, fds, pending);
      synchronized (samples) {
        samples.add(s);
      }
      return s;
    } catch (NoSuchFileException gone) {
      return null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  List<Sample> samples() {
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  /** SIGKILL: no chance to commit, flush or say goodbye. */
  void kill() throws InterruptedException {
    killed = true;
    process.destroyForcibly();
    process.waitFor(60, TimeUnit.SECONDS);
    endedNanos = System.nanoTime();
  }

  /** SIGTERM; the exit code, or -1 when it did not exit within a minute (then killed). */
  int stop() throws InterruptedException {
    process.destroy();
    boolean exited = process.waitFor(60, TimeUnit.SECONDS);
    endedNanos = System.nanoTime();
    if (!exited) {
      kill();
      return -1;
    }
    return process.exitValue();
  }

  /** Exit code when the process ended on its own (it should not), else null. */
  Integer exitedOnItsOwn() {
    return !killed && !process.isAlive() && endedNanos == Long.MAX_VALUE
        ? process.exitValue()
        : null;
  }

  /** Whether this process logged that {@code id} was delivered (it committed that first). */
  boolean loggedDelivered(String id) throws IOException {
    return Files.readString(log, StandardCharsets.ISO_8859_1).contains("delivered " + id);
  }
}
