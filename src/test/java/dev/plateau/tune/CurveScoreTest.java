package dev.plateau.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class CurveScoreTest {
  /** 1/(1+t) over 40 points: level window 1 (h = 1), best at the end. */
  private static double[] decaying(int n) {
    double[] v = new double[n];
    for (int t = 0; t < n; t++) {
      v[t] = 1.0 / (1 + t);
    }
    return v;
  }

  @Test
  void aStopThatKeepsTheBestLevelHasNoRegretAndSavesTheRest() {
    double[] v = decaying(41);
    Score s = CurveScore.score(v, new Stop(30, 40));
    assertThat(s.fired()).isTrue();
    assertThat(s.regret()).isCloseTo(0, within(1e-12));
    assertThat(s.savings()).isCloseTo(10.0 / 40, within(1e-12));
  }

  @Test
  void anEarlyStopKeepsAWorseLevelAndIsAFalseStopBeyondTau() {
    double[] v = decaying(41);
    Score s = CurveScore.score(v, new Stop(2, 2));
    double[] level = CurveScore.level(v);
    double best = level[40];
    double range = level[0] - best;
    assertThat(s.regret()).isCloseTo((level[2] - best) / range, within(1e-12));
    assertThat(s.isFalseStop(0.02)).isTrue();
    assertThat(CurveScore.score(v, null)).isEqualTo(Score.NOT_STOPPED);
  }

  @Test
  void theLevelIsACentredMeanOverTwoFloorTOver40PlusOnePointsOfTheFiniteValues() {
    double[] v = new double[80]; // h = 2
    for (int i = 0; i < v.length; i++) {
      v[i] = i;
    }
    v[10] = Double.NaN;
    double[] level = CurveScore.level(v);
    assertThat(level[0]).isCloseTo((0 + 1 + 2) / 3.0, within(1e-12));
    assertThat(level[11]).isCloseTo((9 + 11 + 12 + 13) / 4.0, within(1e-12));
    assertThat(level[79]).isCloseTo((77 + 78 + 79) / 3.0, within(1e-12));
  }

  @Test
  void aSummaryCountsFalseStopsPlainAndNoiseAware() {
    List<Score> scores =
        List.of(
            new Score(0.5, 0.05, true, 0.01), // false, and beyond the noise
            new Score(0.4, 0.05, true, 0.10), // false, but within the noise
            new Score(0.3, 0.0, true, 0.0),
            Score.NOT_STOPPED);
    Summary m = Summary.of(scores, 0.02);
    assertThat(m.curves()).isEqualTo(4);
    assertThat(m.fired()).isEqualTo(3);
    assertThat(m.falseStopRate()).isEqualTo(0.5);
    assertThat(m.noiseAwareFalseStopRate()).isEqualTo(0.25);
    assertThat(m.meanSavings()).isCloseTo(0.3, within(1e-12));
    assertThat(m.meanRegret()).isCloseTo(0.025, within(1e-12));
  }

  @Test
  void theFrontierDropsDominatedSettingsAndTheBudgetPicksTheMostSavings() {
    Summary safe = new Summary(10, 2, 0.10, 0.00, 0, 0);
    Summary middle = new Summary(10, 5, 0.25, 0.04, 0, 0);
    Summary dominated = new Summary(10, 5, 0.20, 0.05, 0, 0);
    Summary greedy = new Summary(10, 9, 0.40, 0.20, 0, 0);
    List<Summary> all = List.of(safe, middle, dominated, greedy);
    assertThat(Frontier.of(all, s -> s)).containsExactly(safe, middle, greedy);
    assertThat(Frontier.best(all, s -> s, 0.05)).contains(middle);
    assertThat(Frontier.best(all, s -> s, 0.0)).contains(safe);
    assertThat(Frontier.best(List.of(greedy), s -> s, 0.05)).isEmpty();
  }
}
