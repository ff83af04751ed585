package dev.plateau.detect;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs the detectors of one watched series and turns their judgements into a verdict.
 *
 * <p>When detectors disagree, the status of highest {@link Status#priority()} wins (divergence
 * over target over overfitting over convergence over stalled over training); among equals, the
 * one with the most evidence, then the detector listed first. A new status is a transition, decided at the step of the point (or the
 * last step, for a time-based change). Hysteresis is each detector's own: a converged series
 * returns to TRAINING only when its detector says the metric clearly improved again.
 *
 * <p>Pure: no I/O and no clock.
 */
public final class SeriesJudge {
  private final String run;
  private final String tag;
  private final Mode mode;
  private final List<Detector> detectors;
  private long points;
  private long lastStep = Long.MIN_VALUE;
  private Verdict verdict;
  private Verdict beforeChange;

  public SeriesJudge(String run, String tag, Mode mode, List<Detector> detectors) {
    if (detectors.isEmpty()) {
      throw new IllegalArgumentException("a watched series needs at least one detector: " + tag);
    }
    this.run = run;
    this.tag = tag;
    this.mode = mode;
    this.detectors = List.copyOf(detectors);
    this.verdict =
        new Verdict(
            run, tag, mode, Status.TRAINING, detectors.get(0).name(), null, null, Double.NaN,
            -1, 0, java.util.Map.of(), "no point yet");
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

  /** The current verdict. */
  public Verdict verdict() {
    return verdict;
  }

  /**
   * The verdict as it was just before the last status change (the "from" side of the transition
   * {@link #observe} or {@link #atTime} returned), or null when the status never changed.
   */
  public Verdict beforeLastChange() {
    return beforeChange;
  }

  /**
   * Feeds the next point to every detector. Returns the new verdict when the status changed, or
   * null when it did not (the current verdict is still updated: best, last step, reason).
   */
  public Verdict observe(long step, double wallTime, double value) {
    points++;
    lastStep = step;
    List<Judgement> judgements = new ArrayList<>(detectors.size());
    for (Detector detector : detectors) {
      judgements.add(detector.observe(step, wallTime, value));
    }
    return settle(judgements, step);
  }

  /** Tells the detectors that the last point arrived at {@code nowSeconds} (live daemons). */
  public void arrivedAt(double nowSeconds) {
    for (Detector detector : detectors) {
      detector.arrivedAt(nowSeconds);
    }
  }

  /**
   * Re-judges at time {@code nowSeconds} (stalled, wall-clock patience). Returns the new verdict
   * when the status changed, else null.
   */
  public Verdict atTime(double nowSeconds) {
    if (points == 0) {
      return null;
    }
    List<Judgement> judgements = new ArrayList<>(detectors.size());
    for (Detector detector : detectors) {
      judgements.add(detector.atTime(nowSeconds));
    }
    return settle(judgements, lastStep);
  }

  private Verdict settle(List<Judgement> judgements, long step) {
    int winner = 0;
    for (int i = 1; i < judgements.size(); i++) {
      Judgement candidate = judgements.get(i);
      Judgement leader = judgements.get(winner);
      int byPriority = Integer.compare(candidate.status().priority(), leader.status().priority());
      // Among equals, the judgement with the most evidence says the most (the plateau
      // detector's statistics rather than divergence's "no sign of divergence").
      if (byPriority > 0
          || (byPriority == 0 && candidate.evidence().size() > leader.evidence().size())) {
        winner = i;
      }
    }
    Judgement j = judgements.get(winner);
    Judgement best = j.hasBest() ? j : firstWithBest(judgements);
    boolean changed = j.status() != verdict.status();
    if (changed) {
      beforeChange = verdict;
    }
    Long decidedAt = changed ? Long.valueOf(step) : verdict.decidedAtStep();
    verdict =
        new Verdict(
            run,
            tag,
            mode,
            j.status(),
            detectors.get(winner).name(),
            decidedAt,
            best == null || best.bestStep() < 0 ? null : best.bestStep(),
            best == null ? Double.NaN : best.bestValue(),
            lastStep,
            points,
            j.evidence(),
            j.reason());
    return changed ? verdict : null;
  }

  private static Judgement firstWithBest(List<Judgement> judgements) {
    for (Judgement j : judgements) {
      if (j.hasBest() && j.bestStep() >= 0) {
        return j;
      }
    }
    return null;
  }

  /**
   * The judge's saved state: its verdict, counters and each detector's state, in the order of
   * {@link #detectors()}.
   */
  public record State(Verdict verdict, long points, long lastStep, List<DetectorState> detectors) {
    public State {
      detectors = List.copyOf(detectors);
    }
  }

  public State snapshot() {
    List<DetectorState> states = new ArrayList<>(detectors.size());
    for (Detector detector : detectors) {
      states.add(detector.snapshot());
    }
    return new State(verdict, points, lastStep, states);
  }

  /**
   * Resumes from a saved state of a judge with the same detectors.
   *
   * @throws IllegalArgumentException when the detectors do not match
   */
  public void restore(State state) {
    if (state.detectors().size() != detectors.size()) {
      throw new IllegalArgumentException(
          "saved state has " + state.detectors().size() + " detectors, this judge " + detectors.size());
    }
    for (int i = 0; i < detectors.size(); i++) {
      detectors.get(i).restore(state.detectors().get(i));
    }
    verdict = state.verdict();
    points = state.points();
    lastStep = state.lastStep();
  }
}
