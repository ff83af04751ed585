package dev.plateau.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RoundBudgetTest {
  private static final long MS = 1_000_000L;

  private final RoundBudget budget =
      new RoundBudget(20, Duration.ofMillis(100), Duration.ofMillis(5));

  @Test
  void aQuietLogdirsRoundsAreNotDelayedByTheirCost() {
    // A point every 400 ms whose round uses 20 ms of CPU: 5 % of a core, within the share.
    long t = 0;
    for (int i = 0; i < 50; i++) {
      long end = t + 25 * MS;
      long earliest = budget.afterRound(t, end, 20 * MS);
      assertThat(earliest).as("round %d", i).isEqualTo(t + 5 * MS);
      t += 400 * MS;
    }
  }

  @Test
  void roundsBackToBackAreSpacedToTheShareOnceTheBurstIsSpent() {
    long t = 0;
    long cpu = 0;
    int rounds = 0;
    // Events without pause for 20 s; each round uses 10 ms of CPU and takes 10 ms.
    while (t < 20_000 * MS) {
      long end = t + 10 * MS;
      long earliest = budget.afterRound(t, end, 10 * MS);
      cpu += 10 * MS;
      rounds++;
      t = Math.max(end, earliest);
    }
    // At most a twentieth of the 20 s plus the saved-up burst.
    assertThat(cpu).isLessThanOrEqualTo(20_000 * MS / 20 + 100 * MS + 10 * MS);
    // And not starved either: close to the share.
    assertThat(cpu).isGreaterThan(20_000 * MS / 20 - 20 * MS);
    assertThat(rounds).isBetween(100, 112);
  }

  @Test
  void theBurstIsSpentAtOnceThenRoundsWaitForTheirDebt() {
    long t = 0;
    // 100 ms of credit: five rounds of 20 ms each start after the minimum gap only.
    for (int i = 0; i < 5; i++) {
      assertThat(budget.afterRound(t, t + 20 * MS, 20 * MS)).isEqualTo(t + 5 * MS);
      t += 20 * MS;
    }
    // The sixth is 20 ms in debt (minus 5 ms earned over the 100 ms): waits 20 × 15 ms.
    long earliest = budget.afterRound(t, t + 20 * MS, 20 * MS);
    assertThat(budget.credit()).isEqualTo(-15 * MS);
    assertThat(earliest).isEqualTo(t + 20 * MS + 300 * MS);
  }

  @Test
  void creditSavedWhileQuietIsCappedAtTheBurst() {
    budget.afterRound(0, MS, MS);
    budget.afterRound(3_600_000 * MS, 3_600_000 * MS + MS, MS);
    assertThat(budget.credit()).isEqualTo(99 * MS);
    // Long.MAX_VALUE-scale idle does not overflow.
    budget.afterRound(Long.MAX_VALUE / 2, Long.MAX_VALUE / 2 + MS, 0);
    assertThat(budget.credit()).isEqualTo(100 * MS);
  }

  @Test
  void refusesAShareBelowOne() {
    assertThatThrownBy(() -> new RoundBudget(0, Duration.ZERO, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("share");
  }
}
