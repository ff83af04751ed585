package dev.plateau.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plateau.detect.Status;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusFilterTest {

  @Test
  void listedStatusesPassAndOthersDoNot() {
    StatusFilter filter = StatusFilter.parse(List.of("converged", " Diverged "));

    assertThat(filter.accepts(Status.CONVERGED)).isTrue();
    assertThat(filter.accepts(Status.DIVERGED)).isTrue();
    assertThat(filter.accepts(Status.OVERFITTING)).isFalse();
    for (Status other : EnumSet.complementOf(EnumSet.of(Status.CONVERGED, Status.DIVERGED))) {
      assertThat(filter.accepts(other)).as(other.jsonName()).isFalse();
    }
    assertThat(filter).hasToString("[converged,diverged]");
  }

  @Test
  void allLetsEveryStatusThroughTrainingIncluded() {
    StatusFilter filter = StatusFilter.parse("all");

    assertThat(filter).isEqualTo(StatusFilter.ALL);
    assertThat(filter.accepts(Status.TRAINING)).isTrue();
    assertThat(filter).hasToString("all");
  }

  @Test
  void defaultIsEverythingButTraining() {
    assertThat(StatusFilter.parse((List<String>) null)).isEqualTo(StatusFilter.DEFAULT);
    assertThat(StatusFilter.parse("")).isEqualTo(StatusFilter.DEFAULT);
    assertThat(StatusFilter.DEFAULT.accepts(Status.TRAINING)).isFalse();
    for (String s : List.of("converged", "target_reached", "diverged", "overfitting", "stalled")) {
      assertThat(StatusFilter.DEFAULT.accepts(Status.fromJsonName(s))).as(s).isTrue();
    }
  }

  @Test
  void commaSeparatedStringIsAList() {
    assertThat(StatusFilter.parse("converged,stalled"))
        .isEqualTo(StatusFilter.parse(List.of("converged", "stalled")));
  }

  @Test
  void unknownStatusIsRefusedListingTheAllowedOnes() {
    assertThatThrownBy(() -> StatusFilter.parse(List.of("convergd")))
        .isInstanceOf(SinkConfigException.class)
        .hasMessageContaining("convergd")
        .hasMessageContaining("converged, target_reached");
  }

  @Test
  void allMixedWithNamesIsRefused() {
    assertThatThrownBy(() -> StatusFilter.parse(List.of("all", "converged")))
        .isInstanceOf(SinkConfigException.class);
  }
}
