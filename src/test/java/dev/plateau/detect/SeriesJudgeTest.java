package dev.plateau.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeriesJudgeTest {

  /** Returns scripted statuses, one per observe call (the last repeats), with best step = step. */
  static final class Scripted implements Detector {
    private final String name;
    private final Deque<Status> script = new ArrayDeque<>();
    private final boolean withBest;
    private Judgement current = Judgement.waiting("none");
    private Status timed;

    Scripted(String name, boolean withBest, Status... statuses) {
      this.name = name;
      this.withBest = withBest;
      script.addAll(List.of(statuses));
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Judgement observe(long step, double wallTime, double value) {
      Status s = script.size() > 1 ? script.removeFirst() : script.peekFirst();
      current =
          new Judgement(
              s,
              withBest ? step : -1,
              withBest ? value : Double.NaN,
              Map.of("by", name),
              name + " " + s);
      return current;
    }

    @Override
    public Judgement atTime(double nowSeconds) {
      if (timed != null) {
        current = new Judgement(timed, -1, Double.NaN, Map.of(), name + " timed " + timed);
      }
      return current;
    }

    @Override
    public Judgement current() {
      return current;
    }

    @Override
    public DetectorState snapshot() {
      throw new UnsupportedOperationException("a test double keeps no state");
    }

    @Override
    public void restore(DetectorState state) {
      throw new UnsupportedOperationException("a test double keeps no state");
    }
  }

  private static final Status T = Status.TRAINING;

  @Test
  void highestPriorityStatusWinsInTheDocumentedOrder() {
    List<Status> byPriority =
        List.of(
            Status.DIVERGED,
            Status.TARGET_REACHED,
            Status.OVERFITTING,
            Status.CONVERGED,
            Status.STALLED,
            Status.TRAINING);
    for (int hi = 0; hi < byPriority.size(); hi++) {
      for (int lo = hi + 1; lo < byPriority.size(); lo++) {
        Status a = byPriority.get(hi);
        Status b = byPriority.get(lo);
        SeriesJudge low_first =
            new SeriesJudge(
                "r",
                "loss",
                Mode.MIN,
                List.of(new Scripted("lo", true, b), new Scripted("hi", true, a)));
        low_first.observe(1, 0, 1.0);
        assertThat(low_first.verdict().status()).as("%s vs %s", a, b).isEqualTo(a);
        assertThat(low_first.verdict().detector()).isEqualTo("hi");
        SeriesJudge high_first =
            new SeriesJudge(
                "r",
                "loss",
                Mode.MIN,
                List.of(new Scripted("hi", true, a), new Scripted("lo", true, b)));
        high_first.observe(1, 0, 1.0);
        assertThat(high_first.verdict().status()).isEqualTo(a);
      }
    }
  }

  @Test
  void amongEqualStatusesTheFirstListedDetectorWins() {
    SeriesJudge j =
        new SeriesJudge(
            "r",
            "loss",
            Mode.MIN,
            List.of(
                new Scripted("a", true, Status.CONVERGED),
                new Scripted("b", true, Status.CONVERGED)));
    j.observe(1, 0, 1.0);
    assertThat(j.verdict().detector()).isEqualTo("a");
    assertThat(j.verdict().evidence()).containsEntry("by", "a");
  }

  @Test
  void transitionsAreReturnedOnlyWhenTheStatusChangesWithTheStepOfTheChange() {
    SeriesJudge j =
        new SeriesJudge(
            "r",
            "loss",
            Mode.MIN,
            List.of(new Scripted("p", true, T, T, Status.CONVERGED, Status.CONVERGED, T, T)));
    assertThat(j.observe(10, 0, 1)).isNull();
    assertThat(j.observe(20, 0, 1)).isNull();
    assertThat(j.verdict().decidedAtStep()).as("training from the start").isNull();
    Verdict converged = j.observe(30, 0, 1);
    assertThat(converged).isNotNull();
    assertThat(converged.status()).isEqualTo(Status.CONVERGED);
    assertThat(converged.decidedAtStep()).isEqualTo(30L);
    assertThat(j.observe(40, 0, 1)).isNull();
    assertThat(j.verdict().decidedAtStep()).isEqualTo(30L);
    assertThat(j.verdict().lastStep()).isEqualTo(40);
    assertThat(j.verdict().points()).isEqualTo(4);
    Verdict back = j.observe(50, 0, 1);
    assertThat(back.status()).isEqualTo(Status.TRAINING);
    assertThat(back.decidedAtStep()).isEqualTo(50L);
    assertThat(j.observe(60, 0, 1)).isNull();
  }

  @Test
  void verdictCarriesRunTagModeBestLastStepAndPoints() {
    SeriesJudge j =
        new SeriesJudge(
            "exp/validation", "epoch_loss", Mode.MIN, List.of(Feeding.patience(Mode.MIN, 2)));
    j.observe(1, 0, 1.0);
    j.observe(2, 0, 0.5);
    j.observe(3, 0, 0.7);
    Verdict v = j.observe(4, 0, 0.6);
    assertThat(v).isNotNull();
    assertThat(v.run()).isEqualTo("exp/validation");
    assertThat(v.tag()).isEqualTo("epoch_loss");
    assertThat(v.mode()).isEqualTo(Mode.MIN);
    assertThat(v.status()).isEqualTo(Status.CONVERGED);
    assertThat(v.detector()).isEqualTo("patience");
    assertThat(v.bestStep()).isEqualTo(2L);
    assertThat(v.bestValue()).isEqualTo(0.5);
    assertThat(v.lastStep()).isEqualTo(4);
    assertThat(v.points()).isEqualTo(4);
  }

  @Test
  void aTimeBasedVerdictNamesTheBestMeasuredPoint() {
    Scripted stalled = new Scripted("stalled", false, T);
    SeriesJudge j =
        new SeriesJudge("r", "loss", Mode.MIN, List.of(new Scripted("plain", false, T), stalled));
    j.observe(5, 0, 0.25);
    j.observe(6, 0, 0.5);
    stalled.timed = Status.STALLED;
    Verdict v = j.atTime(1e9);
    assertThat(v.status()).isEqualTo(Status.STALLED);
    assertThat(v.detector()).isEqualTo("stalled");
    assertThat(v.bestStep()).isEqualTo(5L);
    assertThat(v.bestValue()).isEqualTo(0.25);
  }

  @Test
  void noFiniteValueGivesNullBestStepAndNaNValue() {
    SeriesJudge j = new SeriesJudge("r", "loss", Mode.MIN, List.of(new Scripted("x", true, T)));
    j.observe(1, 0, Double.NaN);
    j.observe(2, 0, Double.POSITIVE_INFINITY);
    assertThat(j.verdict().bestStep()).isNull();
    assertThat(j.verdict().bestValue()).isNaN();
    j.observe(3, 0, 7);
    assertThat(j.verdict().bestStep()).isEqualTo(3L);
  }

  @Test
  void oneSeriesNamesOneCheckpointAcrossAConvergenceAndALaterOverfitting() {
    // Both detectors name their latest step; the judge names the best measured point, so the
    // overfitting that follows the convergence keeps the convergence's checkpoint, and only a
    // point that measures better moves it.
    Status c = Status.CONVERGED;
    Status o = Status.OVERFITTING;
    Scripted converging = new Scripted("converging", true, T, T, c, c, c, c);
    Scripted overfitting = new Scripted("overfitting", true, T, T, T, T, o, o);
    SeriesJudge j = new SeriesJudge("r", "val_loss", Mode.MIN, List.of(converging, overfitting));
    j.observe(1, 0, 1.0);
    j.observe(2, 0, 0.4);
    Verdict converged = j.observe(3, 0, 0.6);
    assertThat(converged.status()).isEqualTo(c);
    assertThat(converged.bestStep()).isEqualTo(2L);
    assertThat(j.observe(4, 0, 0.5)).isNull();
    Verdict overfit = j.observe(5, 0, 0.7);
    assertThat(overfit.status()).isEqualTo(o);
    assertThat(overfit.detector()).isEqualTo("overfitting");
    assertThat(overfit.bestStep()).isEqualTo(2L);
    assertThat(overfit.bestValue()).isEqualTo(0.4);
    assertThat(j.beforeLastChange().bestStep()).isEqualTo(2L);
    j.observe(6, 0, 0.3);
    assertThat(j.verdict().bestStep()).isEqualTo(6L);
  }

  @Test
  void inMaxModeTheCheckpointIsTheHighestMeasuredPoint() {
    SeriesJudge j = new SeriesJudge("r", "acc", Mode.MAX, List.of(new Scripted("x", true, T)));
    j.observe(1, 0, 0.5);
    j.observe(2, 0, 0.9);
    j.observe(3, 0, 0.9);
    j.observe(4, 0, 0.7);
    assertThat(j.verdict().bestStep()).as("the earliest of equals").isEqualTo(2L);
    assertThat(j.verdict().bestValue()).isEqualTo(0.9);
  }

  @Test
  void timeBasedChangeIsDecidedAtTheLastStep() {
    SeriesJudge j =
        new SeriesJudge(
            "r",
            "loss",
            Mode.MIN,
            List.of(
                new DivergenceDetector(Mode.MIN, DivergenceDetector.Params.DEFAULTS),
                new StalledDetector(new StalledDetector.Params(60))));
    j.observe(100, 1000, 1.0);
    j.observe(200, 1010, 0.9);
    assertThat(j.atTime(1060)).isNull();
    Verdict v = j.atTime(1071);
    assertThat(v.status()).isEqualTo(Status.STALLED);
    assertThat(v.decidedAtStep()).isEqualTo(200L);
    assertThat(v.bestStep()).isEqualTo(200L);
    assertThat(j.atTime(2000)).isNull();
    Verdict resumed = j.observe(300, 2001, 0.95);
    assertThat(resumed.status()).isEqualTo(Status.TRAINING);
  }

  @Test
  void atTimeBeforeAnyPointDoesNothing() {
    SeriesJudge j =
        new SeriesJudge(
            "r", "loss", Mode.MIN, List.of(new StalledDetector(new StalledDetector.Params(1))));
    assertThat(j.atTime(1e12)).isNull();
    assertThat(j.verdict().status()).isEqualTo(Status.TRAINING);
    assertThat(j.verdict().points()).isZero();
  }

  @Test
  void divergedOverridesConvergedOnARealSeries() {
    SeriesJudge j =
        new SeriesJudge(
            "r",
            "loss",
            Mode.MIN,
            List.of(
                Feeding.patience(Mode.MIN, 1),
                new DivergenceDetector(Mode.MIN, DivergenceDetector.Params.DEFAULTS)));
    j.observe(1, 0, 1.0);
    assertThat(j.observe(2, 0, 1.2).status()).isEqualTo(Status.CONVERGED);
    Verdict v = j.observe(3, 0, Double.NaN);
    assertThat(v.status()).isEqualTo(Status.DIVERGED);
    assertThat(v.detector()).isEqualTo("divergence");
    assertThat(v.decidedAtStep()).isEqualTo(3L);
    assertThat(v.bestStep()).isEqualTo(1L);
  }

  @Test
  void requiresAtLeastOneDetector() {
    assertThatThrownBy(() -> new SeriesJudge("r", "t", Mode.MIN, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void statusPriorityAndStopFlagsAreAsDocumented() {
    assertThat(Status.DIVERGED.priority()).isGreaterThan(Status.TARGET_REACHED.priority());
    assertThat(Status.TARGET_REACHED.priority()).isGreaterThan(Status.OVERFITTING.priority());
    assertThat(Status.OVERFITTING.priority()).isGreaterThan(Status.CONVERGED.priority());
    assertThat(Status.CONVERGED.priority()).isGreaterThan(Status.STALLED.priority());
    assertThat(Status.STALLED.priority()).isGreaterThan(Status.TRAINING.priority());
    assertThat(Status.TRAINING.isStop()).isFalse();
    assertThat(Status.STALLED.isStop()).isFalse();
    assertThat(Status.CONVERGED.isStop()).isTrue();
    assertThat(Status.fromJsonName("target_reached")).isEqualTo(Status.TARGET_REACHED);
    assertThatThrownBy(() -> Status.fromJsonName("done"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** The default detectors, patience and stalled: every kind of status change a judge sees. */
  private static SeriesJudge everyKind() {
    return new SeriesJudge(
        "exp/validation",
        "val_loss",
        Mode.MIN,
        List.of(
            new DivergenceDetector(Mode.MIN, DivergenceDetector.Params.DEFAULTS),
            new OverfittingDetector(Mode.MIN, new OverfittingDetector.Params(8, 1.0, 0.02, 5)),
            new PlateauDetector(Mode.MIN, PlateauDetector.Params.DEFAULTS),
            Feeding.patience(Mode.MIN, 30),
            new StalledDetector(new StalledDetector.Params(600))));
  }

  private static void feedTwin(SeriesJudge judge, DraftedDetectorTest.Event e) {
    for (Detector d : judge.detectors()) {
      if (d instanceof OverfittingDetector o && !e.isTime()) {
        o.observeTwin(e.step(), e.time(), e.twin());
      }
    }
  }

  @Test
  void beforeLastChangeIsTheVerdictBeforeTheChangeThoughNoOneReadIt() {
    for (long seed = 1; seed <= 3; seed++) {
      SeriesJudge read = everyKind();
      SeriesJudge unread = everyKind();
      Verdict previous = read.verdict();
      int changes = 0;
      for (DraftedDetectorTest.Event e : DraftedDetectorTest.script(seed)) {
        feedTwin(read, e);
        feedTwin(unread, e);
        Verdict a =
            e.isTime() ? read.atTime(e.time()) : read.observe(e.step(), e.time(), e.value());
        Verdict b =
            e.isTime() ? unread.atTime(e.time()) : unread.observe(e.step(), e.time(), e.value());
        assertThat(b).isEqualTo(a);
        if (b != null) {
          changes++;
          assertThat(unread.beforeLastChange())
              .as("change %d, seed %d", changes, seed)
              .isEqualTo(previous);
          assertThat(read.beforeLastChange()).isEqualTo(previous);
        }
        previous = read.verdict();
      }
      assertThat(changes).as("seed %d", seed).isGreaterThan(3);
      assertThat(unread.verdict()).isEqualTo(read.verdict());
    }
  }

  @Test
  void verdictIsOneObjectUntilTheNextPointAndNewAfterIt() {
    SeriesJudge j = everyKind();
    j.observe(1, 1.7e9, 5.0);
    Verdict v = j.verdict();
    assertThat(j.verdict()).isSameAs(v);
    j.observe(2, 1.7e9 + 60, 4.0);
    Verdict w = j.verdict();
    assertThat(w).isNotSameAs(v);
    assertThat(w.lastStep()).isEqualTo(2);
    assertThat(w.points()).isEqualTo(2);
  }

  @Test
  void verdictSharesTheWinningJudgementsEvidenceInItsOrder() {
    PlateauDetector plateau = new PlateauDetector(Mode.MIN, PlateauDetector.Params.DEFAULTS);
    SeriesJudge j =
        new SeriesJudge(
            "r",
            "loss",
            Mode.MIN,
            List.of(new DivergenceDetector(Mode.MIN, DivergenceDetector.Params.DEFAULTS), plateau));
    for (int t = 0; t < 60; t++) {
      j.observe(t, 1.7e9 + t, 10.0 / (t + 1) + 0.01 * Math.sin(t));
    }
    Map<String, Object> evidence = j.verdict().evidence();
    assertThat(evidence).isSameAs(plateau.current().evidence());
    assertThat(new ArrayList<>(evidence.keySet()).subList(0, 4))
        .containsExactly("points", "phase_start", "window_points", "bin_width");
  }

  @Test
  void pointsThatChangeNoStatusAllocateNothing() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    SeriesJudge judge =
        new SeriesJudge(
            "exp/validation",
            "val_loss",
            Mode.MIN,
            List.of(
                new DivergenceDetector(Mode.MIN, DivergenceDetector.Params.DEFAULTS),
                new OverfittingDetector(Mode.MIN, OverfittingDetector.Params.DEFAULTS),
                new PlateauDetector(Mode.MIN, PlateauDetector.Params.DEFAULTS),
                new StalledDetector(StalledDetector.Params.DEFAULTS),
                Feeding.patience(Mode.MIN, 10),
                new TargetDetector(Mode.MIN, new TargetDetector.Params(0.001))));
    OverfittingDetector overfitting = (OverfittingDetector) judge.detectors().get(1);
    // A slow power law: every detector says TRAINING for all 30,000 points (the plateau detector
    // still runs its test at every bin it closes).
    int warmUp = 5_000;
    int points = 30_000;
    long start = 0;
    int changes = 0;
    for (int t = 0; t < points; t++) {
      if (t == warmUp) {
        start = threads.getCurrentThreadAllocatedBytes();
      }
      overfitting.observeTwin(t, 1.7e9 + t, 5 * Math.pow(t + 1, -0.5));
      judge.arrivedAt(1.7e9 + t);
      if (judge.observe(t, 1.7e9 + t, 10 * Math.pow(t + 1, -0.5)) != null && t >= warmUp) {
        changes++;
      }
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - start;
    assertThat(changes).isZero();
    assertThat(judge.verdict().status()).isEqualTo(Status.TRAINING);
    // Nothing per point: a few bytes at most, from the runtime rather than the judge.
    assertThat(allocated).as("bytes allocated over %d points", points - warmUp).isLessThan(4_096);
  }
}
