package dev.plateau.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plateau.daemon.Daemon;
import dev.plateau.daemon.Watcher;
import dev.plateau.state.StateStore;
import dev.plateau.testing.LoopbackStatus;
import dev.plateau.testing.RunningDaemon;
import dev.plateau.write.EventFileWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page in a real headless Chromium (Debian's, installed by .ci/run): after events are
 * written, the run and its verdict appear in the page the browser rendered; a screenshot is kept at
 * target/status-page.png for people to look at.
 */
class StatusPageBrowserIT {
  static final Path CHROMIUM = Paths.get("/usr/bin/chromium");

  /** Chromium headless, without a sandbox, GPU or any traffic of its own: every test's flags. */
  static final List<String> HEADLESS =
      List.of(
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync");

  static String chromium(Path profile, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(CHROMIUM.toString());
    command.addAll(HEADLESS);
    command.add("--user-data-dir=" + profile);
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
      Watcher watcher = LoopbackStatus.watcher(logdir, store, List.of(), clock);
      watcher.restore();
      Daemon daemon = LoopbackStatus.daemon(watcher, List.of());
      try (RunningDaemon running = RunningDaemon.start(daemon);
          StatusServer server =
              LoopbackStatus.server(daemon, store, Duration.ofSeconds(30), clock)) {
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

  /** Where the live test keeps its screenshots, for people to look at. */
  static final Path SHOTS = Paths.get("target", "page-screenshots").toAbsolutePath();

  /** Writes {@code n} points of a curve to a run, all at once. */
  static void writeCurve(Path dir, String tag, int n, double start, CurveShape shape)
      throws Exception {
    try (EventFileWriter w = EventFileWriter.create(dir, start, "h", 0)) {
      for (int t = 0; t < n; t++) {
        w.simpleValue(tag, t, start + t, (float) shape.at(t));
      }
    }
  }

  interface CurveShape {
    double at(int step);
  }

  /**
   * A live logdir in a real Chromium that stays open: finished runs parked and still charted, a run
   * of 3 points charted, train and validation on one chart with axes and the best and decided steps
   * marked inside it, the overview sorted and filtered, and a live run's new points arriving in the
   * open page without a reload. Screenshots in target/page-screenshots.
   */
  @Test
  void aLiveLogdirIsChartedFilteredAndUpdatedInPlace(@TempDir Path temp) throws Exception {
    assumeTrue(
        Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM + " (.ci/run installs it)");
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    Clock clock = Clock.systemUTC();
    double start = clock.millis() / 1000.0 - 300;
    writeCurve(
        logdir.resolve("resnet/train"),
        "epoch_loss",
        150,
        start,
        t -> 0.5 + 6 * Math.exp(-t / 12.0));
    writeCurve(
        logdir.resolve("resnet/validation"),
        "epoch_loss",
        150,
        start,
        t -> 0.8 + 6 * Math.exp(-t / 12.0) + 0.01 * Math.sin(t));
    writeCurve(logdir.resolve("tiny"), "loss", 3, start, t -> 2.0 - 0.3 * t);
    writeCurve(
        logdir.resolve("lstm-blowup"), "loss", 60, start, t -> t < 55 ? 3 - 0.01 * t : Double.NaN);
    for (String name : List.of("lstm-small", "lstm-large", "gru-base")) {
      writeCurve(
          logdir.resolve(name), "loss", 40, start, t -> 1 + 2 * Math.exp(-t / 30.0) + 0.001 * t);
    }
    try (StateStore store = StateStore.open(temp.resolve("s.db"), false, clock)) {
      Watcher watcher = LoopbackStatus.watcher(logdir, store, List.of(), clock);
      watcher.parkAfter(Duration.ofSeconds(1));
      watcher.checkpointEvery(Duration.ofMillis(200));
      watcher.restore();
      Daemon daemon = LoopbackStatus.daemon(watcher, List.of());
      AtomicBoolean writing = new AtomicBoolean(true);
      AtomicLong liveStep = new AtomicLong();
      Thread writer =
          new Thread(
              () -> {
                double t0 = clock.millis() / 1000.0;
                try (EventFileWriter w =
                    EventFileWriter.create(logdir.resolve("live/train"), t0, "h", 0)) {
                  for (int t = 0; writing.get(); t++) {
                    w.simpleValue("loss", t, clock.millis() / 1000.0, (float) (4 / (1 + 0.05 * t)));
                    w.flush();
                    liveStep.set(t);
                    Thread.sleep(100); // a training job's pace: the writer is the real thing
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              },
              "live-writer");
      try (RunningDaemon running = RunningDaemon.start(daemon);
          StatusServer server =
              LoopbackStatus.server(daemon, store, Duration.ofSeconds(30), clock)) {
        server.linkToTensorBoard(java.net.URI.create("http://tensorboard.example:6006/"));
        writer.start();
        running.awaitUntil(
            "the finished runs judged and parked, the live run read",
            () ->
                statusOf(watcher, "resnet").equals("converged")
                    && statusOf(watcher, "lstm-blowup").equals("diverged")
                    && watcher.parkedExperiments() >= 5
                    && !statusOf(watcher, "live").isEmpty());
        String base = "http://127.0.0.1:" + server.address().getPort();
        try (HeadlessChromium browser = new HeadlessChromium(temp.resolve("cdp"), 1200, 900)) {
          // The overview: counts, attention order, filter.
          browser.open(base + "/");
          assertThat(
                  browser.eval("document.querySelector('.count.diverged b').textContent").asText())
              .isEqualTo("1");
          assertThat(browser.eval("document.querySelector('tr.run').dataset.status").asText())
              .as("what needs attention comes first")
              .isEqualTo("diverged");
          assertThat(browser.eval("document.querySelector('a.tb').href").asText())
              .startsWith("http://tensorboard.example:6006/#scalars&regexInput=");
          assertThat(
                  browser
                      .eval(
                          "[...document.querySelectorAll('tr.run')].map(r => r.dataset.status"
                              + " + (r.dataset.new ? '+new' : '')).join(',')")
                      .asText())
              .as("diverged, then the runs that converged as news (their points are minutes old)")
              .startsWith("diverged,converged+new")
              .doesNotContain("training,converged");
          assertThat(
                  browser
                      .eval(
                          "[...document.querySelectorAll('tr.run[data-new]')].every(r =>"
                              + " r.querySelector('.new').textContent === 'new')")
                      .asBoolean())
              .isTrue();
          browser.screenshot(SHOTS.resolve("overview.png"));
          browser.open(base + "/?q=lstm");
          assertThat(
                  browser
                      .eval(
                          "[...document.querySelectorAll('tr.run')].map(r => r.dataset.run).join(',')")
                      .asText())
              .as("searching by name, still in attention order")
              .isEqualTo("lstm-blowup,lstm-large,lstm-small");
          browser.open(base + "/?status=converged");
          assertThat(
                  browser
                      .eval(
                          "[...document.querySelectorAll('tr.run')].every(r => r.dataset.status"
                              + " === 'converged') && document.querySelectorAll('tr.run').length")
                      .asInt())
              .as("filtered by status")
              .isPositive();

          // A parked experiment: one chart, train and validation on it, axes, markers inside.
          assertThat(
                  watcher
                      .judge()
                      .kept(new dev.plateau.series.SeriesKey("resnet/validation", "epoch_loss")))
              .as("resnet has left the judge's memory (parked)")
              .isNull();
          browser.open(base + ExperimentPage.link(0, "resnet"));
          assertThat(browser.eval("document.querySelectorAll('figure.metric').length").asInt())
              .as("one chart per metric")
              .isEqualTo(1);
          assertThat(
                  browser
                      .eval(
                          "[...document.querySelectorAll('polyline.raw')].map(p => p.dataset.label)"
                              + ".join(',')")
                      .asText())
              .isEqualTo("train · epoch_loss,validation · epoch_loss");
          assertThat(
                  browser
                      .eval(
                          "[...document.querySelectorAll('.tick.y')].filter(t =>"
                              + " isFinite(parseFloat(t.textContent))).length")
                      .asInt())
              .as("the value axis has numbers")
              .isGreaterThanOrEqualTo(2);
          assertThat(browser.eval("document.querySelectorAll('.tick.x').length").asInt())
              .isGreaterThanOrEqualTo(2);
          String inside =
              "(() => { const svg = document.querySelector('svg.chart');"
                  + " const vb = svg.viewBox.baseVal;"
                  + " const els = [...svg.querySelectorAll('circle.best, line.decided,"
                  + " text.marker-label, text.tick')];"
                  + " return els.length + ':' + els.every(e => { const b = e.getBBox();"
                  + " return b.x >= vb.x && b.y >= vb.y && b.x + b.width <= vb.x + vb.width"
                  + " && b.y + b.height <= vb.y + vb.height; }); })()";
          assertThat(browser.eval(inside).asText())
              .as("best dots, the decided line, their labels and the ticks, inside the viewBox")
              .matches("[0-9]{2}:true");
          assertThat(
                  browser
                      .eval("document.querySelector('text.marker-label.best').textContent")
                      .asText())
              .startsWith("best ");
          assertThat(
                  browser
                      .eval(
                          "(() => { const r = document.querySelector('svg.chart rect.evidence');"
                              + " const d = document.querySelector('svg.chart line.decided');"
                              + " const right = r.x.baseVal.value + r.width.baseVal.value;"
                              + " return r.width.baseVal.value > 5"
                              + " && Math.abs(right - d.x1.baseVal.value) < 0.2"
                              + " && r.parentNode.querySelector('text').textContent; })()")
                      .asText())
              .as("the plateau test's window shaded up to the decided step, labelled")
              .isEqualTo("trend window");
          browser.screenshot(SHOTS.resolve("experiment-resnet.png"));

          // Three points make a chart.
          browser.open(base + ExperimentPage.link(0, "tiny"));
          assertThat(
                  browser
                      .eval(
                          "document.querySelector('polyline.raw').getAttribute('points')"
                              + ".trim().split(' ').length")
                      .asInt())
              .isEqualTo(3);

          // The live run: new points arrive in the open page, which is not reloaded.
          browser.open(base + ExperimentPage.link(0, "live"));
          browser.eval("window.plateauTestMarker = 'same page'");
          long before =
              browser.eval("+document.querySelector('td.last-step').textContent").asLong();
          await("a newer step shown without a reload")
              .atMost(Duration.ofSeconds(30))
              .pollInterval(Duration.ofMillis(250))
              .until(
                  () ->
                      browser.eval("+document.querySelector('td.last-step').textContent").asLong()
                          > before + 5);
          assertThat(browser.eval("window.plateauTestMarker").asText()).isEqualTo("same page");
          assertThat(browser.eval("+document.documentElement.dataset.updates").asInt())
              .isPositive();
          assertThat(
                  browser
                      .eval(
                          "Math.max(...document.querySelector('polyline.raw').dataset.s.split(' ')"
                              + ".map(Number))")
                      .asLong())
              .as("the curve keeps up with the table")
              .isEqualTo(
                  browser.eval("+document.querySelector('td.last-step').textContent").asLong());

          // Hover: step and value under the pointer.
          JsonNode box =
              browser.eval(
                  "(() => { const r = document.querySelector('svg.chart').getBoundingClientRect();"
                      + " return {x: r.left + r.width * 0.7, y: r.top + r.height / 2}; })()");
          browser.mouseTo(box.path("x").asDouble(), box.path("y").asDouble());
          await("the hover tip")
              .atMost(Duration.ofSeconds(10))
              .until(() -> !browser.eval("document.getElementById('tip').hidden").asBoolean());
          assertThat(browser.eval("document.getElementById('tip').textContent").asText())
              .matches("train · loss: [0-9.e+-]+ \\(step [0-9]+\\)");
          browser.screenshot(SHOTS.resolve("experiment-live-hover.png"));

          browser.viewport(390, 844, true);
          browser.open(base + ExperimentPage.link(0, "resnet"));
          browser.screenshot(SHOTS.resolve("phone-experiment.png"));
          browser.open(base + "/");
          browser.screenshot(SHOTS.resolve("phone-overview.png"));

          // Scripts off: the same charts, drawn by the server, and a page that reloads itself.
          browser.call("Emulation.setScriptExecutionDisabled", java.util.Map.of("value", true));
          browser.viewport(1200, 900, false);
          browser.open(base + ExperimentPage.link(0, "resnet"));
          assertThat(browser.eval("document.documentElement.hasAttribute('data-live')").asBoolean())
              .as("the page's script did not run")
              .isFalse();
          assertThat(
                  browser
                      .eval(
                          "document.querySelectorAll('svg.chart .tick.y').length > 1"
                              + " && !!document.querySelector('svg.chart line.decided')"
                              + " && !!document.querySelector('noscript')")
                      .asBoolean())
              .as("charted with axes and markers, with the reload for browsers without scripts")
              .isTrue();
          browser.screenshot(SHOTS.resolve("experiment-no-script.png"));
        } finally {
          writing.set(false);
          writer.join(5_000);
        }
      }
    }
    assertThat(SHOTS.resolve("overview.png")).exists();
  }

  /**
   * Finished experiments parked, the daemon stopped and started again on the same state: the page
   * in Chromium charts them before any new point (from the curves saved in the state), with axes,
   * train and validation on one chart and the markers inside. Screenshots at laptop and phone
   * width.
   */
  @Test
  void parkedExperimentsAreStillChartedAfterTheDaemonRestarts(@TempDir Path temp) throws Exception {
    assumeTrue(
        Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM + " (.ci/run installs it)");
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    Clock clock = Clock.systemUTC();
    double start = clock.millis() / 1000.0 - 600;
    writeCurve(
        logdir.resolve("resnet/train"),
        "epoch_loss",
        300,
        start,
        t -> 0.5 + 6 * Math.exp(-t / 12.0) + 0.02 * Math.sin(t));
    writeCurve(
        logdir.resolve("resnet/validation"),
        "epoch_loss",
        300,
        start,
        t -> 0.8 + 6 * Math.exp(-t / 12.0) + 0.03 * Math.cos(t));
    writeCurve(logdir.resolve("tiny"), "loss", 3, start, t -> 2.0 - 0.3 * t);
    String drawnBefore;
    try (StateStore store = StateStore.open(temp.resolve("s.db"), false, clock)) {
      Watcher watcher = LoopbackStatus.watcher(logdir, store, List.of(), clock);
      watcher.parkAfter(Duration.ofSeconds(1));
      watcher.checkpointEvery(Duration.ofMillis(200));
      watcher.restore();
      Daemon daemon = LoopbackStatus.daemon(watcher, List.of());
      try (RunningDaemon running = RunningDaemon.start(daemon);
          StatusServer server =
              LoopbackStatus.server(daemon, store, Duration.ofSeconds(30), clock)) {
        running.awaitUntil("both parked", () -> watcher.parkedExperiments() == 2);
        drawnBefore =
            StatusServerTest.get(server.address(), ExperimentPage.link(0, "resnet"), "GET").body();
      }
    }
    assertThat(drawnBefore).contains("class=\"raw s1\"");
    try (StateStore store = StateStore.open(temp.resolve("s.db"), false, clock)) {
      Watcher watcher = LoopbackStatus.watcher(logdir, store, List.of(), clock);
      watcher.parkAfter(Duration.ofSeconds(1));
      watcher.restore();
      assertThat(watcher.parkedExperiments()).as("started parked").isEqualTo(2);
      Daemon daemon = LoopbackStatus.daemon(watcher, List.of());
      try (RunningDaemon running = RunningDaemon.start(daemon);
          StatusServer server =
              LoopbackStatus.server(daemon, store, Duration.ofSeconds(30), clock);
          HeadlessChromium browser = new HeadlessChromium(temp.resolve("cdp"), 1200, 900)) {
        running.awaitUntil("a first round", () -> watcher.published().size() == 2);
        String base = "http://127.0.0.1:" + server.address().getPort();
        browser.open(base + ExperimentPage.link(0, "resnet"));
        assertThat(
                browser
                    .eval(
                        "[...document.querySelectorAll('svg.chart polyline.raw')].map(p =>"
                            + " p.dataset.label + ':' + p.getAttribute('points').trim().split(' ')"
                            + ".length).join(',')")
                    .asText())
            .as("one chart, train and validation, from the curves saved before the restart")
            .isEqualTo("train · epoch_loss:128,validation · epoch_loss:128");
        assertThat(
                watcher
                    .judge()
                    .kept(new dev.plateau.series.SeriesKey("resnet/train", "epoch_loss")))
            .as("nothing read into memory: the chart came from the state")
            .isNull();
        assertThat(
                browser
                    .eval(
                        "document.querySelectorAll('svg.chart .tick.y').length >= 2"
                            + " && document.querySelectorAll('svg.chart .tick.x').length >= 2"
                            + " && !!document.querySelector('svg.chart circle.best')")
                    .asBoolean())
            .isTrue();
        browser.screenshot(SHOTS.resolve("after-restart-experiment.png"));
        browser.open(base + ExperimentPage.link(0, "tiny"));
        assertThat(
                browser
                    .eval(
                        "document.querySelector('polyline.raw').getAttribute('points')"
                            + ".trim().split(' ').length")
                    .asInt())
            .isEqualTo(3);
        browser.open(base + "/");
        assertThat(
                browser
                    .eval("document.querySelectorAll('tr.run svg.spark polyline').length")
                    .asInt())
            .as("the overview's sparklines too")
            .isEqualTo(2);
        browser.screenshot(SHOTS.resolve("after-restart-overview.png"));
        browser.viewport(390, 844, true);
        browser.open(base + ExperimentPage.link(0, "resnet"));
        browser.screenshot(SHOTS.resolve("after-restart-phone-experiment.png"));
      }
    }
  }

  /**
   * Real LSTM runs from the shared fixtures, whose spiky curves used to render as flat lines: each
   * chart has axes with numbers and its curve spans a visible height. Screenshot kept.
   */
  @Test
  void realSpikyLstmRunsAreChartedWithAxesAndShape(@TempDir Path temp) throws Exception {
    assumeTrue(
        Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM + " (.ci/run installs it)");
    Path fixture =
        dev.plateau.testing.SharedFixtures.require(
            "fixtures/public/LisandroV__LSTM-Deformation-Tracker");
    try (RunningServer running = new RunningServer(temp, fixture, "127.0.0.1", null)) {
      var experiments = running.watcher.published();
      assertThat(experiments).isNotEmpty();
      String base = "http://127.0.0.1:" + running.port();
      try (HeadlessChromium browser = new HeadlessChromium(temp.resolve("cdp"), 1200, 1400)) {
        int charted = 0;
        for (int i = 0; i < Math.min(2, experiments.size()); i++) {
          browser.open(base + ExperimentPage.link(0, experiments.get(i).experiment()));
          int charts = browser.eval("document.querySelectorAll('svg.chart').length").asInt();
          charted += charts;
          if (charts > 0) {
            browser.screenshot(SHOTS.resolve("fixture-lstm-" + i + ".png"));
            assertThat(
                    browser
                        .eval(
                            "[...document.querySelectorAll('svg.chart')].every(svg =>"
                                + " svg.querySelectorAll('.tick.y').length >= 2"
                                + " && svg.querySelector('polyline.smooth').getBBox().height > 20)")
                        .asBoolean())
                .as("every chart has a value axis and a curve with a visible shape")
                .isTrue();
          }
        }
        assertThat(charted).isPositive();
      }
    }
  }

  private static String statusOf(Watcher watcher, String experiment) {
    for (var v : watcher.published()) {
      if (v.experiment().equals(experiment)) {
        return v.status().jsonName();
      }
    }
    return "";
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
      assertThat(StatusServerTest.withoutOwnScript(dom))
          .as("no element was made from a name")
          .doesNotContain("<script", "<img");
      assertThat(dom)
          .as("no script ran")
          .doesNotContainPattern("<html[^>]*data-xss")
          .contains("<title>Plateau</title>");

      for (String page :
          List.of(
              ExperimentPage.link(0, MARKUP_RUN),
              ExperimentPage.link(0, TITLE_RUN),
              ExperimentPage.link(0, "tagged"),
              "/?q=" + PageQuery.encode(MARKUP_TAG) + "&status=" + PageQuery.encode(MARKUP_RUN))) {
        String shown = chromium(temp.resolve("p" + page.hashCode()), "--dump-dom", base + page);
        assertThat(StatusServerTest.withoutOwnScript(shown))
            .as("names in chart labels and filter values echoed back stay text: " + page)
            .contains("<title>Plateau</title>")
            .doesNotContain("<script", "<img")
            .doesNotContainPattern("<html[^>]*data-xss");
      }
      String echoed =
          StatusServerTest.get(
                  running.server.address(), "/?q=" + PageQuery.encode(MARKUP_TAG), "GET")
              .body();
      assertThat(echoed)
          .as("the filter's text comes back as the input's value, escaped")
          .contains("value=\"val_loss&quot;&gt;&lt;script&gt;");
      String chart =
          StatusServerTest.get(running.server.address(), ExperimentPage.link(0, "tagged"), "GET")
              .body();
      assertThat(chart)
          .as("the chart's labels of the tag, as text")
          .contains("aria-label=\"val_loss&quot;&gt;&lt;script&gt;")
          .contains("<figcaption><b>val_loss&quot;&gt;&lt;script&gt;");

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
