package dev.plateau.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.plateau.detect.Mode;
import dev.plateau.detect.Status;
import dev.plateau.detect.Verdict;
import dev.plateau.series.Series;
import dev.plateau.sink.AlertMemory;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RepeatedAlertsTest {
  private static final Instant SENT = Instant.parse("2026-01-01T00:00:00Z");

  private static Verdict best(Mode mode, long step, double value) {
    return new Verdict(
        "r", "t", mode, Status.CONVERGED, "plateau", 50L, step, value, 60, 61, Map.of(), "why");
  }

  @Test
  void theNoiseOfAWhiteNoiseSeriesIsItsStandardDeviationWhateverItsTrend() {
    Random random = new Random(11);
    Series noisy = new Series();
    for (int i = 0; i < 2000; i++) {
      noisy.append(i, i, 10 - 0.001 * i + 0.3 * random.nextGaussian());
    }
    assertThat(RepeatedAlerts.noise(noisy)).isCloseTo(0.3, within(0.08));
  }

  @Test
  void theNoiseIsZeroWhenTooFewFinitePointsTell() {
    Series few = new Series();
    few.append(0, 0, 1);
    few.append(1, 1, Double.NaN);
    few.append(2, 2, 3);
    assertThat(RepeatedAlerts.noise(few)).isZero();
    assertThat(RepeatedAlerts.noise(null)).isZero();
  }

  @Test
  void anImprovementCountsOnlyBeyondTheNoiseInTheMetricsDirection() {
    AlertMemory.Sent minSent = new AlertMemory.Sent(Status.CONVERGED, SENT, 40L, 1.0);
    assertThat(RepeatedAlerts.improved(minSent, best(Mode.MIN, 45, 0.95), 0.1)).isFalse();
    assertThat(RepeatedAlerts.improved(minSent, best(Mode.MIN, 45, 0.85), 0.1)).isTrue();
    assertThat(RepeatedAlerts.improved(minSent, best(Mode.MIN, 40, 0.5), 0.1))
        .as("the same best step is no new best")
        .isFalse();
    AlertMemory.Sent maxSent = new AlertMemory.Sent(Status.CONVERGED, SENT, 40L, 0.8);
    assertThat(RepeatedAlerts.improved(maxSent, best(Mode.MAX, 45, 0.85), 0.01)).isTrue();
    assertThat(RepeatedAlerts.improved(maxSent, best(Mode.MAX, 45, 0.75), 0.01)).isFalse();
    AlertMemory.Sent noBest = new AlertMemory.Sent(Status.CONVERGED, SENT, null, Double.NaN);
    assertThat(RepeatedAlerts.improved(noBest, best(Mode.MIN, 45, 0.85), 0.1)).isTrue();
  }

  @Test
  void aZeroCooldownRepeatsNothing() {
    AlertMemory.Sent sent = new AlertMemory.Sent(Status.CONVERGED, SENT, 40L, 1.0);
    assertThat(
            RepeatedAlerts.none()
                .isRepeat(sent, Status.CONVERGED, best(Mode.MIN, 40, 1.0), SENT.plusSeconds(1)))
        .isFalse();
    RepeatedAlerts hour = new RepeatedAlerts(Duration.ofHours(1), key -> null);
    assertThat(hour.isRepeat(sent, Status.CONVERGED, best(Mode.MIN, 40, 1.0), SENT.plusSeconds(1)))
        .isTrue();
    assertThat(hour.isRepeat(null, Status.CONVERGED, best(Mode.MIN, 40, 1.0), SENT)).isFalse();
  }
}
