package dev.plateau.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The optional multi-scale agreement ({@code scales: 3}): a series that looks flat over the trend
 * test's window but whose newest points still fall significantly is not converged while they fall;
 * without it, the same series converges there.
 */
class MultiScaleAgreementTest {

  private static PlateauDetector.Params scales(int scales) {
    return PlateauDetector.Params.DEFAULTS.withScales(scales);
  }

  /** Converged judgements among points [from, to) of {@code curve}. */
  private static int convergedBetween(
      PlateauDetector.Params params, IntToDoubleFunction curve, int from, int to) {
    PlateauDetector detector = new PlateauDetector(Mode.MIN, params);
    int converged = 0;
    for (int t = 0; t < to; t++) {
      Status s = detector.observe(t, 0, curve.applyAsDouble(t)).status();
      if (t >= from && s == Status.CONVERGED) {
        converged++;
      }
    }
    return converged;
  }

  @Test
  void aLateSteadyDeclineHoldsOffConvergenceOnlyWithAgreementAcrossScales() {
    int withoutScales = 0;
    for (long seed = 1; seed <= 5; seed++) {
      Random random = new Random(seed);
      double[] noise = new double[400];
      for (int i = 0; i < noise.length; i++) {
        noise[i] = 0.004 * random.nextGaussian();
      }
      // A fast exponential drop, and under it a slow steady decline: over the trend test's long
      // window it projects below min_delta, while every newest eighth still falls significantly.
      IntToDoubleFunction curve =
          t -> 1 + 9 * Math.exp(-t / 15.0) - 0.0006 * Math.max(0, t - 60) + noise[t];
      assertThat(convergedBetween(scales(3), curve, 100, 400)).as("seed " + seed).isZero();
      withoutScales += convergedBetween(scales(0), curve, 100, 400) > 0 ? 1 : 0;
    }
    assertThat(withoutScales)
        .as("seeds converged in the decline without the agreement")
        .isGreaterThan(0);
  }

  @Test
  void scalesBeyondTheLimitAreRefusedRatherThanLoopingOverWrappedWindows() {
    // 1 << 31 wraps to a negative window share: before the limit, scales 31 looped ~2^31 times.
    for (int refused :
        new int[] {-1, PlateauDetector.Params.MAX_SCALES + 1, 31, Integer.MAX_VALUE}) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> scales(refused))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("scales must be from 0 to " + PlateauDetector.Params.MAX_SCALES);
    }
    assertThat(scales(PlateauDetector.Params.MAX_SCALES).scales())
        .isEqualTo(PlateauDetector.Params.MAX_SCALES);
  }
}
