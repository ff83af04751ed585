package dev.plateau.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WarningLimiterTest {
  @Test
  void logsAFewPerFileAndMinuteThenCountsTheRestAndSaysHowManyInTheNextWindow() {
    WarningLimiter limiter = new WarningLimiter(3, 60_000);
    int logged = 0;
    for (int i = 0; i < 10; i++) {
      if (limiter.offer("a", 1_000 + i).log()) {
        logged++;
      }
    }
    assertThat(logged).isEqualTo(3);
    assertThat(limiter.offer("b", 2_000).log()).as("another file has its own budget").isTrue();
    WarningLimiter.Decision next = limiter.offer("a", 62_000);
    assertThat(next.log()).isTrue();
    assertThat(next.suppressedBefore()).isEqualTo(7);
  }
}
