package dev.plateau.detect;

import java.util.Arrays;

/**
 * Fits learning-curve models to a series' history and predicts its level further on, with a 90%
 * interval.
 *
 * <p><b>Models</b>, over the point position t (1 for the first point): a power law {@code y = a +
 * b·t^-c} and an exponential approach {@code y = a + b·e^(-t/τ)}, the two shapes learning curves
 * take (their asymptote {@code a} is where training leads). For each model the non-linear parameter
 * (c, or τ relative to the history's length) runs over a fixed log-spaced grid; for each value, a
 * and b are the weighted least-squares solution (weights: the points behind each value).
 *
 * <p><b>Interval.</b> The model and grid value with the smallest squared error give the prediction.
 * The interval spans, over every model and grid value whose error is within the 90%
 * profile-likelihood bound of the best ({@code SSE ≤ SSE_min·(1 + 2.706/(m − 3))}), the prediction
 * &plusmn; 1.645 standard errors of its linear fit; the residual variance is inflated by {@code (1
 * + ρ)/(1 − ρ)} for a positive lag-1 autocorrelation ρ of the residuals (noise that wanders makes a
 * fit look surer than it is). The union of 90% intervals over a 90% region is conservative: on
 * synthetic power laws and exponential approaches with Gaussian noise it covers the truth 95–100
 * times in 100. So the interval widens where the shape is uncertain (a power law and an exponential
 * that fit the past equally well but part later), not only where the noise is large.
 *
 * <p>Pure: arrays in, numbers out. Cost: O(evaluations &times; m), one {@code exp} per value and
 * evaluation: 8 grid values, 8 golden-section steps, and about 9 steps to find each edge of the
 * profile region, per model (m &le; the detector's bins).
 */
final class LearningCurveForecast {
  /** Which model a prediction comes from. */
  enum Model {
    POWER_LAW("power_law"),
    EXPONENTIAL("exponential");

    final String jsonName;

    Model(String jsonName) {
      this.jsonName = jsonName;
    }
  }

  /** Grid values per model. */
  static final int GRID = 8;

  /** Power-law exponents c, from slow (0.05) to fast (4). */
  private static final double[] EXPONENTS = logGrid(0.05, 4);

  /** Exponential time constants τ as a share of the history's length, from 1/50 to 4. */
  private static final double[] TIME_SHARES = logGrid(0.02, 4);

  /** The normal quantile of a one-sided 95% (a two-sided 90% interval). */
  private static final double Z90 = 1.645;

  /**
   * The chi-square(1) quantile of 90%: the profile-likelihood bound on the non-linear parameter.
   */
  private static final double CHI2_90 = 2.706;

  private final double[] logT;
  private final double[] centre;
  private final boolean[] wide;
  // How many points a wide value stands for: read by every evaluation, so counted once a fit.
  private final int[] points;
  // Per model, the best of the last fit (reused: a fit allocates nothing).
  private final double[] bestLogP = new double[2];
  private final double[] bestSse = new double[2];
  private final double[] bestPrediction = new double[2];
  // The inputs of the fit in progress (set by fit(), read by its helpers).
  private double[] from;
  private double[] to;
  private double[] y;
  private double[] w;
  private int m;
  private double target;
  private double span;

  /** Results of the last {@link #fit}: NaN when there were too few values. */
  Model model;

  double value = Double.NaN;
  double lower = Double.NaN;
  double upper = Double.NaN;

  /**
   * The best model's curve after the last {@link #fit}, {@code y = asymptote + amplitude·x(t)} with
   * x = t^-rate (power law) or e^(-rate·t) (exponential); NaN when there was no fit.
   */
  double asymptote = Double.NaN;

  double amplitude = Double.NaN;
  double rate = Double.NaN;

  /**
   * The last fit's curve at position {@code t}: to the bit what {@link #value} would be had the fit
   * been asked for {@code t} (the model, its parameter and the linear coefficients do not depend on
   * the position predicted, only the prediction does). NaN when there was no fit.
   */
  double predictAt(double t) {
    if (model == null) {
      return Double.NaN;
    }
    double xt = model == Model.POWER_LAW ? Math.exp(-rate * Math.log(t)) : Math.exp(-rate * t);
    return asymptote + amplitude * xt;
  }

  LearningCurveForecast(int capacity) {
    logT = new double[capacity];
    centre = new double[capacity];
    wide = new boolean[capacity];
    points = new int[capacity];
  }

  private static double[] logGrid(double from, double to) {
    double[] grid = new double[GRID];
    for (int i = 0; i < GRID; i++) {
      grid[i] = from * Math.pow(to / from, i / (double) (GRID - 1));
    }
    return grid;
  }

  // One evaluation of a model at a non-linear parameter: filled by evaluate().
  private double evalSse;
  private double evalPrediction;
  private double evalVariance;
  private double evalA;
  private double evalB;

