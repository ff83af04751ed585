package dev.plateau.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plateau.config.ConfigLoader;
import dev.plateau.config.DetectionConfig;
import dev.plateau.write.EventFileWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * With sweeps compared (the default), {@code check} and {@code replay} compare each sweep apart and
 * judge its experiments one by one (issue 24); they answer exactly as one judge of the whole
 * logdir, on logdirs where runs do lag behind their sweeps: the noisy curve set as sibling runs,
 * and a generated sweep with laggards, runs that rewind (a restart, a session start), a run that
 * starts late, ties in wall time across runs, and experiments of a train and a validation run. Each
 * case first proves that runs lag there, or the comparison would prove nothing.
 */
class SweepsJudgedApartTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The generated sweep's points are written from here, 10 s apart. */
  private static final double T0 = 1.7e9;

  @TempDir static Path temp;

  private static Path generated;
  private static Path noisy;

  @BeforeAll
  static void writeLogdirs() throws IOException {
    generated = sweepWithLaggards(temp.resolve("generated"));
    noisy = SameAnswersTest.CurveLogdirs.write("noisy.jsonl", temp.resolve("noisy"), false);
  }

  static Stream<Arguments> cases() {
    double afterLastPoint = T0 + 10.0 * 260;
    return Stream.of(
        Arguments.of("generated", "notice", afterLastPoint),
        Arguments.of("generated", "stop", afterLastPoint),
        Arguments.of("generated", "stop", 2.0e9),
        Arguments.of("noisy", "stop", 2.0e9));
  }

  @ParameterizedTest(name = "{0}, lagging: {1}, now {2}")
  @MethodSource("cases")
  void sweepsComparedApartAnswerAsOneJudgeOfTheWholeLogdir(String name, String lagging, double now)
      throws Exception {
    Path logdir = name.equals("generated") ? generated : noisy;
    Path file = temp.resolve("lagging-" + lagging + ".yaml");
    Files.writeString(file, "detection:\n  lagging: " + lagging + "\n");
    DetectionConfig config = ConfigLoader.load(file, Map.of()).detection();
    assertThat(config.sweep().enabled()).isTrue();

    Backtest.Judged whole = Backtest.judgedAt(Backtest.run(logdir, config, quiet(), "replay"), now);
    String replayWhole = ReplayCommand.json(whole);
    String checkWhole = CheckCommand.json(whole.experiments(), config.stops());
    JsonNode replayed = JSON.readTree(replayWhole);
    List<String> firstLagging = new ArrayList<>();
    for (JsonNode series : replayed) {
      if (!series.get("first_lagging_step").isNull()) {
        firstLagging.add(series.get("run").asText());
      }
    }
    assertThat(firstLagging).as("series that lagged").hasSizeGreaterThan(2);
    if (lagging.equals("stop")) {
      assertThat(replayed.findValuesAsText("detector")).as("stopped as lagging").contains("sweep");
    }
    if (now < 2.0e9) {
      assertThat(JSON.readTree(checkWhole).findValuesAsText("status"))
          .as("runs lagging at the end")
          .contains("lagging");
    }

    for (int threads : List.of(1, 2)) {
      Backtest.Judged apart = StreamedBacktest.run(logdir, config, now, threads, quiet(), "replay");
      assertThat(ReplayCommand.json(apart))
          .as("replay, %d threads", threads)
          .isEqualTo(replayWhole);
      assertThat(CheckCommand.json(apart.experiments(), config.stops()))
          .as("check, %d threads", threads)
          .isEqualTo(checkWhole);
      assertThat(apart.firstRunStop())
          .as("experiments' first stops")
          .isEqualTo(whole.firstRunStop());
      assertThat(apart.sparklines()).isEqualTo(whole.sparklines());
    }
  }

  /**
   * A sweep of 16 runs directly in the logdir (tags {@code loss}, {@code val_loss}, {@code
   * accuracy}, written at the same wall times in every run), of which every fifth levels off far
   * above the others and one learns slowly and catches up; run 2 restarts from step 100, run 5 says
   * a session start at step 80, run 9 starts late. And a sweep {@code grid} of 6 experiments of a
   * train and a validation run, one of them behind.
   */
  static Path sweepWithLaggards(Path logdir) throws IOException {
    Random random = new Random(24);
    for (int i = 0; i < 16; i++) {
      double floor = i % 5 == 4 ? 3.2 : 2.0 + 0.05 * i;
      double rate = i == 3 ? 60 : 8;
      double start = i == 9 ? T0 + 600 : T0;
      try (EventFileWriter w =
          EventFileWriter.create(logdir.resolve(String.format("lr-%02d", i)), start, "t", 0)) {
        List<Long> steps = new ArrayList<>();
        for (long s = 1; s <= 200; s++) {
          steps.add(s);
          if (i == 2 && s == 150) {
            for (long again = 100; again < 150; again++) {
              steps.add(again);
            }
          }
        }
        for (int p = 0; p < steps.size(); p++) {
          long step = steps.get(p);
          double wall = start + 10.0 * (p + 1);
          if (i == 5 && step == 120) {
            w.sessionStart(80, wall);
            for (long again = 80; again <= 120; again++) {
              point(w, random, again, wall, floor, rate);
            }
            continue;
          }
          point(w, random, step, wall, floor, rate);
        }
      }
    }
    for (int e = 0; e < 6; e++) {
      double floor = e == 5 ? 3.0 : 1.5 + 0.05 * e;
      for (String split : List.of("train", "validation")) {
        double offset = split.equals("train") ? 0 : 1;
        Path dir = logdir.resolve("grid/e-" + e).resolve(split);
        try (EventFileWriter w = EventFileWriter.create(dir, T0 + offset, "t", 0)) {
          for (int s = 1; s <= 120; s++) {
            double v = floor + (4 - floor) * Math.exp(-s / 10.0) + 0.03 * random.nextGaussian();
            w.simpleValue("loss", s, T0 + offset + 10.0 * s, (float) v);
          }
        }
      }
    }
    return logdir;
  }

  private static void point(
      EventFileWriter w, Random random, long step, double wall, double floor, double rate)
      throws IOException {
    double loss = floor + (5 - floor) * Math.exp(-step / rate);
    w.simpleValue("loss", step, wall, (float) (loss + 0.04 * random.nextGaussian()));
    w.simpleValue("val_loss", step, wall, (float) (loss + 0.2 + 0.06 * random.nextGaussian()));
    w.simpleValue("accuracy", step, wall, (float) (1 - loss / 6 + 0.01 * random.nextGaussian()));
  }

  private static PrintWriter quiet() {
    return new PrintWriter(new StringWriter());
  }
}
