package dev.plateau.detect;

/**
 * Fits learning-curve models to a series' history and predicts its level further on, with a 90%
 * interval.
 *
 * <p><b>Models</b>, over the point position t (1 for the first point): a power law {@code y = a +
 * b·t^-c} and an exponential approach {@code y = a + b·e^(-t/τ)}, the two shapes learning curves
 * take (their asymptote {@code a} is where training leads). For each model the non-linear
 * parameter (c, or τ relative to the history's length) runs over a fixed log-spaced grid; for each
 * value, a and b are the weighted least-squares solution (weights: the points behind each value).
 *
 * <p><b>Interval.</b> The model and grid value with the smallest squared error give the
 * prediction. The interval spans, over every model and grid value whose error is within the 90%
 * profile-likelihood bound of the best ({@code SSE ≤ SSE_min·(1 + 6.251/(m − 3))}, the 90% region of three parameters), the prediction
 * &plusmn; 1.645 standard errors of its linear fit; the residual variance is inflated by {@code
 * (1 + ρ)/(1 − ρ)} for a positive lag-1 autocorrelation ρ of the residuals (noise that wanders
 * makes a fit look surer than it is). So the interval widens where the shape is uncertain (a
 * power law and an exponential that fit the past equally well but part later), not only where the
 * noise is large.
 *
 * <p>Pure: arrays in, numbers out. Cost: O(evaluations &times; m), one {@code exp} per value and
 * evaluation: 12 grid values, 24 golden-section steps, and the profile scanned
 * outwards in sixteenths of a grid step while it stays within the bound, per model
 * (m &le; the detector's bins).
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
  static final int GRID = 12;

  /** Power-law exponents c, from slow (0.05) to fast (4). */
  private static final double[] EXPONENTS = logGrid(0.05, 4);

  /** Exponential time constants τ as a share of the history's length, from 1/50 to 4. */
  private static final double[] TIME_SHARES = logGrid(0.02, 4);

  /** The normal quantile of a one-sided 95% (a two-sided 90% interval). */
  private static final double Z90 = 1.645;

  /**
   * The chi-square(3) quantile of 90%: the profile-likelihood bound on the non-linear parameter,
   * taken for all three parameters together (the projection of their joint region), since the
   * linear fit's own error is added on top only at each parameter value.
   */
  private static final double CHI2_90 = 6.251;

  private final double[] logT;

  /** Results of the last {@link #fit}: NaN when there were too few values. */
  Model model;

  double value = Double.NaN;
  double lower = Double.NaN;
  double upper = Double.NaN;

  LearningCurveForecast(int capacity) {
    logT = new double[capacity];
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

  /**
   * Fits {@code y[k]} at positions {@code t[k]} with weights {@code w[k]}, k in [0, m), and predicts
   * the level at position {@code target}. Needs m &ge; 5; otherwise the results are NaN.
   *
   * <p>Each model's parameter is searched on the coarse grid, then refined by golden-section
   * search between the best grid value's neighbours (in log scale); the interval scans the
   * profile outwards from each model's optimum, sixteen steps per grid step.
   */
  void fit(double[] t, double[] y, double[] w, int m, double target) {
    value = Double.NaN;
    lower = Double.NaN;
    upper = Double.NaN;
    model = null;
    if (m < 5) {
      return;
    }
    for (int k = 0; k < m; k++) {
      logT[k] = Math.log(t[k]);
    }
    double span = t[m - 1];
    double[] bestLogP = new double[2];
    double[] bestSse = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
    double[] bestPrediction = new double[2];
    for (int model = 0; model < 2; model++) {
      double[] grid = model == 0 ? EXPONENTS : TIME_SHARES;
      int bestG = -1;
      for (int g = 0; g < GRID; g++) {
        double p = parameter(model, grid[g], span);
        evaluate(model, p, t, y, w, m, target);
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
      double fc = sseAt(model, Math.exp(c), span, t, y, w, m, target);
      double fd = sseAt(model, Math.exp(d), span, t, y, w, m, target);
      for (int i = 0; i < 20; i++) {
        if (fc < fd) {
          b = d;
          d = c;
          fd = fc;
          c = b - golden * (b - a);
          fc = sseAt(model, Math.exp(c), span, t, y, w, m, target);
        } else {
          a = c;
          c = d;
          fc = fd;
          d = a + golden * (b - a);
          fd = sseAt(model, Math.exp(d), span, t, y, w, m, target);
        }
      }
      double refined = 0.5 * (a + b);
      evaluate(model, parameter(model, Math.exp(refined), span), t, y, w, m, target);
      if (evalSse <= bestSse[model]) {
        bestSse[model] = evalSse;
        bestLogP[model] = refined;
      } else {
        bestLogP[model] = Math.log(grid[bestG]);
      }
      evaluate(model, parameter(model, Math.exp(bestLogP[model]), span), t, y, w, m, target);
      bestPrediction[model] = evalPrediction;
    }
    int best = bestSse[0] <= bestSse[1] ? 0 : 1;
    if (!Double.isFinite(bestSse[best])) {
      return;
    }
    double residual = bestSse[best] / (m - 3);
    double inflation =
        residualInflation(t, y, m, best, parameter(best, Math.exp(bestLogP[best]), span));
    double bound = bestSse[best] * (1 + CHI2_90 / (m - 3)) + 1e-300;
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int model = 0; model < 2; model++) {
      if (!Double.isFinite(bestSse[model])) {
        continue;
      }
      double[] grid = model == 0 ? EXPONENTS : TIME_SHARES;
      double step = Math.log(grid[1] / grid[0]) / 16;
      // Outwards from the optimum on each side, while the profile stays within the bound.
      for (int side = -1; side <= 1; side += 2) {
        for (int k = side == -1 ? 0 : 1; k <= 16 * GRID; k++) {
          double logP = bestLogP[model] + side * k * step;
          evaluate(model, parameter(model, Math.exp(logP), span), t, y, w, m, target);
          if (!(evalSse <= bound)) {
            break;
          }
          double sd = Math.sqrt(residual * inflation * evalVariance);
          lo = Math.min(lo, evalPrediction - Z90 * sd);
          hi = Math.max(hi, evalPrediction + Z90 * sd);
        }
      }
    }
    this.model = best == 0 ? Model.POWER_LAW : Model.EXPONENTIAL;
    value = bestPrediction[best];
    lower = Math.min(lo, value);
    upper = Math.max(hi, value);
  }

  /** The rate p of model 0 (exponent c) or 1 (1/τ, τ a share of the span). */
  private static double parameter(int model, double gridValue, double span) {
    return model == 0 ? gridValue : 1 / (gridValue * span);
  }

  private double sseAt(
      int model, double gridValue, double span, double[] t, double[] y, double[] w, int m, double target) {
    evaluate(model, parameter(model, gridValue, span), t, y, w, m, target);
    return evalSse;
  }

  /** Weighted least squares for y = a + b·x, x = t^-p (model 0) or e^(-p·t) (model 1). */
  private void evaluate(int model, double p, double[] t, double[] y, double[] w, int m, double target) {
    double sw = 0;
    double sx = 0;
    double sxx = 0;
    double sy = 0;
    double sxy = 0;
    double syy = 0;
    for (int k = 0; k < m; k++) {
      double x = model == 0 ? Math.exp(-p * logT[k]) : Math.exp(-p * t[k]);
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
    // Σw(y − a − bx)², from the sums; clamped at 0 against rounding.
    evalSse = Math.max(0, syy - 2 * a * sy - 2 * b * sxy + a * a * sw + 2 * a * b * sx + b * b * sxx);
    double xt = model == 0 ? Math.exp(-p * Math.log(target)) : Math.exp(-p * target);
    evalPrediction = a + b * xt;
    // Var(a + b·xt) / σ² = [1 xt] (XᵀWX)⁻¹ [1 xt]ᵀ.
    evalVariance = (sxx - 2 * xt * sx + xt * xt * sw) / det;
  }

  /** (1 + ρ)/(1 − ρ) for the residuals' lag-1 autocorrelation ρ when positive (ρ capped at 0.9). */
  private double residualInflation(double[] t, double[] y, int m, int model, double p) {
    boolean power = model == 0;
    // The unweighted fit: the residuals' order in time is what ρ measures.
    double sw = 0;
    double sx = 0;
    double sxx = 0;
    double sy = 0;
    double sxy = 0;
    for (int k = 0; k < m; k++) {
      double x = power ? Math.exp(-p * logT[k]) : Math.exp(-p * t[k]);
      sw += 1;
      sx += x;
      sxx += x * x;
      sy += y[k];
      sxy += x * y[k];
    }
    double det = sw * sxx - sx * sx;
    if (!(det > 0)) {
      return 1;
    }
    double b = (sw * sxy - sx * sy) / det;
    double a = (sy - b * sx) / sw;
    double num = 0;
    double den = 0;
    double previous = Double.NaN;
    for (int k = 0; k < m; k++) {
      double x = power ? Math.exp(-p * logT[k]) : Math.exp(-p * t[k]);
      double r = y[k] - a - b * x;
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
