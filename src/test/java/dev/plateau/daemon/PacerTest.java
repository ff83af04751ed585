package dev.plateau.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.testing.FakeClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PacerTest {
  final FakeClock clock = FakeClock.atMillis(1_800_000_000_000L);
  final Pacer pacer = new Pacer(Duration.ofSeconds(1), clock);

  @Test
  void theFirstSendGoesAtOnceAndTheNextWaitsTheRestOfTheInterval() {
    assertThat(pacer.book()).isEqualTo(Duration.ZERO);
    clock.advanceMillis(300);
    assertThat(pacer.book()).isEqualTo(Duration.ofMillis(700));
  }

  @Test
  void sendersBookedTogetherAreSpacedOneIntervalApart() {
    assertThat(pacer.book()).isEqualTo(Duration.ZERO);
    assertThat(pacer.book()).isEqualTo(Duration.ofSeconds(1));
    assertThat(pacer.book()).isEqualTo(Duration.ofSeconds(2));
    clock.advance(Duration.ofMillis(2_500));
    assertThat(pacer.book())
        .as("the turn booked after the third")
        .isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void aSenderAfterAQuietIntervalGoesAtOnce() {
    pacer.book();
    clock.advance(Duration.ofSeconds(1));
    assertThat(pacer.book()).isEqualTo(Duration.ZERO);
    clock.advance(Duration.ofMinutes(5));
    assertThat(pacer.book()).isEqualTo(Duration.ZERO);
  }

  @Test
  void aZeroIntervalNeverWaits() {
    Pacer unpaced = new Pacer(Duration.ZERO, clock);
    for (int i = 0; i < 5; i++) {
      assertThat(unpaced.book()).isEqualTo(Duration.ZERO);
    }
  }
}
