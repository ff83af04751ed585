package dev.plateau.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.config.ConfigLoader;
import dev.plateau.config.DetectionConfig;
import dev.plateau.detect.Verdict;
import dev.plateau.series.Series;
import dev.plateau.series.SeriesKey;
import dev.plateau.testing.StepScheduleTraining;
import dev.plateau.tune.CurveScore;
import dev.plateau.tune.Score;
import dev.plateau.tune.Stop;
import dev.plateau.tune.Summary;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Step-schedule runs replayed with and without their learning rate followed, scored by the
 * evaluation tool's definitions ({@link CurveScore}): following the schedule must not stop more
 * runs falsely. The runs are real SGD trainings ({@link StepScheduleTraining}) under four
 * MultiStepLR schedules, {@value #SEEDS} seeds each; the logdir and the curves (JSONL, for {@code
 * detect_eval.py}) are left in {@code target/step-schedule}.
 */
class StepScheduleBenchmarkTest {
  static final int SEEDS = 12;

  /** Epochs, then milestones. */
  static final int[][] SCHEDULES = {{90, 30, 60}, {60, 20, 40}, {100, 50, 75}, {48, 16, 32}};

  @Test
  void followingTheScheduleStopsNoMoreRunsFalselyOnStepScheduleRuns() throws Exception {
    Path out = Path.of("target", "step-schedule");
    Path logdir = out.resolve("logdir");
    deleteTree(out);
    Files.createDirectories(logdir);
    StringBuilder jsonl = new StringBuilder();
    StringBuilder map = new StringBuilder();
    for (int[] schedule : SCHEDULES) {
      int[] milestones = java.util.Arrays.copyOfRange(schedule, 1, schedule.length);
      for (long seed = 1; seed <= SEEDS; seed++) {
        String run = String.format(Locale.ROOT, "e%d-s%d", schedule[0], seed);
        StepScheduleTraining.write(logdir.resolve(run), seed, schedule[0], true, milestones);
      }
    }
    DetectionConfig following = ConfigLoader.parse("", "t.yaml").detection();
    DetectionConfig ignoring =
        ConfigLoader.parse("detection: {schedule: {enabled: false}}", "t.yaml").detection();
    PrintWriter err = new PrintWriter(new StringWriter());
    Backtest.Read read = Backtest.read(logdir, err, "replay");
    Backtest.Result after = Backtest.judge(read, following, err, "replay");
    Backtest.Result before = Backtest.judge(read, ignoring, err, "replay");
    after.judge().judgeQueued(); // the first stops are found as the queued points are judged
    before.judge().judgeQueued();
    List<Score> scoresBefore = new ArrayList<>();
    List<Score> scoresAfter = new ArrayList<>();
    for (var run : read.runs().values()) {
      for (String tag : List.of("val_loss", "train_loss")) {
        Series s = run.byTag().get(tag);
        double[] values = new double[s.size()];
        StringBuilder steps = new StringBuilder();
        StringBuilder vals = new StringBuilder();
        for (int i = 0; i < s.size(); i++) {
          values[i] = s.value(i);
          steps.append(i == 0 ? "" : ", ").append(s.step(i));
          vals.append(i == 0 ? "" : ", ").append(s.value(i));
        }
        jsonl.append(
            String.format(
                Locale.ROOT,
                "{\"id\": \"%s-%s\", \"source\": \"sgd-multisteplr\", \"metric\": \"%s\", \"mode\":"
                    + " \"min\", \"steps\": [%s], \"values\": [%s], \"run\": \"%s\"}%n",
                run.run(),
                tag,
                tag,
                steps,
                vals,
                run.run()));
        map.append(map.length() == 0 ? "{" : ", ")
            .append(String.format("\"%s-%s\": [\"%s\", \"%s\"]", run.run(), tag, run.run(), tag));
        SeriesKey key = new SeriesKey(run.run(), tag);
        scoresBefore.add(CurveScore.score(values, stop(s, before.firstSeriesStop().get(key))));
        scoresAfter.add(CurveScore.score(values, stop(s, after.firstSeriesStop().get(key))));
      }
    }
    Files.writeString(out.resolve("curves.jsonl"), jsonl);
    Files.writeString(out.resolve("map.json"), map.append("}"));
    Summary b = Summary.of(scoresBefore, 0.02);
    Summary a = Summary.of(scoresAfter, 0.02);
    System.out.printf(
        Locale.ROOT,
        "step-schedule runs, %d curves: schedule ignored: fired %d, savings %.3f, false stops %.1f%%"
            + " (noise-aware %.1f%%); followed: fired %d, savings %.3f, false stops %.1f%%"
            + " (noise-aware %.1f%%)%n",
        b.curves(),
        b.fired(),
        b.meanSavings(),
        100 * b.falseStopRate(),
        100 * b.noiseAwareFalseStopRate(),
        a.fired(),
        a.meanSavings(),
        100 * a.falseStopRate(),
        100 * a.noiseAwareFalseStopRate());
    assertThat(a.falseStopRate()).isLessThanOrEqualTo(b.falseStopRate());
  }

  static Stop stop(Series s, Verdict first) {
    if (first == null) {
      return null;
    }
    return new Stop(indexOf(s, first.decidedAtStep()), indexOf(s, first.bestStep()));
  }

  static int indexOf(Series s, long step) {
    int i = 0;
    while (i + 1 < s.size() && s.step(i + 1) <= step) {
      i++;
    }
    return i;
  }

  static void deleteTree(Path p) throws java.io.IOException {
    if (Files.exists(p)) {
      try (var walk = Files.walk(p)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(q -> q.toFile().delete());
      }
    }
  }
}
