package dev.plateau.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import dev.plateau.detect.Detector;
import dev.plateau.detect.DivergenceDetector;
import dev.plateau.detect.MinDelta;
import dev.plateau.detect.Mode;
import dev.plateau.detect.OverfittingDetector;
import dev.plateau.detect.PatienceDetector;
import dev.plateau.detect.PlateauDetector;
import dev.plateau.detect.SmoothedDetector;
import dev.plateau.detect.Span;
import dev.plateau.detect.StalledDetector;
import dev.plateau.detect.TargetDetector;
import java.util.function.Supplier;

/**
 * Detectors with parameters from fuzzer data: each parameter its default half of the time, else a
 * value at the edges of what it allows, or any number at all. A parameter record may refuse its
 * values with an {@link IllegalArgumentException} (their documented failure): then there is no such
 * detector. The result is a factory, so that the fuzz test can build the same detector twice (to
 * check that a restored snapshot goes on as the original).
 */
final class DetectorParams {
  private static final double[] DOUBLES = {
    0,
    -0.0,
    1e-300,
    0.001,
    0.01,
    0.5,
    0.6,
    0.999,
    1,
    1.000001,
    1.645,
    2,
    3,
    10,
    100,
    1e300,
    -1,
    Double.NaN,
    Double.POSITIVE_INFINITY,
    Double.NEGATIVE_INFINITY,
    Double.MIN_VALUE,
    Double.MAX_VALUE
  };
  private static final int[] INTS = {
    Integer.MIN_VALUE,
    -1,
    0,
    1,
    2,
    3,
    5,
    6,
    7,
    8,
    10,
    16,
    17,
    18,
    40,
    64,
    128,
    1024,
    1026,
    1 << 16,
    Integer.MAX_VALUE
  };

  private DetectorParams() {}

  /** A factory of one detector of a fuzzed kind, or null when its parameters were refused. */
  static Supplier<Detector> next(FuzzedDataProvider data, Mode mode) {
    Supplier<Detector> made;
    try {
      made =
          switch (data.consumeInt(0, 5)) {
            case 0 -> divergence(data, mode);
            case 1 -> target(data, mode);
            case 2 -> patience(data, mode);
            case 3 -> plateau(data, mode);
            case 4 -> overfitting(data, mode);
            default -> stalled(data);
          };
      if (data.consumeInt(0, 3) == 0) {
        double weight = number(data);
        Supplier<Detector> inner = made;
        new SmoothedDetector(inner.get(), weight); // refuses a weight outside [0, 1) here
        made = () -> new SmoothedDetector(inner.get(), weight);
      }
    } catch (IllegalArgumentException refused) {
      return null;
    }
    made.get(); // a refusal shows here, not in the middle of the series
    return made;
  }

  private static Supplier<Detector> divergence(FuzzedDataProvider data, Mode mode) {
    DivergenceDetector.Params d = DivergenceDetector.Params.DEFAULTS;
    DivergenceDetector.Params p =
        new DivergenceDetector.Params(
            data.consumeBoolean(),
            data.consumeBoolean() ? d.threshold() : number(data),
            data.consumeBoolean() ? d.explodeFactor() : number(data),
            data.consumeBoolean() ? d.explodePoints() : count(data));
    return () -> new DivergenceDetector(mode, p);
  }

  private static Supplier<Detector> target(FuzzedDataProvider data, Mode mode) {
    TargetDetector.Params p = new TargetDetector.Params(number(data));
    return () -> new TargetDetector(mode, p);
  }

  private static Supplier<Detector> patience(FuzzedDataProvider data, Mode mode) {
    PatienceDetector.Params d = PatienceDetector.Params.DEFAULTS;
    PatienceDetector.Params p =
        new PatienceDetector.Params(
            data.consumeBoolean()
                ? d.patience()
                : new Span(number(data), data.pickValue(Span.Unit.values())),
            data.consumeBoolean()
                ? d.minDelta()
                : new MinDelta(number(data), data.consumeBoolean()),
            data.consumeBoolean() ? d.startStep() : data.consumeLong(),
            data.consumeBoolean() ? d.baseline() : number(data));
    return () -> new PatienceDetector(mode, p);
  }

  private static Supplier<Detector> plateau(FuzzedDataProvider data, Mode mode) {
    PlateauDetector.Params d = PlateauDetector.Params.DEFAULTS;
    PlateauDetector.Params p =
        new PlateauDetector.Params(
            data.consumeBoolean() ? d.warmup() : count(data),
            data.consumeBoolean() ? d.windowFraction() : number(data),
            data.consumeBoolean() ? d.minWindow() : count(data),
            data.consumeBoolean() ? d.z() : number(data),
            data.consumeBoolean() ? d.minDelta() : number(data),
            data.consumeBoolean() ? d.horizon() : number(data),
            data.consumeBoolean() ? d.patienceFraction() : number(data),
            data.consumeBoolean() ? d.minPatience() : count(data),
            data.consumeBoolean() ? d.maxBins() : count(data),
            data.consumeBoolean() ? d.levelDivisor() : count(data),
            data.consumeBoolean() ? d.confirm() : count(data),
            data.consumeBoolean() ? d.rateShift() : number(data),
            data.consumeBoolean(),
            data.consumeBoolean() ? d.learnedSigmas() : number(data),
            data.consumeBoolean() ? d.notLearningAfter() : count(data),
            data.consumeBoolean() ? d.scales() : count(data),
            data.consumeBoolean() ? d.minBestAge() : count(data));
    return () -> new PlateauDetector(mode, p);
  }

  private static Supplier<Detector> overfitting(FuzzedDataProvider data, Mode mode) {
    OverfittingDetector.Params d = OverfittingDetector.Params.DEFAULTS;
    OverfittingDetector.Params p =
        new OverfittingDetector.Params(
            data.consumeBoolean() ? d.window() : count(data),
            data.consumeBoolean() ? d.z() : number(data),
            data.consumeBoolean() ? d.minWorsening() : number(data),
            data.consumeBoolean() ? d.minPoints() : count(data));
    return () -> new OverfittingDetector(mode, p);
  }

  private static Supplier<Detector> stalled(FuzzedDataProvider data) {
    StalledDetector.Params p =
        data.consumeBoolean()
            ? StalledDetector.Params.DEFAULTS
            : new StalledDetector.Params(number(data));
    return () -> new StalledDetector(p);
  }

  private static double number(FuzzedDataProvider data) {
    return data.consumeBoolean() ? data.pickValue(DOUBLES) : data.consumeDouble();
  }

  private static int count(FuzzedDataProvider data) {
    return data.consumeBoolean() ? data.pickValue(INTS) : data.consumeInt();
  }
}
