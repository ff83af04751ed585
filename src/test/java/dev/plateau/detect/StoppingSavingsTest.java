package dev.plateau.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What stopping saved, from verdicts whose numbers are chosen by hand. */
class StoppingSavingsTest {
  static Verdict verdict(Status status, Long decidedAt, long best, long last, Long maxSteps) {
    Map<String, Object> forecast = new LinkedHashMap<>();
    forecast.put("step", 2 * last);
    forecast.put("steps_per_hour", 100.0);
    if (maxSteps != null) {
      forecast.put("max_steps", maxSteps);
    }
    return new Verdict(
        "exp",
        "val_loss",
        Mode.MIN,
        status,
        "plateau",
        decidedAt,
        best,
        0.5,
        last,
        last + 1,
        Map.of("forecast", forecast),
        "");
  }

  @Test
  void aRunStillTrainingCountsOnlyTheStepsAfterItsBest() {
    StoppingSavings s =
        StoppingSavings.of(List.of(verdict(Status.TRAINING, null, 300, 500, null)), null);
    assertThat(s).isEqualTo(new StoppingSavings(200, 2.0, 0, 0, 1, 0));
  }

  @Test
  void aStoppedRunSparesTheStepsToItsMaxSteps() {
    Verdict v = verdict(Status.CONVERGED, 400L, 380, 420, 1000L);
    Long at = StoppingSavings.stoppedAt(List.of(v), StopPolicy.DEFAULT);
    assertThat(at).isEqualTo(400L);
    assertThat(StoppingSavings.of(List.of(v), at))
        .isEqualTo(new StoppingSavings(40, 0.4, 600, 6.0, 1, 1));
  }

  @Test
  void withoutMaxStepsTheForecastEndIsTwiceTheStopButNeverBeforeTheLastStep() {
    Verdict live = verdict(Status.CONVERGED, 400L, 380, 410, null);
    assertThat(StoppingSavings.of(List.of(live), 400L).stepsSpared()).isEqualTo(400);
    Verdict finished = verdict(Status.CONVERGED, 400L, 380, 1000, null);
    assertThat(StoppingSavings.of(List.of(finished), 400L).stepsSpared()).isEqualTo(600);
  }

  @Test
  void theReferenceIsTheDecidingSeriesWhoseBestCameLastAndSumsAddUp() {
    Verdict early = verdict(Status.CONVERGED, 400L, 100, 500, null);
    Verdict late = verdict(Status.CONVERGED, 450L, 350, 500, null);
    StoppingSavings one = StoppingSavings.of(List.of(early, late), 450L);
    assertThat(one.stepsAfterBest()).isEqualTo(150);
    assertThat(one.stepsSpared()).isEqualTo(450);
    StoppingSavings sum = one.plus(StoppingSavings.of(List.of(early), null));
    assertThat(sum).isEqualTo(new StoppingSavings(550, 5.5, 450, 4.5, 2, 1));
  }
}
