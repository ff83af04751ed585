package dev.plateau.detect;

/**
 * A detector whose judgement is kept as a {@link JudgementDraft} and written out only when read.
 *
 * <p>Two drafts are kept: the one after the latest point (or time) and the one before it, so that
 * {@link SeriesJudge} can name the verdict it replaces when its status changes, although it never
 * wrote that verdict out. Every point and every {@link #atTime} call first copies the current draft
 * into the previous one (a copy of a few numbers), then lets the subclass update the current one
 * through {@link #edit()} or {@link #fix}.
 *
 * @param <D> the detector's draft type
 */
abstract class DraftedDetector<D extends JudgementDraft<D>> implements Detector {
  /** The judgement of every detector before its first point. */
  static final Judgement NO_POINT_YET = Judgement.waiting("no point yet");

  private final D now;
  private final D before;
  private Judgement built;
  private Judgement builtBefore;

  DraftedDetector(D now, D before) {
    this.now = now;
    this.before = before;
    fix(NO_POINT_YET);
  }

  /** Updates the draft for a point, as {@link #observe} describes. */
  abstract void update(long step, double wallTime, double value);

  /** Updates the draft for the time, as {@link #atTime} describes; by default nothing changes. */
  void updateAt(double nowSeconds) {}

  /** Feeds a point without writing the judgement out. */
  final void feed(long step, double wallTime, double value) {
    keepBefore();
    update(step, wallTime, value);
  }

  /** Re-judges at a time without writing the judgement out. */
  final void feedAt(double nowSeconds) {
    keepBefore();
    updateAt(nowSeconds);
  }

  private void keepBefore() {
    before.copyFrom(now);
    builtBefore = built;
  }

  /** The current draft, to read; change it only through {@link #edit()} or {@link #fix}. */
  final D draft() {
    return now;
  }

  /** The current draft, to change: the judgement written out so far is dropped. */
  final D edit() {
    built = null;
    return now;
  }

  /** Makes {@code judgement} the current one, as it is. */
  final void fix(Judgement judgement) {
    now.fix(judgement);
    built = judgement;
  }

  @Override
  public final Judgement observe(long step, double wallTime, double value) {
    feed(step, wallTime, value);
    return current();
  }

  @Override
  public final Judgement atTime(double nowSeconds) {
    feedAt(nowSeconds);
    return current();
  }

  @Override
  public final Judgement current() {
    if (built == null) {
      built = now.judgement();
    }
    return built;
  }

  /** The judgement before the latest point or time, written out now if it was not then. */
  final Judgement previous() {
    if (builtBefore == null) {
      builtBefore = before.judgement();
    }
    return builtBefore;
  }
}
