package dev.plateau.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StalledDetectorTest {
  private static final double T = 1_700_000_000;

  @Test
  void stalledOnlyWhenQuietLongerThanAfter() {
    StalledDetector d = new StalledDetector(new StalledDetector.Params(600));
    d.observe(7, T, 1.0);
    assertThat(d.atTime(T + 600).status())
        .as("exactly 'after' is not longer")
        .isEqualTo(Status.TRAINING);
    Judgement j = d.atTime(T + 601);
    assertThat(j.status()).isEqualTo(Status.STALLED);
    assertThat(j.evidence()).containsEntry("seconds_without_points", 601L);
    assertThat(j.reason()).contains("step 7");
    assertThat(d.current()).isEqualTo(j);
  }

  @Test
  void nextChangeIsWhenTheQuietRunsOutAndNoneOnceStalled() {
    StalledDetector d = new StalledDetector(new StalledDetector.Params(600));
    assertThat(d.nextChangeAt()).as("no point yet").isInfinite();
    d.observe(7, T, 1.0);
    d.arrivedAt(T + 30);
    assertThat(d.nextChangeAt()).as("from the writer's time").isEqualTo(T + 600);
    assertThat(d.atTime(d.nextChangeAt() - 1).status()).isEqualTo(Status.TRAINING);
    assertThat(d.atTime(d.nextChangeAt() + 1).status()).isEqualTo(Status.STALLED);
    assertThat(d.nextChangeAt()).isInfinite();
  }

  @Test
  void aPointReadLongAfterItWasWrittenIsJudgedByItsWallTimeAsCheckJudgesIt() {
    // A daemon started today on a logdir written a week ago says what check says: stalled.
    StalledDetector live = new StalledDetector(new StalledDetector.Params(3600));
    live.observe(9, T, 1.0);
    live.arrivedAt(T + 7 * 86400);
    StalledDetector oneShot = new StalledDetector(new StalledDetector.Params(3600));
    oneShot.observe(9, T, 1.0);

    assertThat(live.atTime(T + 7 * 86400 + 1).status()).isEqualTo(Status.STALLED);
    assertThat(oneShot.atTime(T + 7 * 86400 + 1)).isEqualTo(live.current());
  }

  @Test
  void aWallTimeAheadOfTheArrivalCountsFromTheArrival() {
    // the writer's clock is an hour ahead of this machine's
    StalledDetector d = new StalledDetector(new StalledDetector.Params(600));
    d.observe(3, T + 3600, 1.0);
    d.arrivedAt(T);
    assertThat(d.nextChangeAt()).isEqualTo(T + 600);
    assertThat(d.atTime(T + 601).status()).isEqualTo(Status.STALLED);
  }

  @Test
  void newPointReturnsToTraining() {
    StalledDetector d = new StalledDetector(new StalledDetector.Params(60));
    d.observe(1, T, 1.0);
    assertThat(d.atTime(T + 3600).status()).isEqualTo(Status.STALLED);
    assertThat(d.observe(2, T + 3601, Double.NaN).status()).isEqualTo(Status.TRAINING);
    assertThat(d.atTime(T + 3602).status()).isEqualTo(Status.TRAINING);
  }

  @Test
  void neverStallsBeforeTheFirstPoint() {
    StalledDetector d = new StalledDetector(StalledDetector.Params.DEFAULTS);
    assertThat(d.atTime(T).status()).isEqualTo(Status.TRAINING);
    assertThat(d.atTime(Double.MAX_VALUE).status()).isEqualTo(Status.TRAINING);
  }

  @Test
  void defaultIsOneHour() {
    StalledDetector d = new StalledDetector(StalledDetector.Params.DEFAULTS);
    d.observe(1, T, 0);
    assertThat(d.atTime(T + 3600).status()).isEqualTo(Status.TRAINING);
    assertThat(d.atTime(T + 3601).status()).isEqualTo(Status.STALLED);
  }

  @Test
  void stalledJudgementHasNoBest() {
    StalledDetector d = new StalledDetector(new StalledDetector.Params(1));
    d.observe(1, T, 0.5);
    assertThat(d.atTime(T + 10).hasBest()).isFalse();
  }

  @Test
  void nonPositiveAfterIsRejected() {
    assertThatThrownBy(() -> new StalledDetector.Params(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new StalledDetector.Params(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
