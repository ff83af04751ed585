package dev.plateau.detect;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * PROVISIONAL noise-aware plateau detector (to be replaced by the tuned design).
 *
 * <p>Over a trailing window of the last max(min_window, fraction &times; n) points, the metric is
 * still improving when a Mann–Kendall test finds a significant improving trend and the Theil–Sen
 * slope projects more than {@code min_delta} of the curve's scale over the next window.
 */
public final class PlateauDetector implements Detector {
  /** Parameters. */
  public record Params(int minPoints, int minWindow, double fraction, int maxWindow, double z, double minDelta) {
    public static final Set<String> KEYS =
        Set.of("min_points", "min_window", "window_fraction", "max_window", "z", "min_delta", "smoothing");
    public static final Params DEFAULTS = new Params(10, 8, 0.3, 200, 1.645, 0.01);
  }

  private final Mode mode;
  private final Params params;
  private final BestTracker best;
  private double[] x = new double[64];
  private double[] y = new double[64];
  private int n;
  private double first = Double.NaN;
  private Judgement current = Judgement.waiting("no point yet");

  public PlateauDetector(Mode mode, Params params) {
    this.mode = mode;
    this.params = params;
    this.best = new BestTracker(mode);
  }

  @Override
  public String name() {
    return "plateau";
  }

  @Override
  public Judgement observe(long step, double wallTime, double value) {
    if (!Double.isFinite(value)) {
      return current;
    }
    if (n == x.length) {
      x = java.util.Arrays.copyOf(x, n * 2);
      y = java.util.Arrays.copyOf(y, n * 2);
    }
    x[n] = step;
    y[n] = mode.lowerIsBetter(value);
    n++;
    if (Double.isNaN(first)) {
      first = y[0];
    }
    best.offer(n - 1, step, wallTime, value);
    if (n < params.minPoints()) {
      current = new Judgement(Status.TRAINING, best.step(), best.value(), Map.of(), "warming up");
      return current;
    }
    int w = (int) Math.min(params.maxWindow(), Math.max(params.minWindow(), Math.ceil(params.fraction() * n)));
    w = Math.min(w, n);
    int from = n - w;
    double z = TrendStatistics.mannKendallZ(y, from, n);
    double slope = TrendStatistics.theilSenSlope(x, y, from, n);
    double span = x[n - 1] - x[from];
    double scale = Math.max(Math.abs(first - mode.lowerIsBetter(best.value())), 1e-12);
    double gain = slope < 0 ? -slope * span / scale : 0;
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("window", w);
    evidence.put("mk_z", z);
    evidence.put("theil_sen_slope", slope);
    evidence.put("projected_gain", gain);
    boolean improving = z < -params.z() && gain > params.minDelta();
    Status status = improving ? Status.TRAINING : Status.CONVERGED;
    current =
        new Judgement(
            status,
            best.step(),
            best.value(),
            evidence,
            improving ? "still improving" : "improvement over the last " + w + " points is negligible");
    return current;
  }

  @Override
  public Judgement current() {
    return current;
  }
}
