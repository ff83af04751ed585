package dev.plateau.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvidenceTest {
  private static LinkedHashMap<String, Object> mixed() {
    LinkedHashMap<String, Object> m = new LinkedHashMap<>();
    m.put("slope", -0.25);
    m.put("window", 64);
    m.put("rule", "min_delta");
    m.put("steps", 1200L);
    m.put("nan", Double.NaN);
    m.put("negative_zero", -0.0);
    m.put("flags", List.of(1, 2));
    return m;
  }

  @Test
  void keepsEveryEntryInTheOrderItWasPut() {
    LinkedHashMap<String, Object> given = mixed();
    Map<String, Object> evidence = Evidence.of(given);

    assertThat(new ArrayList<>(evidence.keySet())).isEqualTo(new ArrayList<>(given.keySet()));
    assertThat(new ArrayList<>(evidence.values())).isEqualTo(new ArrayList<>(given.values()));
    assertThat(evidence).isEqualTo(given);
    assertThat(evidence.hashCode()).isEqualTo(given.hashCode());
  }

  @Test
  void numbersComeBackAsTheSameDoublesToTheBit() {
    Map<String, Object> evidence = Evidence.owning(mixed());

    assertThat(evidence.get("slope")).isEqualTo(-0.25);
    assertThat(Double.doubleToRawLongBits((Double) evidence.get("negative_zero")))
        .isEqualTo(Double.doubleToRawLongBits(-0.0));
    assertThat((Double) evidence.get("nan")).isNaN();
    assertThat(evidence.get("window")).isEqualTo(64);
    assertThat(evidence.get("steps")).isEqualTo(1200L);
    assertThat(evidence.get("absent")).isNull();
    assertThat(evidence.containsKey("rule")).isTrue();
    assertThat(evidence.containsKey("absent")).isFalse();
  }

  @Test
  void withReplacesAnEntryInPlaceOrAddsItLast() {
    Map<String, Object> evidence = Evidence.of(mixed());

    Map<String, Object> replaced = Evidence.with(evidence, "window", 32);
    Map<String, Object> added = Evidence.with(evidence, "best_step", 7L);

    assertThat(new ArrayList<>(replaced.keySet())).isEqualTo(new ArrayList<>(mixed().keySet()));
    assertThat(replaced.get("window")).isEqualTo(32);
    assertThat(evidence.get("window")).isEqualTo(64);
    assertThat(new ArrayList<>(added.keySet())).endsWith("best_step");
    assertThat(added).hasSize(mixed().size() + 1);
  }

  @Test
  void evidenceIsSharedNotCopiedAndEmptyIsOneValue() {
    Map<String, Object> evidence = Evidence.of(mixed());

    assertThat(Evidence.of(evidence)).isSameAs(evidence);
    assertThat(Evidence.of(new LinkedHashMap<>())).isSameAs(Evidence.EMPTY);
    assertThat(Evidence.EMPTY).isEmpty();
  }
}
