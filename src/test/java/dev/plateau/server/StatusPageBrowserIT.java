package dev.plateau.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plateau.config.PlateauConfig;
import dev.plateau.daemon.Daemon;
import dev.plateau.daemon.FlagApplier;
import dev.plateau.daemon.Watcher;
import dev.plateau.state.StateStore;
import dev.plateau.testing.RunningDaemon;
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
 * written, the run and its verdict appear in the page the browser rendered; a screenshot is kept at
 * target/status-page.png for people to look at.
 */
class StatusPageBrowserIT {
  static final Path CHROMIUM = Paths.get("/usr/bin/chromium");

  static String chromium(Path profile, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                CHROMIUM.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profile));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new String(out, StandardCharsets.UTF_8);
  }

  @Test
  void runAndVerdictAppearInTheRenderedPageAfterEventsAreWritten(@TempDir Path temp)
      throws Exception {
    assumeTrue(
        Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM + " (.ci/run installs it)");
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    Clock clock = Clock.systemUTC();
    try (StateStore store = StateStore.open(temp.resolve("s.db"), false, clock)) {
      Watcher watcher =
          new Watcher(
              logdir, PlateauConfig.defaults(), store, List.of(), FlagApplier.NONE, clock, "h");
      watcher.restore();
      Daemon daemon =
          new Daemon(List.of(watcher), List.of(), Duration.ofMillis(50), Duration.ofSeconds(1));
      try (RunningDaemon running = RunningDaemon.start(daemon);
          StatusServer server =
              new StatusServer(
                  new InetSocketAddress("127.0.0.1", 0),
                  daemon,
                  List.of(store),
                  Duration.ofSeconds(30),
                  clock)) {
        String url = "http://127.0.0.1:" + server.address().getPort() + "/";
        String before = chromium(temp.resolve("p1"), "--dump-dom", url);
        assertThat(before).contains("No watched series yet");

        double start = clock.millis() / 1000.0 - 200;
        try (EventFileWriter w =
                EventFileWriter.create(logdir.resolve("resnet/train"), start, "h", 0);
            EventFileWriter v =
                EventFileWriter.create(logdir.resolve("resnet/validation"), start, "h", 1)) {
          for (int t = 0; t < 150; t++) {
            w.simpleValue("epoch_loss", t, start + t, (float) (0.5 + 6 * Math.exp(-t / 12.0)));
            v.simpleValue("epoch_loss", t, start + t, (float) (0.8 + 6 * Math.exp(-t / 12.0)));
          }
        }
        running.awaitUntil("the run judged", () -> !watcher.published().isEmpty());
        String after = chromium(temp.resolve("p2"), "--dump-dom", url);
        assertThat(after).contains("data-run=\"resnet\"");
        assertThat(after).contains("class=\"status converged\"");
        assertThat(after).contains("resnet/validation", "epoch_loss", "<svg");

        Path shot = Paths.get("target", "status-page.png").toAbsolutePath();
        chromium(temp.resolve("p3"), "--window-size=1200,700", "--screenshot=" + shot, url);
        assertThat(shot).exists();
        assertThat(Files.size(shot)).isGreaterThan(5_000);
      }
    }
  }

  /** A run directory named {@code "><script>alert(1)</script>}: two legal Linux names, one path. */
  static final String MARKUP_RUN = "\"><script>alert(1)</script>";

  /** A run whose script, were it parsed as markup and run, would change the page's title. */
  static final String TITLE_RUN = "<script>document.title='pwned'</script>";

  /** A tag whose script or image, if ever parsed and run, would mark the document. */
  static final String MARKUP_TAG =
      "val_loss\"><script>document.documentElement.setAttribute('data-xss','script')</script>"
          + "<img src=x onerror=\"document.documentElement.setAttribute('data-xss','img')\">";

  static void writeRun(Path logdir, String run, String tag) throws Exception {
    double start = System.currentTimeMillis() / 1000.0 - 100;
    try (EventFileWriter w = EventFileWriter.create(logdir.resolve(run), start, "h", 0)) {
      for (int t = 0; t < 40; t++) {
        w.simpleValue(tag, t, start + t, (float) (5 - 0.1 * t));
      }
    }
  }

  @Test
  void markupInRunAndTagNamesIsShownAsTextAndNoScriptRuns(@TempDir Path temp) throws Exception {
    assumeTrue(
        Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM + " (.ci/run installs it)");
    Path logdir = temp.resolve("logs");
    writeRun(logdir, MARKUP_RUN, "val_loss");
    writeRun(logdir, TITLE_RUN, "val_loss");
    writeRun(logdir, "tagged", MARKUP_TAG);
    assertThat(logdir.resolve(MARKUP_RUN)).isDirectory();
    try (RunningServer running = new RunningServer(temp, logdir, "127.0.0.1", null)) {
      String base = "http://127.0.0.1:" + running.port();
      String dom = chromium(temp.resolve("p1"), "--dump-dom", base + "/");

      assertThat(dom).as("the page rendered").contains("data-run=\"tagged\"", "<svg");
      assertThat(dom)
          .as("the names are there, as text")
          .contains(
              "&lt;script&gt;alert(1)&lt;/script&gt;",
              "&lt;script&gt;document.title='pwned'&lt;/script&gt;")
          .contains("val_loss\"&gt;&lt;script&gt;document.documentElement");
      assertThat(dom).as("no element was made from a name").doesNotContain("<script", "<img");
      assertThat(dom)
          .as("no script ran")
          .doesNotContainPattern("<html[^>]*data-xss")
          .contains("<title>Plateau</title>");

      var api = StatusServerTest.get(running.server.address(), "/api/runs", "GET");
      assertThat(api.body())
          .as("the JSON holds no markup characters at all")
          .doesNotContain("<", ">");
      JsonNode runs = new ObjectMapper().readTree(api.body()).path("logdirs").get(0).path("runs");
      List<String> names = new ArrayList<>();
      List<String> tags = new ArrayList<>();
      runs.forEach(
          r -> {
            names.add(r.path("run").asText());
            r.path("series").forEach(v -> tags.add(v.path("tag").asText()));
          });
      assertThat(names)
          .as("names survive the escaping exactly")
          .contains(MARKUP_RUN, TITLE_RUN, "tagged");
      assertThat(tags).contains(MARKUP_TAG);

      String apiInBrowser = chromium(temp.resolve("p2"), "--dump-dom", base + "/api/runs");
      assertThat(apiInBrowser)
          .as("the browser shows the API as text")
          .contains("logdirs")
          .doesNotContain("<script", "<img")
          .doesNotContainPattern("<html[^>]*data-xss");
    }
  }

  @Test
  void withATokenTheBrowserOpensThePageOnceWithItAndKeepsItsSession(@TempDir Path temp)
      throws Exception {
    assumeTrue(
        Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM + " (.ci/run installs it)");
    String token = "browser-token-5b0e8d1f9a2c4e67";
    Path logdir = temp.resolve("logs");
    writeRun(logdir, "exp1", "val_loss");
    try (RunningServer running =
        new RunningServer(temp, logdir, "127.0.0.1", BearerToken.of(token))) {
      String base = "http://127.0.0.1:" + running.port();

      String noToken = chromium(temp.resolve("p1"), "--dump-dom", base + "/");
      assertThat(noToken)
          .contains("id=\"token-needed\"", "name=\"token\"")
          .doesNotContain("data-run");
      String wrong = chromium(temp.resolve("p2"), "--dump-dom", base + "/?token=not-" + token);
      assertThat(wrong).contains("id=\"token-needed\"").doesNotContain("data-run");

      Path profile = temp.resolve("p3");
      String opened = chromium(profile, "--dump-dom", base + "/?token=" + token);
      assertThat(opened).as("the redirect carried the session").contains("data-run=\"exp1\"");
      // What the page's own reload does: open / again, without the token. The browser was
      // restarted in between, so this also shows the session outlives the browser.
      String reloaded = chromium(profile, "--dump-dom", base + "/");
      assertThat(reloaded).contains("data-run=\"exp1\"").doesNotContain("token-needed");

      Path shot = Paths.get("target", "status-page-token-prompt.png").toAbsolutePath();
      chromium(temp.resolve("p4"), "--window-size=800,300", "--screenshot=" + shot, base + "/");
      assertThat(shot).exists();
    }
  }
}
