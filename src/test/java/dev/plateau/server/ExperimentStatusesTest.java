package dev.plateau.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plateau.detect.Status;
import dev.plateau.verdict.ExperimentVerdict;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which experiments {@code plateau_experiment_status} exports when there are more than its limit.
 */
class ExperimentStatusesTest {
  private static ExperimentVerdict verdict(String name, Status status) {
    return new ExperimentVerdict(name, status, List.of(), List.of(), "");
  }

  private static final List<ExperimentStatuses.Logdir> LOGDIRS =
      List.of(
          new ExperimentStatuses.Logdir(
              "/one",
              List.of(
                  verdict("a", Status.CONVERGED),
                  verdict("b", Status.TRAINING),
                  verdict("c", Status.STALLED))),
          new ExperimentStatuses.Logdir(
              "/two",
              List.of(
                  verdict("a", Status.TRAINING),
                  verdict("b", Status.DIVERGED),
                  verdict("c", Status.NOT_LEARNING))));

  private static List<String> names(ExperimentStatuses s) {
    return s.exported().stream().map(e -> e.logdir() + " " + e.experiment()).toList();
  }

  @Test
  void theMostInNeedOfAttentionComeFirstThenLogdirThenNameOrder() {
    ExperimentStatuses all = ExperimentStatuses.select(LOGDIRS, 1_000);
    assertThat(names(all))
        .containsExactly("/two b", "/one c", "/two c", "/one b", "/two a", "/one a");
    assertThat(all.omitted()).isZero();
  }

  @Test
  void theLimitKeepsTheFirstAndCountsTheRest() {
    ExperimentStatuses three = ExperimentStatuses.select(LOGDIRS, 3);
    assertThat(names(three)).containsExactly("/two b", "/one c", "/two c");
    assertThat(three.omitted()).isEqualTo(3);
    ExperimentStatuses none = ExperimentStatuses.select(LOGDIRS, 0);
    assertThat(none.exported()).isEmpty();
    assertThat(none.omitted()).isEqualTo(6);
  }

  @Test
  void everyStatusHasItsOwnRankDivergedFirstConvergedLast() {
    assertThat(Arrays.stream(Status.values()).mapToInt(ExperimentStatuses::attentionRank).sorted())
        .containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    assertThat(ExperimentStatuses.attentionRank(Status.DIVERGED)).isZero();
    assertThat(ExperimentStatuses.attentionRank(Status.CONVERGED)).isEqualTo(7);
  }

  @Test
  void aNegativeLimitIsRefused() {
    assertThatThrownBy(() -> new MetricsLimits(-1)).hasMessageContaining("negative");
    assertThat(MetricsLimits.DEFAULTS.maxExperimentStatuses()).isEqualTo(1_000);
  }
}
