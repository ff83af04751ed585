package dev.plateau.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private static final RetryPolicy POLICY = RetryPolicy.DEFAULT;
  private static final double ALMOST_ONE = Math.nextDown(1.0);

  @Test
  void upperBoundDoublesFromOneSecondUntilTheFiveMinuteCap() {
    assertThat(POLICY.delayBefore(1, null, () -> 1.0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(POLICY.delayBefore(2, null, () -> 1.0)).isEqualTo(Duration.ofSeconds(2));
    assertThat(POLICY.delayBefore(5, null, () -> 1.0)).isEqualTo(Duration.ofSeconds(16));
    assertThat(POLICY.delayBefore(9, null, () -> 1.0)).isEqualTo(Duration.ofSeconds(256));
    assertThat(POLICY.delayBefore(10, null, () -> 1.0)).isEqualTo(Duration.ofMinutes(5));
    assertThat(POLICY.delayBefore(10_000, null, () -> 1.0)).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void fullJitterDrawsUniformlyBetweenZeroAndTheBound() {
    assertThat(POLICY.delayBefore(4, null, () -> 0.0)).isEqualTo(Duration.ZERO);
    assertThat(POLICY.delayBefore(4, null, () -> 0.25)).isEqualTo(Duration.ofSeconds(2));
    assertThat(POLICY.delayBefore(4, null, () -> ALMOST_ONE))
        .isLessThanOrEqualTo(Duration.ofSeconds(8))
        .isGreaterThan(Duration.ofMillis(7999));
  }

  @Test
  void randomOutsideTheUnitIntervalIsClamped() {
    assertThat(POLICY.delayBefore(3, null, () -> -5)).isEqualTo(Duration.ZERO);
    assertThat(POLICY.delayBefore(3, null, () -> 7)).isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void retryAfterIsNeverUndercut() {
    assertThat(POLICY.delayBefore(1, Duration.ofSeconds(7), () -> 0.5))
        .isEqualTo(Duration.ofSeconds(7));
    // Above the policy's own cap too: the receiver knows best (the sink capped it at 1 h).
    assertThat(POLICY.delayBefore(20, Duration.ofMinutes(30), () -> ALMOST_ONE))
        .isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void retryAfterShorterThanTheDrawnDelayDoesNotShortenIt() {
    assertThat(POLICY.delayBefore(5, Duration.ofSeconds(1), () -> 0.5))
        .isEqualTo(Duration.ofSeconds(8));
  }

  @Test
  void givesUpAtTheAgeLimitOrTheAttemptLimit() {
    assertThat(POLICY.givesUp(1000, Duration.ofHours(23))).isFalse();
    assertThat(POLICY.givesUp(3, Duration.ofHours(24))).isTrue();

    RetryPolicy fewAttempts =
        new RetryPolicy(Duration.ofSeconds(1), 2, Duration.ofMinutes(5), 5, Duration.ofHours(24));
    assertThat(fewAttempts.givesUp(4, Duration.ofMinutes(1))).isFalse();
    assertThat(fewAttempts.givesUp(5, Duration.ofMinutes(1))).isTrue();
  }

  @Test
  void attemptNumbersStartAtOne() {
    assertThatThrownBy(() -> POLICY.delayBefore(0, null, () -> 0.5))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nonsenseParametersAreRefused() {
    assertThatThrownBy(
            () -> new RetryPolicy(Duration.ZERO, 2, Duration.ofMinutes(5), 3, Duration.ofHours(1)))
        .isInstanceOf(SinkConfigException.class)
        .hasMessageContaining("initial");
    assertThatThrownBy(
            () ->
                new RetryPolicy(
                    Duration.ofSeconds(1), 0.5, Duration.ofMinutes(5), 3, Duration.ofHours(1)))
        .hasMessageContaining("multiplier");
    assertThatThrownBy(
            () ->
                new RetryPolicy(
                    Duration.ofMinutes(10), 2, Duration.ofMinutes(5), 3, Duration.ofHours(1)))
        .hasMessageContaining("max delay");
  }
}
