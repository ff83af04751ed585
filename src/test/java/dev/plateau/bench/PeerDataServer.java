package dev.plateau.bench;

import dev.plateau.testing.SharedFixtures;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * TensorBoard's data server ("RustBoard", the loader TensorBoard 2.x runs), the peer the benchmark
 * suite measures Plateau against on the same logdir and file in the same run: from the wheel in
 * {@code ../shared/peers} (see its README), run with {@code --reload once --checksum} until it says
 * its first load cycle is done, then stopped.
 */
final class PeerDataServer {
  static final String WHEEL =
      "peers/tensorboard_data_server-0.7.2-py3-none-manylinux_2_31_x86_64.whl";
  private static final String BINARY = "tensorboard_data_server/bin/server";
  private static final Pattern FINISHED =
      Pattern.compile("Finished load cycle \\(([0-9.]+)(ns|µs|us|ms|s)\\)");

  private final Path server;

  private PeerDataServer(Path server) {
    this.server = server;
  }

  /** One load: its own figure, and what the process used (CPU, peak resident memory). */
  record Load(double seconds, double cpuSeconds, double peakRssMb) {}

  /** The peer unpacked under {@code work}, or empty when the shared folder has no wheel. */
  static Optional<PeerDataServer> find(Path work) throws IOException {
    Path wheel = SharedFixtures.root().resolve(WHEEL);
    if (!Files.isRegularFile(wheel) || !System.getProperty("os.name").equals("Linux")) {
      return Optional.empty();
    }
    Path binary = work.resolve("peer").resolve(BINARY);
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(wheel))) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        if (e.getName().equals(BINARY)) {
          Files.createDirectories(binary.getParent());
          Files.copy(zip, binary);
          binary.toFile().setExecutable(true);
          return Optional.of(new PeerDataServer(binary));
        }
      }
    }
    return Optional.empty();
  }

  /** Loads {@code logdir} once; the time is the server's own "Finished load cycle". */
  Load load(Path logdir) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                List.of(
                    server.toString(),
                    "--logdir",
                    logdir.toString(),
                    "--reload",
                    "once",
                    "--checksum",
                    "-v",
                    "--port",
                    "0"))
            .redirectErrorStream(true)
            .start();
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        Matcher m = FINISHED.matcher(line);
        if (m.find()) {
          double seconds = Double.parseDouble(m.group(1)) * unit(m.group(2));
          return new Load(seconds, cpuSeconds(p.pid()), peakRssMb(p.pid()));
        }
      }
      throw new IOException("the data server exited before finishing a load of " + logdir);
    } finally {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  private static double unit(String unit) {
    return switch (unit) {
      case "ns" -> 1e-9;
      case "µs", "us" -> 1e-6;
      case "ms" -> 1e-3;
      default -> 1;
    };
  }

  /** CPU seconds (user + system) of a live process, from {@code /proc}. */
  static double cpuSeconds(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
  }

  /** Peak resident memory (VmHWM) of a live process, in MB. */
  static double peakRssMb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
      }
    }
    return Double.NaN;
  }
}
