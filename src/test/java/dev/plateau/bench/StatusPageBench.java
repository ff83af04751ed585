package dev.plateau.bench;

import dev.plateau.config.PlateauConfig;
import dev.plateau.daemon.Daemon;
import dev.plateau.daemon.FlagApplier;
import dev.plateau.daemon.Watcher;
import dev.plateau.server.StatusServer;
import dev.plateau.state.StateStore;
import dev.plateau.testing.LoopbackStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How fast and how large the status page is on a large logdir: writes {@code RUNS} runs with the
 * benchmarks' {@link LogdirGenerator} (4 watched tags), reads them with a real {@link Watcher},
 * serves them with a real {@link StatusServer} on loopback, and times repeated GETs of each view
 * (after a warm-up), printing the median, 95th percentile and largest time and the body's size.
 *
 * <p>Usage: {@code StatusPageBench DIR [RUNS=1000] [STEPS_PER_TAG=300] [GETS=100]}; DIR must be
 * empty or absent.
 */
public final class StatusPageBench {
  private StatusPageBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int steps = args.length > 2 ? Integer.parseInt(args[2]) : 300;
    int gets = args.length > 3 ? Integer.parseInt(args[3]) : 100;
    Path logdir = dir.resolve("logs");
    int tags = 4;
    long bytes = LogdirGenerator.write(logdir, runs, (long) runs * steps * tags * 47, tags, 1);
    System.out.printf(Locale.ROOT, "logdir: %d runs, %d tags, %.1f MB%n", runs, tags, bytes / 1e6);
    Clock clock = Clock.systemUTC();
    try (StateStore store = StateStore.open(dir.resolve("state.db"), false, clock)) {
      Watcher watcher =
          new Watcher(
              logdir, PlateauConfig.defaults(), store, List.of(), FlagApplier.NONE, clock, "bench");
      watcher.restore();
      long t0 = System.nanoTime();
      while (watcher.poll().readAgain()) {
        // runs read again come in the next round
      }
      watcher.poll();
      System.out.printf(
          Locale.ROOT,
          "read and judged in %.1f s: %d experiments%n",
          (System.nanoTime() - t0) / 1e9,
          watcher.published().size());
      Daemon daemon = LoopbackStatus.daemon(watcher, List.of());
      try (StatusServer server =
          LoopbackStatus.server(daemon, store, Duration.ofMinutes(5), clock)) {
        String base = "http://127.0.0.1:" + server.address().getPort();
        String middle = watcher.published().get(runs / 2).experiment();
        List<String> views =
            List.of(
                "/",
                "/?page=" + (runs / 50 / 2 + 1),
                "/?status=training&q=run-004",
                "/experiment?logdir=0&name=" + middle);
        HttpClient http = HttpClient.newHttpClient();
        // The client's and the server's first exchange (connection, classes) apart from the views.
        long probe = System.nanoTime();
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
            HttpResponse.BodyHandlers.discarding());
        System.out.printf(
            Locale.ROOT, "first GET /healthz: %.1f ms%n", (System.nanoTime() - probe) / 1e6);
        System.out.println("view | first ms | median ms | p95 ms | max ms | bytes");
        for (String view : views) {
          HttpRequest request = HttpRequest.newBuilder(URI.create(base + view)).build();
          // The first GET of a view also reads its series' curves from the state (once each).
          long cold = System.nanoTime();
          http.send(request, HttpResponse.BodyHandlers.ofByteArray());
          double first = (System.nanoTime() - cold) / 1e6;
          for (int i = 1; i < 50; i++) {
            http.send(request, HttpResponse.BodyHandlers.ofByteArray());
          }
          double[] ms = new double[gets];
          int size = 0;
          for (int i = 0; i < gets; i++) {
            long start = System.nanoTime();
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            ms[i] = (System.nanoTime() - start) / 1e6;
            if (r.statusCode() != 200) {
              throw new IllegalStateException(view + ": HTTP " + r.statusCode());
            }
            size = r.body().length;
          }
          Arrays.sort(ms);
          System.out.printf(
              Locale.ROOT,
              "%s | %.1f | %.1f | %.1f | %.1f | %d%n",
              view,
              first,
              ms[gets / 2],
              ms[(int) Math.ceil(gets * 0.95) - 1],
              ms[gets - 1],
              size);
        }
      }
    }
    if (Files.isDirectory(logdir)) {
      System.out.println("(the logdir is left in " + logdir + ")");
    }
  }
}
