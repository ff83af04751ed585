package dev.plateau.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.write.EventFileWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real jar restarted: a finished experiment's chart on the status page survives the restart,
 * whether it had parked before (the curve saved when it parked; the daemon then killed with
 * SIGKILL) or not yet (the curve saved when the daemon stopped on SIGTERM). After the restart the
 * experiments start parked and no new point is written, so the chart can only come from the state.
 */
class ChartsAcrossRestartIT {
  private static final Pattern RAW =
      Pattern.compile("<polyline class=\"raw [^\"]*\" data-label=\"([^\"]*)\" data-s=\"([^\"]*)\"");

  private static void writeFinishedRuns(Path logdir) throws Exception {
    double start = System.currentTimeMillis() / 1000.0 - 600;
    try (EventFileWriter w = EventFileWriter.create(logdir.resolve("resnet/train"), start, "h", 0);
        EventFileWriter v =
            EventFileWriter.create(logdir.resolve("resnet/validation"), start, "h", 1)) {
      for (int t = 0; t < 300; t++) {
        w.simpleValue("epoch_loss", t, start + t, (float) (0.5 + 6 * Math.exp(-t / 12.0)));
        v.simpleValue("epoch_loss", t, start + t, (float) (0.8 + 6 * Math.exp(-t / 12.0)));
      }
    }
    try (EventFileWriter w = EventFileWriter.create(logdir.resolve("tiny"), start, "h", 0)) {
      for (int t = 0; t < 3; t++) {
        w.simpleValue("loss", t, start + t, (float) (2.0 - 0.3 * t));
      }
    }
  }

  /** The steps each raw curve of an experiment page draws, by the curve's label. */
  private static List<String> curves(WatchProcess watch, String experiment) throws Exception {
    String page = watch.get("/experiment?logdir=0&name=" + experiment);
    Matcher m = RAW.matcher(page);
    List<String> out = new ArrayList<>();
    while (m.find()) {
      String[] steps = m.group(2).split(" ");
      out.add(m.group(1) + " " + steps[0] + ".." + steps[steps.length - 1] + " " + steps.length);
    }
    return out;
  }

  private static final String PARKED_POINTS = "128";

  /** How many points each raw curve of an experiment page draws (none while it does not answer). */
  private static List<String> pointsOf(WatchProcess watch, String experiment) {
    try {
      return curves(watch, experiment).stream()
          .map(c -> c.substring(c.lastIndexOf(' ') + 1))
          .toList();
    } catch (Exception notYet) {
      return List.of();
    }
  }

  @Test
  void aParkedExperimentIsStillChartedAfterTheDaemonIsKilledAndStartedAgain(@TempDir Path temp)
      throws Exception {
    Path logdir = temp.resolve("logs");
    writeFinishedRuns(logdir);
    Path state = temp.resolve("state");
    List<String> before;
    try (WatchProcess first =
        WatchProcess.start(
            List.of(), logdir, state, "--park-after", "1s", "--checkpoint-interval", "200ms")) {
      // Parked, the page draws the curve thinned to 128 points (256 are kept while in memory).
      first.await(
          "resnet parked",
          () -> pointsOf(first, "resnet").equals(List.of(PARKED_POINTS, PARKED_POINTS)));
      before = curves(first, "resnet");
      assertThat(before)
          .as("parked, charted from memory, the whole run")
          .allSatisfy(c -> assertThat(c).contains(" 0..29"));
      ProcessHandle.of(first.pid()).orElseThrow().destroyForcibly();
      assertThat(first.awaitExit()).as("killed by SIGKILL").isEqualTo(137);
    }
    try (WatchProcess second =
        WatchProcess.start(
            List.of(), logdir, state, "--park-after", "1s", "--checkpoint-interval", "200ms")) {
      second.await("serving", () -> second.status("/readyz") == 200);
      assertThat(second.lines("parked until they have points"))
          .as("the restart starts them parked")
          .anySatisfy(l -> assertThat(l).contains("(0 in memory"));
      assertThat(curves(second, "resnet")).as("the same chart, from the state").isEqualTo(before);
      assertThat(curves(second, "tiny")).containsExactly("loss 0..2 3");
    }
  }

  @Test
  void anExperimentNotParkedYetKeepsItsChartAcrossAStopAndStart(@TempDir Path temp)
      throws Exception {
    Path logdir = temp.resolve("logs");
    writeFinishedRuns(logdir);
    Path state = temp.resolve("state");
    List<String> before;
    try (WatchProcess first = WatchProcess.start(List.of(), logdir, state, "--park-after", "1h")) {
      first.await("the runs judged", () -> !first.lines("resnet: training -> converged").isEmpty());
      first.await("charted", () -> pointsOf(first, "resnet").size() == 2);
      before = curves(first, "resnet");
      assertThat(first.stop()).isZero();
    }
    try (WatchProcess second = WatchProcess.start(List.of(), logdir, state, "--park-after", "1h")) {
      second.await("serving", () -> second.status("/readyz") == 200);
      assertThat(curves(second, "resnet"))
          .as("saved when the first daemon stopped, thinned to 128 points")
          .isEqualTo(
              before.stream().map(c -> c.replaceAll(" [0-9]+$", " " + PARKED_POINTS)).toList());
    }
  }
}
