package dev.plateau.detect;

import static dev.plateau.detect.Feeding.T0;
import static dev.plateau.detect.Feeding.feed;
import static dev.plateau.detect.Feeding.firstIndexOf;
import static dev.plateau.detect.Feeding.patience;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PatienceDetectorTest {

  private static PatienceDetector detector(
      Mode mode, Span span, MinDelta delta, long startStep, double baseline) {
    return new PatienceDetector(
        mode, new PatienceDetector.Params(span, delta, startStep, baseline));
  }

  @Test
  void wallClockPatienceNamesWhenTimeAloneWouldConverge() {
    PatienceDetector d =
        detector(
            Mode.MIN,
            new Span(600, Span.Unit.SECONDS),
            new MinDelta(0.0, false),
            Long.MIN_VALUE,
            Double.NaN);
    d.observe(1, 1000, 1.0);
    assertThat(d.nextChangeAt()).as("nothing waited for yet").isInfinite();
    d.observe(2, 1010, 1.5);
    assertThat(d.nextChangeAt()).isEqualTo(1000 + 600);
    assertThat(d.atTime(1599).status()).isEqualTo(Status.TRAINING);
    assertThat(d.atTime(1600).status()).isEqualTo(Status.CONVERGED);
    assertThat(d.nextChangeAt()).isInfinite();
  }

  @Test
  void pointPatienceNeverWaitsForTime() {
    PatienceDetector d =
        detector(Mode.MIN, Span.points(2), new MinDelta(0.0, false), Long.MIN_VALUE, Double.NaN);
    d.observe(1, 1000, 1.0);
    d.observe(2, 1010, 1.5);
    assertThat(d.nextChangeAt()).isInfinite();
  }

  @Test
  void seedRuleExampleStopsAtIndexSixAndKeepsIndexThree() {
    // max mode, k = 3: M(3) = 0.71 is better than M(4..6) = 0.69, 0.70, 0.68 -> stop at 6, keep 3.
    List<Judgement> js = feed(patience(Mode.MAX, 3), 0.50, 0.62, 0.70, 0.71, 0.69, 0.70, 0.68);
    assertThat(firstIndexOf(js, Status.CONVERGED)).isEqualTo(6);
    Judgement last = js.get(6);
    assertThat(last.bestStep()).isEqualTo(3);
    assertThat(last.bestValue()).isEqualTo(0.71);
    for (int i = 0; i < 6; i++) {
      assertThat(js.get(i).status()).as("point %d", i).isEqualTo(Status.TRAINING);
    }
  }

  @Test
  void seedRuleAndPatienceAgreeOnFirstStopAndKeptStepForRandomSeriesWithoutTies() {
    Random random = new Random(42);
    for (int trial = 0; trial < 400; trial++) {
      int k = 1 + random.nextInt(5);
      Mode mode = random.nextBoolean() ? Mode.MIN : Mode.MAX;
      double[] m = new double[5 + random.nextInt(40)];
      double level = 1;
      for (int i = 0; i < m.length; i++) {
        level += (mode == Mode.MIN ? -0.02 : 0.02) + 0.05 * random.nextGaussian();
        m[i] = level;
      }
      // The seed rule, written out literally, scanning stop positions t = n + k in order.
      int seedStop = -1;
      int seedKeep = -1;
      for (int t = k; t < m.length && seedStop < 0; t++) {
        int n = t - k;
        boolean better = true;
        for (int j = n + 1; j <= t; j++) {
          better &= mode.better(m[n], m[j]);
        }
        if (better) {
          seedStop = t;
          seedKeep = n;
        }
      }
      List<Judgement> js = feed(patience(mode, k), m);
      int stop = firstIndexOf(js, Status.CONVERGED);
      assertThat(stop).as("trial %d k %d %s", trial, k, mode).isEqualTo(seedStop);
      if (stop >= 0) {
        assertThat(js.get(stop).bestStep()).as("trial %d", trial).isEqualTo(seedKeep);
      }
    }
  }

  @Test
  void equalValueIsNotAnImprovementSoPatienceRunsOut() {
    List<Judgement> js = feed(patience(Mode.MIN, 2), 1.0, 0.5, 0.5, 0.5);
    assertThat(js.get(2).status()).isEqualTo(Status.TRAINING);
    assertThat(js.get(3).status()).isEqualTo(Status.CONVERGED);
    assertThat(js.get(3).bestStep()).as("ties keep the earlier step").isEqualTo(1);
  }

  @Test
  void improvementMustExceedAbsoluteMinDeltaStrictly() {
    PatienceDetector d =
        detector(Mode.MIN, Span.points(2), new MinDelta(0.25, false), Long.MIN_VALUE, Double.NaN);
    // 1.0 -> 0.75 is exactly min_delta better (exact in binary): not an improvement.
    List<Judgement> js = feed(d, 1.0, 0.75, 0.8);
    assertThat(js.get(1).status()).isEqualTo(Status.TRAINING);
    assertThat(js.get(2).status()).isEqualTo(Status.CONVERGED);
    // the checkpoint is still the best finite value seen, even though it was not an "improvement"
    assertThat(js.get(2).bestValue()).isEqualTo(0.75);
    assertThat(js.get(2).bestStep()).isEqualTo(1);
  }

  @Test
  void improvementByMoreThanAbsoluteMinDeltaResetsTheWait() {
    PatienceDetector d =
        detector(Mode.MIN, Span.points(2), new MinDelta(0.1, false), Long.MIN_VALUE, Double.NaN);
    List<Judgement> js = feed(d, 1.0, 0.95, 0.89, 0.85, 0.84);
    assertThat(js.get(2).status()).isEqualTo(Status.TRAINING); // 0.89 < 1.0 - 0.1
    assertThat(js.get(3).status()).isEqualTo(Status.TRAINING);
    assertThat(js.get(4).status()).isEqualTo(Status.CONVERGED); // 0.85, 0.84 not < 0.79
  }

  @Test
  void relativeMinDeltaIsAFractionOfTheBestMagnitude() {
    // 1%: from 200 an improvement must go below 198 (min) -> 198.5 is not, 197.9 is.
    PatienceDetector d =
        detector(Mode.MIN, Span.points(1), new MinDelta(0.01, true), Long.MIN_VALUE, Double.NaN);
    List<Judgement> js = feed(d, 200, 197.9, 196.0);
    assertThat(js.get(1).status()).isEqualTo(Status.TRAINING);
    assertThat(js.get(2).status())
        .as("196.0 is not one percent below 197.9 (needs < 195.921)")
        .isEqualTo(Status.CONVERGED);
    PatienceDetector max =
        detector(Mode.MAX, Span.points(1), new MinDelta(0.01, true), Long.MIN_VALUE, Double.NaN);
    List<Judgement> up = feed(max, -100, -98.9, -98.0);
    assertThat(up.get(1).status()).as("-98.9 > -100 + 1").isEqualTo(Status.TRAINING);
    assertThat(up.get(2).status()).as("-98.0 is not > -98.9 + 0.989").isEqualTo(Status.CONVERGED);
  }

  @Test
  void patienceInStepsCountsStepsSinceTheLastImprovement() {
    PatienceDetector d =
        detector(
            Mode.MIN, new Span(5000, Span.Unit.STEPS), MinDelta.ZERO, Long.MIN_VALUE, Double.NaN);
    assertThat(d.observe(1000, T0, 1.0).status()).isEqualTo(Status.TRAINING);
    assertThat(d.observe(2000, T0 + 1, 0.5).status()).isEqualTo(Status.TRAINING);
    assertThat(d.observe(4000, T0 + 2, 0.6).status()).isEqualTo(Status.TRAINING);
    assertThat(d.observe(6999, T0 + 3, 0.6).status()).isEqualTo(Status.TRAINING);
    Judgement j = d.observe(7000, T0 + 4, 0.7);
    assertThat(j.status()).isEqualTo(Status.CONVERGED);
    assertThat(j.bestStep()).isEqualTo(2000);
  }

  @Test
  void patienceInSecondsUsesWriterWallTimeOfPoints() {
    PatienceDetector d =
        detector(
            Mode.MAX, new Span(1800, Span.Unit.SECONDS), MinDelta.ZERO, Long.MIN_VALUE, Double.NaN);
    d.observe(1, T0, 0.5);
    d.observe(2, T0 + 600, 0.8); // improvement at T0+600
    assertThat(d.observe(3, T0 + 1200, 0.7).status()).isEqualTo(Status.TRAINING);
    assertThat(d.observe(4, T0 + 2399, 0.7).status()).isEqualTo(Status.TRAINING);
    Judgement j = d.observe(5, T0 + 2400, 0.79);
    assertThat(j.status()).isEqualTo(Status.CONVERGED);
    assertThat(j.bestStep()).isEqualTo(2);
  }

  @Test
  void patienceInSecondsConvergesThroughAtTimeWithoutNewPoints() {
    PatienceDetector d =
        detector(
            Mode.MIN, new Span(1800, Span.Unit.SECONDS), MinDelta.ZERO, Long.MIN_VALUE, Double.NaN);
    d.observe(1, T0, 1.0);
    d.observe(2, T0 + 60, 1.1); // not an improvement: waiting since T0
    assertThat(d.atTime(T0 + 1799).status()).isEqualTo(Status.TRAINING);
    Judgement j = d.atTime(T0 + 1800);
    assertThat(j.status()).isEqualTo(Status.CONVERGED);
    assertThat(j.bestStep()).isEqualTo(1);
    assertThat(d.current()).isEqualTo(j);
  }

  @Test
  void atTimeDoesNothingForPatienceCountedInPoints() {
    PatienceDetector d = patience(Mode.MIN, 2);
    feed(d, 1.0, 1.1);
    Judgement before = d.current();
    assertThat(d.atTime(T0 + 1e9)).isSameAs(before);
  }

  @Test
  void pointsBeforeStartStepNeitherCountNorSetTheBest() {
    PatienceDetector d = detector(Mode.MIN, Span.points(2), MinDelta.ZERO, 3, Double.NaN);
    // steps 0..2 are in the grace period; the very low 0.01 at step 0 must not become the best
    List<Judgement> js = feed(d, 0.01, 5, 5, 1.0, 1.1, 1.2);
    assertThat(js.get(0).status()).isEqualTo(Status.TRAINING);
    assertThat(js.get(2).bestStep()).isEqualTo(-1);
    assertThat(js.get(3).status()).isEqualTo(Status.TRAINING);
    assertThat(js.get(3).bestStep()).isEqualTo(3);
    assertThat(js.get(4).status()).isEqualTo(Status.TRAINING);
    assertThat(js.get(5).status()).isEqualTo(Status.CONVERGED);
    assertThat(js.get(5).bestStep()).isEqualTo(3);
    assertThat(js.get(5).bestValue()).isEqualTo(1.0);
  }

  @Test
  void patienceDoesNotCountUntilAValueBeatsTheBaseline() {
    PatienceDetector d = detector(Mode.MAX, Span.points(2), MinDelta.ZERO, Long.MIN_VALUE, 0.9);
    // Stuck below the baseline for a long time: never converged.
    List<Judgement> js = feed(d, 0.5, 0.6, 0.55, 0.55, 0.55, 0.55, 0.55, 0.95, 0.94, 0.93);
    for (int i = 0; i <= 8; i++) {
      assertThat(js.get(i).status()).as("point %d", i).isEqualTo(Status.TRAINING);
    }
    assertThat(js.get(6).evidence()).containsEntry("baseline_beaten", false);
    assertThat(js.get(9).status()).isEqualTo(Status.CONVERGED);
    assertThat(js.get(9).bestStep()).isEqualTo(7);
    assertThat(js.get(9).evidence()).containsEntry("baseline_beaten", true);
  }

  @Test
  void aValueBetterThanTheBaselineStartsPatienceEvenWhenWithinMinDeltaOfTheReference() {
    // baseline 0.5 (min), min_delta 0.1: reference 0.55, then 0.49 is better than the baseline.
    PatienceDetector d =
        detector(Mode.MIN, Span.points(3), new MinDelta(0.1, false), Long.MIN_VALUE, 0.5);
    List<Judgement> js = feed(d, 0.55, 0.49, 0.49, 0.49, 0.49, 0.49, 0.49, 0.49, 0.49);
    assertThat(firstIndexOf(js, Status.CONVERGED))
        .as("patience should count from the first value better than the baseline")
        .isBetween(1, 4);
  }

  @Test
  void nanIsNeverAnImprovementCountsAsWaitingAndNeverBecomesBest() {
    List<Judgement> js = feed(patience(Mode.MIN, 3), 1.0, 0.5, Double.NaN, Double.NaN, Double.NaN);
    assertThat(js.get(3).status()).isEqualTo(Status.TRAINING);
    assertThat(js.get(4).status()).isEqualTo(Status.CONVERGED);
    assertThat(js.get(4).bestStep()).isEqualTo(1);
    assertThat(js.get(4).bestValue()).isEqualTo(0.5);
  }

  @Test
  void infinitiesAreNeverImprovementsEvenInTheBetterDirection() {
    List<Judgement> js =
        feed(patience(Mode.MIN, 2), 1.0, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY);
    assertThat(js.get(2).status()).isEqualTo(Status.CONVERGED);
    assertThat(js.get(2).bestValue()).isEqualTo(1.0);
  }

  @Test
  void onlyNanValuesNeverConvergeAndHaveNoBest() {
    List<Judgement> js =
        feed(patience(Mode.MIN, 2), Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    assertThat(js).allSatisfy(j -> assertThat(j.status()).isEqualTo(Status.TRAINING));
    assertThat(js.get(3).bestStep()).isEqualTo(-1);
    assertThat(js.get(3).hasBest()).isFalse();
  }

  @Test
  void bestStepIsTheBestFiniteValueAndTiesKeepTheEarlierStep() {
    List<Judgement> js = feed(patience(Mode.MAX, 4), 0.3, 0.8, 0.8, 0.7, 0.8, 0.6);
    Judgement last = js.get(5);
    assertThat(last.status()).isEqualTo(Status.CONVERGED);
    assertThat(last.bestStep()).isEqualTo(1);
  }

  @Test
  void improvementAfterConvergedReturnsToTrainingAndRestartsTheWait() {
    PatienceDetector d = patience(Mode.MIN, 2);
    List<Judgement> js = feed(d, 1.0, 1.1, 1.2, 0.9, 1.0, 1.0);
    assertThat(js.get(2).status()).isEqualTo(Status.CONVERGED);
    assertThat(js.get(3).status()).isEqualTo(Status.TRAINING);
    assertThat(js.get(3).bestStep()).isEqualTo(3);
    assertThat(js.get(4).status()).isEqualTo(Status.TRAINING);
    assertThat(js.get(5).status()).isEqualTo(Status.CONVERGED);
    assertThat(js.get(5).bestStep()).isEqualTo(3);
  }

  @Test
  void nonImprovingPointAfterConvergedStaysConverged() {
    List<Judgement> js = feed(patience(Mode.MIN, 1), 1.0, 1.5, 1.2, 1.0);
    assertThat(js.subList(1, 4))
        .allSatisfy(j -> assertThat(j.status()).isEqualTo(Status.CONVERGED));
  }

  @Test
  void beforeAnyPointTheJudgementIsWaitingTraining() {
    PatienceDetector d = patience(Mode.MIN, 3);
    assertThat(d.current().status()).isEqualTo(Status.TRAINING);
    assertThat(d.current().hasBest()).isFalse();
    assertThat(d.name()).isEqualTo("patience");
  }
}
