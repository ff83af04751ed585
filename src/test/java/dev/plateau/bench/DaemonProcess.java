package dev.plateau.bench;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code plateau watch} process started from the shaded jar, with its HTTP port, and what
 * Linux's {@code /proc} says about it: CPU time, resident memory, open descriptors.
 */
final class DaemonProcess implements AutoCloseable {
  /** Clock ticks per second of {@code /proc/PID/stat}'s CPU times (USER_HZ, 100 on Linux). */
  private static final double TICKS_PER_SECOND = 100.0;

  private final Process process;
  private final int port;
  private final long startedNanos;

  private DaemonProcess(Process process, int port, long startedNanos) {
    this.process = process;
    this.port = port;
    this.startedNanos = startedNanos;
  }

  /**
   * Starts {@code watch LOGDIR --state-dir STATE --http 127.0.0.1:PORT EXTRA...} on {@code
   * launcher} with the image's JVM options, its class-data sharing archive being {@code
   * classArchive} (null: none).
   */
  static DaemonProcess start(
      Path launcher,
      Path jar,
      Path logdir,
      Path state,
      Path log,
      List<String> extra,
      Path classArchive)
      throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    List<String> command = new ArrayList<>();
    command.add(launcher.toString());
    command.addAll(dev.plateau.daemon.ImageJvmOptions.withClassArchive(state, classArchive));
    command.add("-jar");
    command.add(jar.toString());
    command.add("watch");
    command.add(logdir.toString());
    command.add("--state-dir");
    command.add(state.toString());
    command.add("--http");
    command.add("127.0.0.1:" + port);
    command.addAll(extra);
    long started = System.nanoTime();
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    return new DaemonProcess(p, port, started);
  }

  long pid() {
    return process.pid();
  }

  /** Seconds from the start of the process until {@code /readyz} answers 200. */
  double awaitReady(double timeoutSeconds) throws IOException, InterruptedException {
    long deadline = startedNanos + (long) (timeoutSeconds * 1e9);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("plateau watch exited with " + process.exitValue() + " before ready");
      }
      if (status("/readyz") == 200) {
        return (System.nanoTime() - startedNanos) / 1e9;
      }
      Thread.sleep(10);
    }
    throw new IOException("plateau watch not ready after " + timeoutSeconds + " s");
  }

  private int status(String path) {
    try {
      HttpURLConnection c =
          (HttpURLConnection) new URL("http://127.0.0.1:" + port + path).openConnection();
      c.setConnectTimeout(200);
      c.setReadTimeout(2000);
      int code = c.getResponseCode();
      c.getInputStream().close();
      return code;
    } catch (IOException e) {
      return -1;
    }
  }

  /** CPU seconds (user + system) the process has used so far. */
  double cpuSeconds() throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // After the command name: state is field 3, utime 14 and stime 15 (1-based, man proc).
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
  }

  /** Resident memory in MB (VmRSS). */
  double residentMb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
      }
    }
    return Double.NaN;
  }

  /** Open file descriptors. */
  int openDescriptors() throws IOException {
    try (var fds = Files.list(Path.of("/proc", Long.toString(pid()), "fd"))) {
      return (int) fds.count();
    }
  }

  /** SIGTERM, and waits for the process to commit and exit. */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  /** SIGKILL: no chance to commit anything. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  /**
   * Stops the process if it still runs. Interrupted while waiting, it kills the process and keeps
   * the thread's interrupt (a close that threw InterruptedException is a javac warning).
   */
  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        stop();
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