  /**
   * Fits {@code y[k]}, the mean of the points at positions {@code from[k]..to[k]} (1 for a series'
   * first point), with weights {@code w[k]}, k in [0, m), and predicts the level at position {@code
   * target}. Needs m &ge; 5; otherwise the results are NaN.
   *
   * <p>A value that stands for several points is compared with the model's mean over them, not its
   * value at their centre: early on, where a bin is wide against its position, a curve's curvature
   * would otherwise bias the fit (there: the points' mean, exactly for up to 8 points, else by
   * Simpson's rule with the Euler–Maclaurin end correction; the centre where the bin is narrow
   * against its position, under 1/16 of it).
   *
   * <p>Each model's parameter is searched on the coarse grid, then refined by golden-section search
   * between the best grid value's neighbours (in log scale); the interval takes the predictions
   * over each model's profile region, whose edges are found by stepping outwards from the optimum
   * (doubling) and bisecting.
   */
  void fit(double[] from, double[] to, double[] y, double[] w, int m, double target) {
    value = Double.NaN;
    lower = Double.NaN;
    upper = Double.NaN;
    asymptote = Double.NaN;
    amplitude = Double.NaN;
    rate = Double.NaN;
    model = null;
    if (m < 5) {
      return;
    }
    this.from = from;
    this.to = to;
    this.y = y;
    this.w = w;
    this.m = m;
    this.target = target;
    for (int k = 0; k < m; k++) {
      centre[k] = 0.5 * (from[k] + to[k]);
      logT[k] = Math.log(centre[k]);
      wide[k] = to[k] - from[k] >= from[k] / 16;
      points[k] = (int) Math.round(to[k] - from[k]) + 1;
    }
    span = to[m - 1];
    double[] bestLogP = this.bestLogP;
    double[] bestSse = this.bestSse;
    double[] bestPrediction = this.bestPrediction;
    Arrays.fill(bestLogP, 0);
    Arrays.fill(bestSse, Double.POSITIVE_INFINITY);
    Arrays.fill(bestPrediction, 0);
    for (int model = 0; model < 2; model++) {
      double[] grid = model == 0 ? EXPONENTS : TIME_SHARES;
      int bestG = -1;
      for (int g = 0; g < GRID; g++) {
        evaluate(model, parameter(model, grid[g], span));
        if (evalSse < bestSse[model]) {
          bestSse[model] = evalSse;
          bestG = g;
        }
      }
      if (bestG < 0) {
        continue;
      }
      // Golden-section search on log(grid value) between the neighbours of the best.
      double a = Math.log(grid[Math.max(0, bestG - 1)]);
      double b = Math.log(grid[Math.min(GRID - 1, bestG + 1)]);
      double golden = 0.6180339887498949;
      double c = b - golden * (b - a);
      double d = a + golden * (b - a);
      double fc = sseAt(model, Math.exp(c));
      double fd = sseAt(model, Math.exp(d));
      for (int i = 0; i < 6; i++) {
        if (fc < fd) {
          b = d;
          d = c;
          fd = fc;
          c = b - golden * (b - a);
          fc = sseAt(model, Math.exp(c));
        } else {
          a = c;
          c = d;
          fc = fd;
          d = a + golden * (b - a);
          fd = sseAt(model, Math.exp(d));
        }
      }
      double refined = 0.5 * (a + b);
      evaluate(model, parameter(model, Math.exp(refined), span));
      if (evalSse <= bestSse[model]) {
        bestSse[model] = evalSse;
        bestLogP[model] = refined;
      } else {
        bestLogP[model] = Math.log(grid[bestG]);
      }
      evaluate(model, parameter(model, Math.exp(bestLogP[model]), span));
      bestPrediction[model] = evalPrediction;
    }
    int best = bestSse[0] <= bestSse[1] ? 0 : 1;
    if (!Double.isFinite(bestSse[best])) {
      return;
    }
    double residual = bestSse[best] / (m - 3);
    double bestRate = parameter(best, Math.exp(bestLogP[best]), span);
    double inflation = residualInflation(best, bestRate);
    double bestA = evalA; // residualInflation evaluated the best model last
    double bestB = evalB;
    double bound = bestSse[best] * (1 + CHI2_90 / (m - 3)) + 1e-300;
    lo = Double.POSITIVE_INFINITY;
    hi = Double.NEGATIVE_INFINITY;
    double scale = residual * inflation;
    for (int model = 0; model < 2; model++) {
      if (!(bestSse[model] <= bound)) {
        continue;
      }
      double[] grid = model == 0 ? EXPONENTS : TIME_SHARES;
      double cell = Math.log(grid[1] / grid[0]);
      double reach = Math.log(grid[GRID - 1] / grid[0]) + 2 * cell;
      include(model, bestLogP[model], bound, scale);
      // Each side: step outwards, doubling, to the first parameter outside the bound, then
      // bisect for the region's edge; the prediction is taken at every parameter found inside.
      for (int side = -1; side <= 1; side += 2) {
        double inside = 0;
        double outside = Double.NaN;
        for (double d = cell / 4; d <= reach; d *= 2) {
          if (include(model, bestLogP[model] + side * d, bound, scale)) {
            inside = d;
          } else {
            outside = d;
            break;
          }
        }
        if (Double.isNaN(outside)) {
          continue;
        }
        for (int i = 0; i < 5; i++) {
          double mid = 0.5 * (inside + outside);
          if (include(model, bestLogP[model] + side * mid, bound, scale)) {
            inside = mid;
          } else {
            outside = mid;
          }
        }
      }
    }
    this.model = best == 0 ? Model.POWER_LAW : Model.EXPONENTIAL;
    asymptote = bestA;
    amplitude = bestB;
    rate = bestRate;
    value = bestPrediction[best];
    lower = Math.min(lo, value);
    upper = Math.max(hi, value);
  }

