package dev.plateau.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.plateau.detect.Detector;
import dev.plateau.detect.Judgement;
import dev.plateau.detect.Mode;
import dev.plateau.detect.OverfittingDetector;
import dev.plateau.detect.SeriesJudge;
import dev.plateau.detect.Verdict;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes every detector and {@link SeriesJudge} with arbitrary parameters ({@link DetectorParams})
 * over arbitrary series: NaN, infinities, the largest and smallest doubles, curves that flatten out
 * (so that convergence and its hysteresis are reached), steps that repeat, go back or jump, wall
 * times that are NaN or go back, twin points for the overfitting detector, and re-judging at any
 * time.
 *
 * <p>Properties: nothing throws once a detector's parameters were accepted; every judgement has a
 * status, a reason and evidence without nulls, and names as the checkpoint to keep either no step
 * or a step of the series; the judge's status is the strongest of its detectors' (by {@link
 * dev.plateau.detect.Status#priority()}) and it counts points and the last step; and a judge
 * restored from a snapshot taken at a fuzzed point (and again every few points) goes on exactly as
 * the original, verdict for verdict (the contract of {@code snapshot()} and {@code restore()}).
 */
class DetectorsFuzzTest {
  private static final FuzzRun RUN = new FuzzRun(DetectorsFuzzTest.class);
  static final int MAX_POINTS = 300;
  private static final double[] SPECIAL = {
    Double.NaN,
    Double.POSITIVE_INFINITY,
    Double.NEGATIVE_INFINITY,
    0,
    -0.0,
    Double.MAX_VALUE,
    -Double.MAX_VALUE,
    Double.MIN_VALUE,
    1e-300,
    1e300,
    -1e300
  };

  @AfterAll
  static void report() {
    RUN.report();
  }

  @FuzzTest
  void detectorsAndJudgeTakeAnySeriesAndResumeFromSnapshots(FuzzedDataProvider data) {
    RUN.count();
    Mode mode = data.pickValue(Mode.values());
    List<Supplier<Detector>> factories = new ArrayList<>();
    int wanted = data.consumeInt(1, 6);
    for (int i = 0; i < wanted; i++) {
      Supplier<Detector> factory = DetectorParams.next(data, mode);
      if (factory != null) {
        factories.add(factory);
      }
    }
    if (factories.isEmpty()) {
      return;
    }
    SeriesJudge judge = newJudge(mode, factories);
    SeriesJudge restored = null;
    int snapshotAt = data.consumeInt(0, MAX_POINTS);
    // After the first restore, the copy is restored again from the original every `period`
    // points, so that state a snapshot forgets shows even when its effect comes later.
    int period = data.consumeBoolean() ? 0 : data.consumeInt(1, 32);
    Series series = new Series(data);
    Set<Long> steps = new HashSet<>();
    int points = data.consumeInt(0, MAX_POINTS);
    for (int i = 0; i < points && data.remainingBytes() > 0; i++) {
      if (i == snapshotAt) {
        RUN.reached("restored from a snapshot at " + judge.verdict().status().jsonName());
        restored = newJudge(mode, factories);
        restored.restore(judge.snapshot());
      } else if (restored != null && period > 0 && (i - snapshotAt) % period == 0) {
        restored.restore(judge.snapshot());
      }
      long step = series.step();
      double wallTime = series.wallTime();
      double value = series.value(i);
      steps.add(step);
      int twins = data.consumeInt(0, 2);
      for (int t = 0; t < twins; t++) {
        double twinValue = series.value(i);
        long twinStep = step - data.consumeInt(0, 3);
        feedTwin(judge, twinStep, wallTime, twinValue);
        feedTwin(restored, twinStep, wallTime, twinValue);
      }
      Verdict changed = judge.observe(step, wallTime, value);
      check(judge, steps, i + 1, step);
      if (changed != null) {
        RUN.reached(changed.status().jsonName());
        assertThat(changed).isEqualTo(judge.verdict());
        assertThat(judge.beforeLastChange().status()).isNotEqualTo(changed.status());
      }
      if (restored != null) {
        Verdict restoredChanged = restored.observe(step, wallTime, value);
        assertThat(restored.verdict()).isEqualTo(judge.verdict());
        assertThat(restoredChanged).isEqualTo(changed);
        if (changed != null) {
          assertThat(restored.beforeLastChange()).isEqualTo(judge.beforeLastChange());
        }
      }
      if (data.consumeInt(0, 7) == 0) {
        double now =
            data.consumeBoolean() ? wallTime + data.consumeInt(0, 100_000) : data.consumeDouble();
        judge.arrivedAt(now);
        Verdict changedByTime = judge.atTime(now);
        if (changedByTime != null) {
          RUN.reached(changedByTime.status().jsonName() + " at a time");
        }
        if (restored != null) {
          restored.arrivedAt(now);
          restored.atTime(now);
          assertThat(restored.verdict()).isEqualTo(judge.verdict());
        }
        check(judge, steps, i + 1, step);
      }
    }
  }

  private static SeriesJudge newJudge(Mode mode, List<Supplier<Detector>> factories) {
    List<Detector> detectors = new ArrayList<>();
    for (Supplier<Detector> factory : factories) {
      detectors.add(factory.get());
    }
    return new SeriesJudge("run", "tag", mode, detectors);
  }

  /** Feeds a training twin's point to the judge's overfitting detectors, as LogdirJudge does. */
  private static void feedTwin(SeriesJudge judge, long step, double wallTime, double value) {
    if (judge == null) {
      return;
    }
    for (Detector detector : judge.detectors()) {
      if (detector instanceof OverfittingDetector overfitting) {
        overfitting.observeTwin(step, wallTime, value);
      }
    }
  }

  private static void check(SeriesJudge judge, Set<Long> steps, long points, long lastStep) {
    int strongest = 0;
    for (Detector detector : judge.detectors()) {
      Judgement j = detector.current();
      assertThat(j).isNotNull();
      assertThat(j.status()).isNotNull();
      assertThat(j.reason()).isNotBlank();
      assertThat(j.evidence()).doesNotContainValue(null);
      if (j.bestStep() != -1) {
        assertThat(steps).as("best step of %s", detector.name()).contains(j.bestStep());
      }
      strongest = Math.max(strongest, j.status().priority());
    }
    Verdict verdict = judge.verdict();
    assertThat(verdict.status().priority()).isEqualTo(strongest);
    assertThat(verdict.points()).isEqualTo(points);
    assertThat(verdict.lastStep()).isEqualTo(lastStep);
    assertThat(verdict.reason()).isNotBlank();
    if (verdict.bestStep() != null) {
      assertThat(steps).contains(verdict.bestStep());
    }
  }

  /**
   * The series' points from fuzzer data: steps that mostly rise (sometimes repeat, go back or jump
   * anywhere), wall times likewise, and values on a fuzzed curve that flattens out, with noise,
   * bursts far off the curve, or special values.
   */
  private static final class Series {
    private final FuzzedDataProvider data;
    private final double start;
    private final double drop;
    private final double tau;
    private final double noise;
    private long lastStep;
    private double lastTime = 1.7e9;
    private int burst;
    private double burstLevel;

    Series(FuzzedDataProvider data) {
      this.data = data;
      this.start = data.consumeBoolean() ? 1 : data.consumeRegularDouble();
      this.drop = data.consumeBoolean() ? 0.9 : data.consumeRegularDouble();
      this.tau = 1 + data.consumeInt(0, 200);
      this.noise = data.consumeBoolean() ? 0 : data.consumeProbabilityDouble() * 0.1;
    }

    long step() {
      lastStep =
          switch (data.consumeInt(0, 15)) {
            case 0 -> lastStep;
            case 1 -> lastStep - data.consumeInt(1, 1000);
            case 2 -> data.consumeLong();
            default -> lastStep + 1 + (data.consumeBoolean() ? 0 : data.consumeInt(0, 1000));
          };
      return lastStep;
    }

    double wallTime() {
      lastTime =
          switch (data.consumeInt(0, 15)) {
            case 0 -> data.consumeDouble();
            case 1 -> lastTime - data.consumeInt(0, 1000);
            default -> lastTime + data.consumeInt(0, 120);
          };
      return lastTime;
    }

    double value(int i) {
      if (burst > 0) {
        burst--;
        return burstLevel * (1 + data.consumeProbabilityDouble());
      }
      return switch (data.consumeInt(0, 15)) {
        case 0 -> data.pickValue(SPECIAL);
        case 1 -> data.consumeDouble();
        case 2 -> {
          // A burst: several points in a row far from the curve, as a run blowing up does.
          burst = data.consumeInt(1, 6);
          burstLevel = (Math.abs(start) + 1) * (data.consumeBoolean() ? 10 : -10);
          yield burstLevel;
        }
        default ->
            start
                - drop * (1 - Math.exp(-i / tau))
                + noise * (data.consumeProbabilityDouble() - 0.5);
      };
    }
  }
}
