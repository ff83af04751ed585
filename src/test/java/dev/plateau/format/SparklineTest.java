package dev.plateau.format;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SparklineTest {
  private static final double NAN = Double.NaN;

  @Test
  void longSeriesIsCutIntoWidthBucketsFromLowestToHighestBlock() {
    double[] v = new double[100];
    for (int i = 0; i < v.length; i++) {
      v[i] = i;
    }
    String s = Sparkline.of(v, 100, 8);
    assertThat(s).hasSize(8).isEqualTo("▁▂▃▄▅▆▇█");
  }

  @Test
  void shortSeriesGetsOneCharacterPerPoint() {
    assertThat(Sparkline.of(new double[] {3, 1, 2}, 3, 40)).isEqualTo("█▁▅");
  }

  @Test
  void onlyTheFirstCountValuesAreDrawn() {
    assertThat(Sparkline.of(new double[] {0, 1, 1000}, 2, 10)).isEqualTo("▁█");
  }

  @Test
  void bucketsAreDrawnAtTheirMean() {
    assertThat(Sparkline.of(new double[] {0, 0, 10, 10}, 4, 2)).isEqualTo("▁█");
    assertThat(Sparkline.of(new double[] {0, 10, 0, 10, 5, 5}, 6, 3)).isEqualTo("▅▅▅");
  }

  @Test
  void nanAndInfinityDrawAsCrossAndLeaveTheScaleAlone() {
    assertThat(Sparkline.of(new double[] {0, NAN, 1}, 3, 3)).isEqualTo("▁×█");
    assertThat(Sparkline.of(new double[] {0, Double.POSITIVE_INFINITY, 1}, 3, 3)).isEqualTo("▁×█");
    // a bucket holding any NaN is a cross even if it also holds finite values
    assertThat(Sparkline.of(new double[] {0, 0, 1, NAN}, 4, 2)).isEqualTo("▁×");
    assertThat(Sparkline.of(new double[] {NAN, NAN}, 2, 5)).isEqualTo("××");
  }

  @Test
  void flatSeriesDrawsAMiddleBlockEverywhere() {
    String s = Sparkline.of(new double[] {2, 2, 2, 2}, 4, 4);
    assertThat(s).hasSize(4);
    assertThat(s.chars().distinct().count()).isEqualTo(1);
    assertThat(s.charAt(0)).isNotIn('▁', '█', '×');
  }

  @Test
  void emptyInputOrZeroWidthGivesEmptyText() {
    assertThat(Sparkline.of(new double[0], 0, 10)).isEmpty();
    assertThat(Sparkline.of(new double[] {1, 2}, 2, 0)).isEmpty();
  }

  @Test
  void widthIsNeverExceeded() {
    for (int count = 1; count < 60; count++) {
      double[] v = new double[count];
      for (int i = 0; i < count; i++) {
        v[i] = Math.sin(i);
      }
      for (int width = 1; width < 25; width++) {
        assertThat(Sparkline.of(v, count, width)).hasSize(Math.min(width, count));
      }
    }
  }
}