  // The interval being built by include().
  private double lo;
  private double hi;

  /**
   * Evaluates the model at {@code logP} (a grid value's log); when its error is within {@code
   * bound}, widens the interval by its prediction &plusmn; Z90 standard errors and returns true.
   */
  private boolean include(int model, double logP, double bound, double scale) {
    evaluate(model, parameter(model, Math.exp(logP), span));
    if (!(evalSse <= bound)) {
      return false;
    }
    double sd = Math.sqrt(scale * evalVariance);
    lo = Math.min(lo, evalPrediction - Z90 * sd);
    hi = Math.max(hi, evalPrediction + Z90 * sd);
    return true;
  }

  /** The rate p of model 0 (exponent c) or 1 (1/τ, τ a share of the span). */
  private static double parameter(int model, double gridValue, double span) {
    return model == 0 ? gridValue : 1 / (gridValue * span);
  }

  private double sseAt(int model, double gridValue) {
    evaluate(model, parameter(model, gridValue, span));
    return evalSse;
  }

  /** The model's basis t^-p (model 0) or e^(-p·t) (model 1), averaged over value k's points. */
  private double basis(int model, double p, int k) {
    if (!wide[k]) {
      return model == 0 ? Math.exp(-p * logT[k]) : Math.exp(-p * centre[k]);
    }
    double a = from[k];
    double b = to[k];
    int count = points[k];
    if (count <= EXACT_POINTS) {
      double sum = 0;
      for (int i = 0; i < count; i++) {
        sum += at(model, p, a + i);
      }
      return sum / count;
    }
    // Euler–Maclaurin: the sum over a..b is the integral (Simpson) plus half the end values.
    double fa = at(model, p, a);
    double fb = at(model, p, b);
    double integral = (b - a) / 6 * (fa + 4 * at(model, p, centre[k]) + fb);
    return (integral + 0.5 * (fa + fb)) / count;
  }

  /** Wide values standing for at most this many points are averaged point by point. */
  private static final int EXACT_POINTS = 8;

  private static double at(int model, double p, double t) {
    return model == 0 ? Math.exp(-p * Math.log(t)) : Math.exp(-p * t);
  }

  /** Weighted least squares for y = a + b·x, x = t^-p (model 0) or e^(-p·t) (model 1). */
  private void evaluate(int model, double p) {
    double sw = 0;
    double sx = 0;
    double sxx = 0;
    double sy = 0;
    double sxy = 0;
    double syy = 0;
    for (int k = 0; k < m; k++) {
      double x = basis(model, p, k);
      double wk = w[k];
      sw += wk;
      sx += wk * x;
      sxx += wk * x * x;
      sy += wk * y[k];
      sxy += wk * x * y[k];
      syy += wk * y[k] * y[k];
    }
    double det = sw * sxx - sx * sx;
    if (!(det > 1e-12 * sw * sxx)) {
      evalSse = Double.POSITIVE_INFINITY; // x barely varies: the shape says nothing here
      evalPrediction = Double.NaN;
      evalVariance = Double.NaN;
      return;
    }
    double b = (sw * sxy - sx * sy) / det;
    double a = (sy - b * sx) / sw;
    evalA = a;
    evalB = b;
    // Σw(y − a − bx)², from the sums; clamped at 0 against rounding.
    evalSse =
        Math.max(0, syy - 2 * a * sy - 2 * b * sxy + a * a * sw + 2 * a * b * sx + b * b * sxx);
    double xt = model == 0 ? Math.exp(-p * Math.log(target)) : Math.exp(-p * target);
    evalPrediction = a + b * xt;
    // Var(a + b·xt) / σ² = [1 xt] (XᵀWX)⁻¹ [1 xt]ᵀ.
    evalVariance = (sxx - 2 * xt * sx + xt * xt * sw) / det;
  }

  /**
   * (1 + ρ)/(1 − ρ) for the lag-1 autocorrelation ρ of the fit's residuals, in time order, when
   * positive (ρ capped at 0.9).
   */
  private double residualInflation(int model, double p) {
    evaluate(model, p);
    if (!Double.isFinite(evalSse)) {
      return 1;
    }
    double num = 0;
    double den = 0;
    double previous = Double.NaN;
    for (int k = 0; k < m; k++) {
      double r = y[k] - evalA - evalB * basis(model, p, k);
      den += r * r;
      if (!Double.isNaN(previous)) {
        num += r * previous;
      }
      previous = r;
    }
    if (!(den > 0)) {
      return 1;
    }
    double rho = Math.min(0.9, num / den);
    return rho > 0 ? (1 + rho) / (1 - rho) : 1;
  }
}
