package dev.plateau.detect;

import org.jspecify.annotations.Nullable;

/**
 * What a detector says after a point, kept as plain fields: the status and checkpoint, and the
 * numbers its evidence and reason are made of. {@link #judgement()} writes them out as a {@link
 * Judgement} (an evidence map and a sentence) only when someone reads it, so the many points that
 * nobody looks at cost no map, no string and no boxing. A draft may instead hold a finished
 * judgement ({@link #fix}): one restored from saved state, a constant one, or a rare one built at
 * once (a divergence, a convergence).
 *
 * <p>Rule for subclasses: {@link #build()} reads only the draft's own fields and the detector's
 * parameters, never the detector's running state, because the judge may write out the draft of the
 * previous point after the detector has moved on; {@link #copyFrom} copies every field.
 *
 * @param <D> the concrete draft type
 */
abstract class JudgementDraft<D extends JudgementDraft<D>> {
  Status status = Status.TRAINING;
  long bestStep = -1;
  double bestValue = Double.NaN;

  /** The judgement to report as it is, or null when it is written from the fields. */
  @Nullable Judgement fixed;

  /** Holds a finished judgement; its status and checkpoint become the draft's. */
  final void fix(Judgement judgement) {
    fixed = judgement;
    status = judgement.status();
    bestStep = judgement.bestStep();
    bestValue = judgement.bestValue();
  }

  /** Starts a judgement written from fields: status and checkpoint now, the rest by the caller. */
  final void write(Status status, long bestStep, double bestValue) {
    this.fixed = null;
    this.status = status;
    this.bestStep = bestStep;
    this.bestValue = bestValue;
  }

  /** Copies every field of {@code other}, this class's and the subclass's. */
  void copyFrom(D other) {
    status = other.status;
    bestStep = other.bestStep;
    bestValue = other.bestValue;
    fixed = other.fixed;
  }

  /** The judgement the fields describe (called only when no judgement is fixed). */
  abstract Judgement build();

  /** How many entries {@link #build()}'s evidence has, without building it. */
  abstract int evidenceSize();

  final Judgement judgement() {
    return fixed != null ? fixed : build();
  }

  final int size() {
    return fixed != null ? fixed.evidence().size() : evidenceSize();
  }

  /** The same as {@link Judgement#hasBest()}. */
  final boolean hasBest() {
    return bestStep >= 0 || !Double.isNaN(bestValue);
  }
}
