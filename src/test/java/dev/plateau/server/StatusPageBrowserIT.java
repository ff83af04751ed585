package dev.plateau.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.plateau.config.PlateauConfig;
import dev.plateau.daemon.Daemon;
import dev.plateau.daemon.FlagApplier;
import dev.plateau.daemon.Watcher;
import dev.plateau.state.StateStore;
import dev.plateau.write.EventFileWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page in a real headless Chromium (Debian's, installed by .ci/run): after events are
 * written, the run and its verdict appear in the page the browser rendered; a screenshot is kept
 * at target/status-page.png for people to look at.
 */
class StatusPageBrowserIT {
  static final Path CHROMIUM = Paths.get("/usr/bin/chromium");

  static String chromium(Path profile, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new String(out, StandardCharsets.UTF_8);
  }

  @Test
  void runAndVerdictAppearInTheRenderedPageAfterEventsAreWritten(@TempDir Path temp) throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM + " (.ci/run installs it)");
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    Clock clock = Clock.systemUTC();
    try (StateStore store = StateStore.open(temp.resolve("s.db"), false, clock)) {
      Watcher watcher = new Watcher(logdir, PlateauConfig.defaults(), store, List.of(), FlagApplier.NONE, clock, "h");
      watcher.restore();
      Daemon daemon = new Daemon(List.of(watcher), List.of(), Duration.ofMillis(50), Duration.ofSeconds(1));
      Thread loop = new Thread(() -> {
        try {
          daemon.run();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      loop.start();
      try (StatusServer server =
          new StatusServer(new InetSocketAddress("127.0.0.1", 0), daemon, List.of(store), Duration.ofSeconds(30), clock)) {
        String url = "http://127.0.0.1:" + server.address().getPort() + "/";
        String before = chromium(temp.resolve("p1"), "--dump-dom", url);
        assertThat(before).contains("No watched series yet");

        double start = clock.millis() / 1000.0 - 200;
        try (EventFileWriter w = EventFileWriter.create(logdir.resolve("resnet/train"), start, "h", 0);
            EventFileWriter v = EventFileWriter.create(logdir.resolve("resnet/validation"), start, "h", 1)) {
          for (int t = 0; t < 150; t++) {
            w.simpleValue("epoch_loss", t, start + t, (float) (0.5 + 6 * Math.exp(-t / 12.0)));
            v.simpleValue("epoch_loss", t, start + t, (float) (0.8 + 6 * Math.exp(-t / 12.0)));
          }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline && watcher.published().isEmpty()) {
          Thread.sleep(50);
        }
        String after = chromium(temp.resolve("p2"), "--dump-dom", url);
        assertThat(after).contains("data-run=\"resnet\"");
        assertThat(after).contains("class=\"status converged\"");
        assertThat(after).contains("resnet/validation", "epoch_loss", "<svg");

        Path shot = Paths.get("target", "status-page.png").toAbsolutePath();
        chromium(temp.resolve("p3"), "--window-size=1200,700", "--screenshot=" + shot, url);
        assertThat(shot).exists();
        assertThat(Files.size(shot)).isGreaterThan(5_000);
      } finally {
        daemon.requestStop();
        daemon.awaitStopped(Duration.ofSeconds(5));
        loop.join(5_000);
      }
    }
  }
}
