package dev.plateau.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.config.ConfigLoader;
import dev.plateau.config.DetectionConfig;
import dev.plateau.detect.Status;
import dev.plateau.detect.Verdict;
import dev.plateau.series.RunSeries;
import dev.plateau.series.ScalarPoint;
import dev.plateau.series.Series;
import dev.plateau.testing.StepScheduleTraining;
import dev.plateau.verdict.ExperimentVerdict;
import dev.plateau.verdict.LogdirJudge;
import dev.plateau.verdict.VerdictListener;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real SGD training under MultiStepLR (milestones at epochs 50 and 75 of 100), written by the
 * project's event-file writer with Lightning's {@code lr-SGD} tag, read back by the decoder and
 * judged point by point: its training loss looks converged three epochs after the first drop when
 * the learning rate is not followed, and is held back for the grace when it is.
 */
class StepScheduleReplayTest {
  @TempDir Path dir;

  static final int EPOCHS = 100;
  static final int FIRST_DROP = 50;

  /**
   * Every status change of {@code tag}, in order, judging the logdir's points in wall-time order.
   */
  static List<Verdict> transitions(Path logdir, String yaml, String tag) throws Exception {
    DetectionConfig config = ConfigLoader.parse(yaml, "t.yaml").detection();
    Backtest.Read read = Backtest.read(logdir, new PrintWriter(new StringWriter()), "replay");
    List<Verdict> changes = new ArrayList<>();
    LogdirJudge judge =
        new LogdirJudge(
            config,
            new VerdictListener() {
              @Override
              public void seriesTransition(Verdict previous, Verdict current) {
                if (current.tag().equals(tag)) {
                  changes.add(current);
                }
              }

              @Override
              public void experimentTransition(
                  ExperimentVerdict previous, ExperimentVerdict current) {}

              @Override
              public void problem(String message) {}
            });
    List<ScalarPoint> points = new ArrayList<>();
    for (RunSeries run : read.runs().values()) {
      for (Map.Entry<String, Series> e : run.byTag().entrySet()) {
        Series s = e.getValue();
        for (int i = 0; i < s.size(); i++) {
          points.add(
              new ScalarPoint(run.run(), "", e.getKey(), s.step(i), s.wallTime(i), s.value(i)));
        }
      }
    }
    points.sort(Comparator.comparingDouble(ScalarPoint::wallTime));
    for (ScalarPoint p : points) {
      judge.observe(p);
    }
    judge.judgeQueued();
    return changes;
  }

  /** Within the 10 points of grace after one of the drops (epochs 50 and 75). */
  static boolean withinGrace(long epoch) {
    return (epoch >= FIRST_DROP && epoch < FIRST_DROP + 10) || (epoch >= 75 && epoch < 85);
  }

  static long epoch(long step) {
    return step / StepScheduleTraining.STEPS_PER_EPOCH;
  }

  @Test
  void noConvergenceWithinTheGraceAfterADropOfARealStepSchedule() throws Exception {
    Path logdir = dir.resolve("logs");
    StepScheduleTraining.write(logdir.resolve("run"), 4, EPOCHS, true, FIRST_DROP, 75);

    List<Verdict> ignoring =
        transitions(logdir, "detection: {schedule: {enabled: false}}", "train_loss");
    assertThat(ignoring)
        .as("without the schedule, a convergence within 10 epochs of the drop")
        .anySatisfy(
            v -> {
              assertThat(v.status()).isEqualTo(Status.CONVERGED);
              assertThat(epoch(v.decidedAtStep())).isBetween((long) FIRST_DROP, FIRST_DROP + 9L);
            });

    List<Verdict> following = transitions(logdir, "", "train_loss");
    assertThat(following)
        .filteredOn(v -> v.status() == Status.CONVERGED)
        .as("following it: converged only after the grace")
        .isNotEmpty()
        .allSatisfy(
            v ->
                assertThat(withinGrace(epoch(v.decidedAtStep())))
                    .as("converged at epoch %d", epoch(v.decidedAtStep()))
                    .isFalse());
  }

  @Test
  void aHeldBackConvergenceSaysWhichDropAndTheForecastRestartsAfterIt() throws Exception {
    Path logdir = dir.resolve("logs");
    StepScheduleTraining.write(logdir.resolve("run"), 4, EPOCHS, true, FIRST_DROP, 75);
    DetectionConfig config = ConfigLoader.parse("", "t.yaml").detection();
    Backtest.Result r = Backtest.run(logdir, config, new PrintWriter(new StringWriter()), "replay");
    List<Verdict> held = new ArrayList<>();
    // Judge again point by point to read each verdict: the held-back one and the forecasts.
    LogdirJudge judge =
        new LogdirJudge(
            config,
            new VerdictListener() {
              @Override
              public void seriesTransition(Verdict previous, Verdict current) {}

              @Override
              public void experimentTransition(
                  ExperimentVerdict previous, ExperimentVerdict current) {}

              @Override
              public void problem(String message) {}
            });
    Series loss = r.runs().get("run").byTag().get("train_loss");
    Series lr = r.runs().get("run").byTag().get("lr-SGD");
    Long forecastFittedAfterDrop = null;
    for (int i = 0; i < loss.size(); i++) {
      judge.observe(new ScalarPoint("run", "", "lr-SGD", lr.step(i), lr.wallTime(i), lr.value(i)));
      judge.observe(
          new ScalarPoint("run", "", "train_loss", loss.step(i), loss.wallTime(i), loss.value(i)));
      Verdict v = judge.judgeOf("run", "train_loss").verdict();
      if (v.reason().startsWith("learning rate dropped at step")) {
        held.add(v);
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> forecast = (Map<String, Object>) v.evidence().get("forecast");
      if (i == FIRST_DROP) {
        assertThat(forecast).as("no forecast from the points before the drop").isNull();
      }
      if (i > FIRST_DROP && i < 75 && forecast != null && forecastFittedAfterDrop == null) {
        forecastFittedAfterDrop = ((Number) forecast.get("fitted_at_points")).longValue();
      }
    }
    assertThat(held).isNotEmpty();
    assertThat(held.get(0).status()).isEqualTo(Status.TRAINING);
    assertThat(held.get(0).evidence()).containsKey("learning_rate_drop");
    assertThat(held.get(0).reason()).contains("step " + FIRST_DROP * 25L);
    // the first forecast after the drop is fitted to its five first points, none from before
    assertThat(forecastFittedAfterDrop).isEqualTo(FIRST_DROP + 5L);
  }
}
