package dev.plateau.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Runs the detectors of one watched series and turns their judgements into a verdict.
 *
 * <p>When detectors disagree, the status of highest {@link Status#priority()} wins (divergence over
 * target over overfitting over convergence over stalled over training); among equals, the one with
 * the most evidence, then the detector listed first. A new status is a transition, decided at the
 * step of the point (or the last step, for a time-based change). Hysteresis is each detector's own:
 * a converged series returns to TRAINING only when its detector says the metric clearly improved
 * again.
 *
 * <p>The checkpoint to keep is the judge's, not a detector's: the series' best measured finite
 * value so far (the earliest of equals), whichever detector decides. One series so names one
 * checkpoint, and a later verdict names a later step only when that step measured better (a
 * convergence keeping step 24 is never followed by an overfitting keeping a worse step 46). On the
 * checkpoint benchmark's test sets ({@code tools/checkpoint_bench}) the best measured point was the
 * better checkpoint than a smoothed level's at every stopping rule tried.
 *
 * <p>Cost: a point that changes no status allocates nothing. The verdict is kept as fields and
 * written out when {@link #verdict()} is called or the status changes; the built-in detectors are
 * read the same way (status and checkpoint, without their evidence and reason).
 *
 * <p><b>Learning-rate schedules.</b> A judge built with {@link ScheduleGrace.Params} is also fed
 * its run's learning rate ({@link #learningRate}). When the learning rate drops (a step schedule's
 * next phase, {@link LearningRateDrops}) and the judged series reaches the drop's step, the
 * detectors are told ({@link Detector#learningRateDropped}: the plateau detector leaves a
 * convergence and fits its forecast to the points after the drop) and, within the grace that
 * follows, a detector's CONVERGED counts as TRAINING: the verdict says why, with the drop in its
 * evidence ({@code learning_rate_drop}).
 *
 * <p>Pure: no I/O and no clock.
 */
public final class SeriesJudge {
  private final String run;
  private final String tag;
  private final Mode mode;
  private final List<Detector> detectors;
  private final Slot[] slots;
  private final @Nullable ScheduleGrace schedule;
  private long points;
  private long lastStep = Long.MIN_VALUE;

  // The verdict as fields, and as written out (null until read, after each point or time).
  private Status status = Status.TRAINING;
  private int winner;
  private boolean held;
  private Long decidedAt;
  // The checkpoint to keep: the series' best measured finite point (the earliest of equals).
  private boolean kept;
  private long keptStep;
  private double keptValue = Double.NaN;
  private long verdictLastStep = -1;
  private long verdictPoints;
  private Verdict verdict;

  // The same fields as they were before the latest point or time.
  private int previousWinner;
  private boolean previousHeld;
  private Long previousDecidedAt;
  private boolean previousKept;
  private long previousKeptStep;
  private double previousKeptValue = Double.NaN;
  private long previousLastStep = -1;
  private long previousPoints;
  private Verdict previousVerdict;

  private @Nullable Verdict beforeChange;

  public SeriesJudge(String run, String tag, Mode mode, List<Detector> detectors) {
    this(run, tag, mode, detectors, null);
  }

  /**
   * A judge that also follows its run's learning rate ({@code schedule} null: it does not).
   *
   * @throws IllegalArgumentException without detectors
   */
  public SeriesJudge(
      String run,
      String tag,
      Mode mode,
      List<Detector> detectors,
      ScheduleGrace.@Nullable Params schedule) {
    this.schedule = schedule == null ? null : new ScheduleGrace(schedule);
    if (detectors.isEmpty()) {
      throw new IllegalArgumentException("a watched series needs at least one detector: " + tag);
    }
    this.run = run;
    this.tag = tag;
    this.mode = mode;
    this.detectors = List.copyOf(detectors);
    this.slots = new Slot[detectors.size()];
    for (int i = 0; i < slots.length; i++) {
      slots[i] = new Slot(this.detectors.get(i));
    }
    this.verdict =
        new Verdict(
            run,
            tag,
            mode,
            Status.TRAINING,
            detectors.get(0).name(),
            null,
            null,
            Double.NaN,
            -1,
            0,
            Map.of(),
            "no point yet");
  }

  public String run() {
    return run;
  }

  public String tag() {
    return tag;
  }

  public Mode mode() {
    return mode;
  }

  public List<Detector> detectors() {
    return detectors;
  }

  /** The current verdict (the same object until the next point or time). */
  public Verdict verdict() {
    if (verdict == null) {
      verdict =
          write(
              status,
              winner,
              held,
              slots[winner].judgement(),
              decidedAt,
              kept ? keptStep : null,
              keptValue,
              verdictLastStep,
              verdictPoints);
    }
    return verdict;
  }

  /**
   * The verdict as it was just before the last status change (the "from" side of the transition
   * {@link #observe} or {@link #atTime} returned), or null when the status never changed.
   */
  public @Nullable Verdict beforeLastChange() {
    return beforeChange;
  }

  /**
   * Feeds the next point to every detector. Returns the new verdict when the status changed, or
   * null when it did not (the current verdict is still updated: best, last step, reason).
   */
  public Verdict observe(long step, double wallTime, double value) {
    rememberCheckpoint();
    points++;
    lastStep = step;
    if (schedule != null) {
      LearningRateDrops.Drop drop = schedule.reach(points, step);
      if (drop != null) {
        for (Slot slot : slots) {
          slot.detector.learningRateDropped(drop.step());
        }
      }
    }
    if (Double.isFinite(value) && (!kept || mode.better(value, keptValue))) {
      kept = true;
      keptStep = step;
      keptValue = value;
    }
    for (Slot slot : slots) {
      slot.feed(step, wallTime, value);
    }
    return settle(step);
  }

  /**
   * Feeds a point of a learning-rate series of the run ({@code source} names it; only the first
   * source is followed). A drop it completes applies when the judged series reaches its step. Does
   * nothing for a judge built without schedule settings.
   */
  public void learningRate(String source, long step, double value) {
    if (schedule != null) {
      schedule.learningRate(source, step, value);
    }
  }

  /** Whether this judge follows a learning rate (it was built with schedule settings). */
  public boolean followsSchedule() {
    return schedule != null;
  }

  /** Tells the detectors that the last point arrived at {@code nowSeconds} (live daemons). */
  public void arrivedAt(double nowSeconds) {
    for (Slot slot : slots) {
      slot.detector.arrivedAt(nowSeconds);
    }
  }

  /**
   * The earliest time, in seconds, at which {@link #atTime} could change a detector's judgement
   * ({@link Detector#nextChangeAt}); positive infinity when none can.
   */
  public double nextChangeAt() {
    double next = Double.POSITIVE_INFINITY;
    if (points > 0) {
      for (Slot slot : slots) {
        next = Math.min(next, slot.detector.nextChangeAt());
      }
    }
    return next;
  }

  /**
   * Re-judges at time {@code nowSeconds} (stalled, wall-clock patience). Returns the new verdict
   * when the status changed, else null.
   */
  public Verdict atTime(double nowSeconds) {
    if (points == 0) {
      return null;
    }
    rememberCheckpoint();
    for (Slot slot : slots) {
      slot.feedAt(nowSeconds);
    }
    return settle(lastStep);
  }

  private void rememberCheckpoint() {
    previousKept = kept;
    previousKeptStep = keptStep;
    previousKeptValue = keptValue;
  }

  private Verdict settle(long step) {
    Status previousStatus = status;
    previousWinner = winner;
    previousHeld = held;
    previousDecidedAt = decidedAt;
    previousLastStep = verdictLastStep;
    previousPoints = verdictPoints;
    previousVerdict = verdict;

    boolean holding = schedule != null && schedule.holds(points, lastStep);
    int w = 0;
    for (int i = 1; i < slots.length; i++) {
      int byPriority =
          Integer.compare(
              effective(slots[i].status(), holding).priority(),
              effective(slots[w].status(), holding).priority());
      // Among equals, the judgement with the most evidence says the most (the plateau
      // detector's statistics rather than divergence's "no sign of divergence").
      if (byPriority > 0
          || (byPriority == 0 && slots[i].evidenceSize() > slots[w].evidenceSize())) {
        w = i;
      }
    }
    Status now = effective(slots[w].status(), holding);
    boolean changed = now != previousStatus;
    winner = w;
    held = now != slots[w].status();
    status = now;
    if (changed) {
      decidedAt = step;
    }
    verdictLastStep = lastStep;
    verdictPoints = points;
    verdict = null;
    if (!changed) {
      return null;
    }
    beforeChange =
        previousVerdict != null
            ? previousVerdict
            : write(
                previousStatus,
                previousWinner,
                previousHeld,
                slots[previousWinner].previous(),
                previousDecidedAt,
                previousKept ? previousKeptStep : null,
                previousKeptValue,
                previousLastStep,
                previousPoints);
    return verdict();
  }

  /** A detector's status as the judge counts it: CONVERGED is held back within a drop's grace. */
  private static Status effective(Status status, boolean holding) {
    return holding && status == Status.CONVERGED ? Status.TRAINING : status;
  }

  private Verdict write(
      Status status,
      int winner,
      boolean held,
      Judgement judgement,
      Long decidedAt,
      Long bestStep,
      double bestValue,
      long lastStep,
      long points) {
    return new Verdict(
        run,
        tag,
        mode,
        status,
        detectors.get(winner).name(),
        decidedAt,
        bestStep,
        bestValue,
        lastStep,
        points,
        held && schedule != null
            ? Evidence.with(
                withForecast(judgement.evidence()), "learning_rate_drop", schedule.evidence())
            : withForecast(judgement.evidence()),
        held && schedule != null ? schedule.reason() + judgement.reason() : judgement.reason());
  }

  /**
   * The winner's evidence, with the first forecast a detector of the series makes if it has none.
   */
  private Map<String, Object> withForecast(Map<String, Object> evidence) {
    if (evidence.containsKey("forecast")) {
      return withTarget(evidence);
    }
    for (Detector d : detectors) {
      Map<String, Object> forecast = d.forecast();
      if (forecast != null) {
        return withTarget(Evidence.with(evidence, "forecast", forecast));
      }
    }
    return evidence;
  }

  /**
   * The evidence with, in its forecast, when the series' target rule is forecast to be met (while
   * it is not met yet): {@link TargetForecast}.
   */
  private Map<String, Object> withTarget(Map<String, Object> evidence) {
    if (status == Status.TARGET_REACHED
        || !(evidence.get("forecast") instanceof Map<?, ?> raw)
        || raw.containsKey("target")) {
      return evidence;
    }
    TargetDetector target = null;
    ForecastCurve curve = null;
    for (Detector d : detectors) {
      Detector inner = d instanceof SmoothedDetector s ? s.inner() : d;
      if (inner instanceof TargetDetector t && target == null) {
        target = t;
      }
      if (curve == null) {
        curve = d.forecastCurve();
      }
    }
    if (target == null || curve == null) {
      return evidence;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> forecast = (Map<String, Object>) raw;
    return Evidence.with(
        evidence, "forecast", TargetForecast.with(forecast, curve, target.target()));
  }

  /**
   * Tells every detector the run is planned to end at {@code step} (its {@code max_steps}); the
   * forecasts predict the level there from their next fit.
   */
  public void plannedEnd(long step) {
    for (Detector d : detectors) {
      d.plannedEnd(step);
    }
  }

  /**
   * The judge's saved state: its verdict, counters and each detector's state, in the order of
   * {@link #detectors()}.
   */
  public record State(
      Verdict verdict,
      long points,
      long lastStep,
      List<DetectorState> detectors,
      ScheduleGrace.@Nullable State schedule) {
    public State {
      detectors = List.copyOf(detectors);
    }

    /** A state without a schedule (a judge that follows no learning rate). */
    public State(Verdict verdict, long points, long lastStep, List<DetectorState> detectors) {
      this(verdict, points, lastStep, detectors, null);
    }
  }

  public State snapshot() {
    List<DetectorState> states = new ArrayList<>(detectors.size());
    for (Detector detector : detectors) {
      states.add(detector.snapshot());
    }
    return new State(
        verdict(), points, lastStep, states, schedule == null ? null : schedule.snapshot());
  }

  /**
   * Resumes from a saved state of a judge with the same detectors.
   *
   * @throws IllegalArgumentException when the detectors do not match
   */
  public void restore(State state) {
    if (state.detectors().size() != detectors.size()) {
      throw new IllegalArgumentException(
          "saved state has "
              + state.detectors().size()
              + " detectors, this judge "
              + detectors.size());
    }
    for (int i = 0; i < detectors.size(); i++) {
      detectors.get(i).restore(state.detectors().get(i));
      slots[i].restored();
    }
    if (schedule != null && state.schedule() != null) {
      schedule.restore(state.schedule());
    }
    verdict = state.verdict();
    status = verdict.status();
    held = false;
    decidedAt = verdict.decidedAtStep();
    kept = verdict.bestStep() != null;
    keptStep = kept ? verdict.bestStep() : 0;
    keptValue = kept ? verdict.bestValue() : Double.NaN;
    points = state.points();
    lastStep = state.lastStep();
  }

  /**
   * One detector as the judge reads it: a built-in detector through its draft (status and
   * checkpoint without evidence or reason), any other through the judgements it returns.
   */
  private static final class Slot {
    private final Detector detector;
    private final DraftedDetector<?> drafted;
    private final SmoothedDetector smoother;
    private Judgement now;
    private Judgement before;

    Slot(Detector detector) {
      this.detector = detector;
      DraftedDetector<?> inner = null;
      SmoothedDetector outer = null;
      if (detector instanceof DraftedDetector<?> d) {
        inner = d;
      } else if (detector instanceof SmoothedDetector s
          && s.inner() instanceof DraftedDetector<?> d) {
        inner = d;
        outer = s;
      }
      this.drafted = inner;
      this.smoother = outer;
      this.now = inner == null ? detector.current() : null;
    }

    void feed(long step, double wallTime, double value) {
      if (drafted == null) {
        before = now;
        now = detector.observe(step, wallTime, value);
      } else {
        drafted.feed(step, wallTime, smoother == null ? value : smoother.smooth(value));
      }
    }

    void feedAt(double nowSeconds) {
      if (drafted == null) {
        before = now;
        now = detector.atTime(nowSeconds);
      } else {
        drafted.feedAt(nowSeconds);
      }
    }

    void restored() {
      if (drafted == null) {
        now = detector.current();
      }
    }

    Status status() {
      return drafted == null ? now.status() : drafted.draft().status;
    }

    int evidenceSize() {
      return drafted == null ? now.evidence().size() : drafted.draft().size();
    }

    Judgement judgement() {
      return drafted == null ? now : drafted.current();
    }

    Judgement previous() {
      return drafted == null ? before : drafted.previous();
    }
  }
}
