package dev.plateau.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChartScaleTest {
  @Test
  void linearTicksAreRoundValuesThatEncloseTheRange() {
    ChartScale s = ChartScale.values(0.23, 0.87);
    assertThat(s.log()).isFalse();
    assertThat(s.ticks()).containsExactly(0.2, 0.4, 0.6, 0.8, 1.0);
    assertThat(s.low()).isLessThanOrEqualTo(0.23);
    assertThat(s.high()).isGreaterThanOrEqualTo(0.87);
  }

  @Test
  void valuesSpanningMoreThanTwoDecadesGetALogScaleWithPowersOfTen() {
    ChartScale s = ChartScale.values(0.004, 7.5);
    assertThat(s.log()).isTrue();
    assertThat(s.ticks()).containsExactly(0.001, 0.01, 0.1, 1.0, 10.0);
    assertThat(s.share(0.01)).isCloseTo(0.25, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void twoDecadesOrNonPositiveValuesStayLinear() {
    assertThat(ChartScale.values(0.05, 4.9).log()).isFalse();
    assertThat(ChartScale.values(-1, 1000).log()).isFalse();
    assertThat(ChartScale.values(0, 1000).log()).isFalse();
  }

  @Test
  void aSingleValueStillGetsARangeAndTicks() {
    ChartScale s = ChartScale.values(3, 3);
    assertThat(s.high()).isGreaterThan(s.low());
    assertThat(s.share(3)).isBetween(0.0, 1.0);
    assertThat(s.ticks()).isNotEmpty();
  }

  @Test
  void stepTicksAreWholeSteps() {
    ChartScale s = ChartScale.steps(0, 2);
    assertThat(s.ticks()).allMatch(t -> t == Math.rint(t)).contains(0.0, 2.0);
    assertThat(ChartScale.steps(0, 1537).ticks()).contains(0.0, 500.0, 1000.0, 1500.0);
  }

  @Test
  void sharesAreClampedToTheAxis() {
    ChartScale s = ChartScale.values(1, 2);
    assertThat(s.share(-100)).isZero();
    assertThat(s.share(100)).isEqualTo(1.0);
  }
}
