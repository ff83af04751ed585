package dev.plateau.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValueTypesTest {

  @Test
  void modeBetterIsStrictAndNaNIsNeverBetter() {
    assertThat(Mode.MIN.better(1, 2)).isTrue();
    assertThat(Mode.MIN.better(2, 2)).isFalse();
    assertThat(Mode.MAX.better(3, 2)).isTrue();
    assertThat(Mode.MAX.better(Double.NaN, 2)).isFalse();
    assertThat(Mode.MIN.better(Double.NaN, 2)).isFalse();
    assertThat(Mode.MAX.lowerIsBetter(0.9)).isEqualTo(-0.9);
    assertThat(Mode.MAX.fromLowerIsBetter(Mode.MAX.lowerIsBetter(0.9))).isEqualTo(0.9);
    assertThat(Mode.MIN.jsonName()).isEqualTo("min");
    assertThat(Mode.MAX.jsonName()).isEqualTo("max");
  }

  @Test
  void minDeltaAbsoluteAndRelative() {
    assertThat(new MinDelta(0.5, false).over(-100)).isEqualTo(0.5);
    assertThat(new MinDelta(0.01, true).over(-200)).isEqualTo(2.0);
    assertThat(new MinDelta(0.01, true).improves(Mode.MIN, 97.9, 100)).isTrue();
    assertThat(new MinDelta(0.01, true).improves(Mode.MIN, 99.5, 100)).isFalse();
    assertThat(MinDelta.ZERO.improves(Mode.MIN, 1, 1)).isFalse();
    assertThat(MinDelta.ZERO.improves(Mode.MIN, Double.NaN, 1)).isFalse();
    assertThat(MinDelta.ZERO.improves(Mode.MAX, Double.NaN, 1)).isFalse();
    assertThat(new MinDelta(0.01, true).toString()).isEqualTo("1.0%");
  }

  @Test
  void minDeltaRejectsNegativeNaNAndInfinite() {
    assertThatThrownBy(() -> new MinDelta(-0.1, false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MinDelta(Double.NaN, false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MinDelta(Double.POSITIVE_INFINITY, true))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void spanElapsedInEachUnitAndRejectsNonPositive() {
    assertThat(Span.points(3).elapsed(3, 0, 0, 0, 0)).isTrue();
    assertThat(Span.points(3).elapsed(2, 0, 1000, 0, 1e9)).isFalse();
    assertThat(new Span(100, Span.Unit.STEPS).elapsed(1, 50, 150, 0, 0)).isTrue();
    assertThat(new Span(100, Span.Unit.STEPS).elapsed(99, 50, 149, 0, 0)).isFalse();
    assertThat(new Span(60, Span.Unit.SECONDS).elapsed(1, 0, 0, 10, 70)).isTrue();
    assertThat(new Span(60, Span.Unit.SECONDS).elapsed(1, 0, 0, 10, 69.9)).isFalse();
    assertThatThrownBy(() -> Span.points(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Span(Double.NaN, Span.Unit.STEPS))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void judgementEvidenceIsACopyKeptInOrderAndUnmodifiable() {
    Map<String, Object> ev = new HashMap<>();
    ev.put("a", 1);
    Judgement j = new Judgement(Status.TRAINING, 1, 1.0, ev, "r");
    ev.put("b", 2);
    assertThat(j.evidence()).containsOnlyKeys("a");
    assertThatThrownBy(() -> j.evidence().put("c", 3))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(Judgement.waiting("x").hasBest()).isFalse();
  }
}
