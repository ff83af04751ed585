package dev.plateau.bench;

import dev.plateau.detect.Detector;
import dev.plateau.detect.DivergenceDetector;
import dev.plateau.detect.MinDelta;
import dev.plateau.detect.Mode;
import dev.plateau.detect.OverfittingDetector;
import dev.plateau.detect.PatienceDetector;
import dev.plateau.detect.PlateauDetector;
import dev.plateau.detect.SeriesJudge;
import dev.plateau.detect.SmoothedDetector;
import dev.plateau.detect.Span;
import dev.plateau.detect.StalledDetector;
import dev.plateau.detect.TargetDetector;
import dev.plateau.detect.Verdict;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Detection cost (issue 6, figure 3): amortised nanoseconds per point of each detector, and of a
 * judge with the default detectors, over series of 10^3 to 10^6 points.
 *
 * <p>One operation is one point fed to a {@link SeriesJudge}, as the daemon and {@code check} feed
 * them; when the series ends a fresh judge starts it again, so the score is the cost per point
 * averaged over whole series of {@code points} points, construction included. Each detector runs
 * alone in its judge (so its score includes the judge's small share); {@code default} is the
 * default list (divergence, overfitting, plateau, stalled). The overfitting detector gets a
 * training twin point before every validation point, as a Keras job logging both per epoch.
 *
 * <p>The series is a seeded noisy power-law decay that levels off, the shape of a real loss curve;
 * the validation curve of the overfitting case turns up in its last third.
 *
 * <p>Run: {@code ./mvnw -B -o test-compile} then {@code java -cp
 * "target/test-classes:target/classes:$(cat cp.txt)" org.openjdk.jmh.Main DetectorBenchmark} (with
 * {@code dependency:build-classpath -Dmdep.outputFile=cp.txt}); {@code -p points=10000} picks a
 * size.
 */
@State(Scope.Thread)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class DetectorBenchmark {

  /** Points per series. */
  @Param({"1000", "10000", "100000", "1000000"})
  public int points;

  /** Which detector the judge runs ({@code default}: the default list). */
  @Param({
    "plateau",
    "divergence",
    "patience",
    "target",
    "overfitting",
    "stalled",
    "smoothed_plateau",
    "default"
  })
  public String detector;

  private double[] values;
  private double[] twin;
  private SeriesJudge judge;
  private OverfittingDetector overfitting;
  private int next;

  @Setup(Level.Trial)
  public void generate() {
    values = new double[points];
    twin = new double[points];
    SplittableRandom random = new SplittableRandom(20_261_124L);
    double scale = Math.max(1, points / 200.0);
    for (int t = 0; t < points; t++) {
      double train = 0.1 + 2.5 * Math.pow(1 + t / scale, -0.6);
      double rise = t > 2 * points / 3 ? 0.3 * (t - 2.0 * points / 3) / points : 0;
      twin[t] = train * (1 + 0.02 * gaussian(random));
      values[t] = (train + 0.05 + rise) * (1 + 0.03 * gaussian(random));
    }
    startSeries();
  }

  private static double gaussian(SplittableRandom random) {
    // Box-Muller: SplittableRandom has no nextGaussian on Java 17.
    double u = 1 - random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  }

  private void startSeries() {
    List<Detector> detectors = detectors(detector);
    overfitting = null;
    for (Detector d : detectors) {
      if (d instanceof OverfittingDetector o) {
        overfitting = o;
      }
    }
    judge = new SeriesJudge("bench/validation", "val_loss", Mode.MIN, detectors);
    next = 0;
  }

  /** The detectors of one benchmark case, with their default parameters. */
  static List<Detector> detectors(String name) {
    return switch (name) {
      case "plateau" -> List.of(plateau());
      case "divergence" -> List.of(divergence());
      case "patience" ->
          List.of(
              new PatienceDetector(
                  Mode.MIN,
                  new PatienceDetector.Params(
                      Span.points(10), new MinDelta(0.001, true), Long.MIN_VALUE, Double.NaN)));
      case "target" -> List.of(new TargetDetector(Mode.MIN, new TargetDetector.Params(0.01)));
      case "overfitting" -> List.of(overfittingDetector());
      case "stalled" -> List.of(stalled());
      case "smoothed_plateau" -> List.of(new SmoothedDetector(plateau(), 0.6));
      case "default" -> List.of(divergence(), overfittingDetector(), plateau(), stalled());
      default -> throw new IllegalArgumentException("no benchmark case " + name);
    };
  }

  private static Detector plateau() {
    return new PlateauDetector(Mode.MIN, PlateauDetector.Params.DEFAULTS);
  }

  private static Detector divergence() {
    return new DivergenceDetector(Mode.MIN, DivergenceDetector.Params.DEFAULTS);
  }

  private static OverfittingDetector overfittingDetector() {
    return new OverfittingDetector(Mode.MIN, OverfittingDetector.Params.DEFAULTS);
  }

  private static Detector stalled() {
    return new StalledDetector(StalledDetector.Params.DEFAULTS);
  }

  /** Feeds the next point (and its twin point); returns the verdict when the status changed. */
  @Benchmark
  public Verdict point() {
    if (next == points) {
      startSeries();
    }
    int t = next++;
    double wallTime = 1.7e9 + t;
    if (overfitting != null) {
      overfitting.observeTwin(t, wallTime, twin[t]);
    }
    return judge.observe(t, wallTime, values[t]);
  }
}
