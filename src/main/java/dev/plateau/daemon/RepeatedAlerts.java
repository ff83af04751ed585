package dev.plateau.daemon;

import dev.plateau.detect.Mode;
import dev.plateau.detect.Status;
import dev.plateau.detect.Verdict;
import dev.plateau.series.Series;
import dev.plateau.series.SeriesKey;
import dev.plateau.sink.AlertMemory;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Experiment-level hysteresis ({@code alerts.cooldown}): whether an experiment's change of status
 * is a repeat of the last message that went out for it, and so is recorded but not sent again.
 *
 * <p>A change is a repeat when all of these hold: it is to a status other than {@code training};
 * the last message announced the same status; that message went out less than the cooldown ago (by
 * the daemon's clock); and the best value did not improve on the one that message named by more
 * than the series' noise. So converged, a few points of training, converged again is one message; a
 * genuine new best, a different status (diverged after converged), or the same status after the
 * cooldown is news.
 *
 * <p>The noise is the deciding series' point-to-point noise: a robust standard deviation (the
 * median absolute deviation, scaled) of the differences between its last {@value #NOISE_POINTS}
 * kept points, divided by the square root of two; zero when fewer than four differences are known,
 * so that then any improvement counts.
 *
 * <p>Pure: time is passed in.
 */
final class RepeatedAlerts {
  /** Points of the deciding series the noise is measured on. */
  static final int NOISE_POINTS = 64;

  /** The MAD of a normal sample times this is its standard deviation. */
  private static final double MAD_TO_SIGMA = 1.4826;

  private final Duration cooldown;
  private final Function<SeriesKey, @Nullable Series> kept;

  /**
   * @param cooldown how long after a message the same status is not sent again without a better
   *     best; zero sends every change
   * @param kept the points kept of a series (null when none are), for its noise
   */
  RepeatedAlerts(Duration cooldown, Function<SeriesKey, @Nullable Series> kept) {
    if (cooldown.isNegative()) {
      throw new IllegalArgumentException("cooldown must not be negative: " + cooldown);
    }
    this.cooldown = cooldown;
    this.kept = kept;
  }

  /** Every change is sent. */
  static RepeatedAlerts none() {
    return new RepeatedAlerts(Duration.ZERO, key -> null);
  }

  Duration cooldown() {
    return cooldown;
  }

  /**
   * Whether a change to {@code status}, decided by {@code deciding}, repeats {@code last} at {@code
   * now}.
   *
   * @param last the last message that went out for the experiment, or null
   */
  boolean isRepeat(AlertMemory.@Nullable Sent last, Status status, Verdict deciding, Instant now) {
    if (cooldown.isZero() || last == null || status == Status.TRAINING || last.status() != status) {
      return false;
    }
    if (Duration.between(last.time(), now).compareTo(cooldown) >= 0) {
      return false;
    }
    double noise = noise(kept.apply(new SeriesKey(deciding.run(), deciding.tag())));
    return !improved(last, deciding, noise);
  }

  /** Whether {@code deciding}'s best beats the one {@code last} named by more than the noise. */
  static boolean improved(AlertMemory.Sent last, Verdict deciding, double noise) {
    double before = last.bestValue();
    double now = deciding.bestValue();
    if (Double.isNaN(now) || deciding.bestStep() == null) {
      return false;
    }
    if (Double.isNaN(before) || last.bestStep() == null) {
      return true;
    }
    if (deciding.bestStep().equals(last.bestStep())) {
      return false;
    }
    double gain = deciding.mode() == Mode.MAX ? now - before : before - now;
    return gain > Math.max(0, noise);
  }

  /**
   * A series' point-to-point noise from its last {@value #NOISE_POINTS} kept points (see the class
   * comment); zero when it cannot tell.
   */
  static double noise(@Nullable Series kept) {
    if (kept == null) {
      return 0;
    }
    int from = Math.max(0, kept.size() - NOISE_POINTS);
    double[] diffs = new double[Math.max(0, kept.size() - from - 1)];
    int n = 0;
    for (int i = from + 1; i < kept.size(); i++) {
      double d = kept.value(i) - kept.value(i - 1);
      if (Double.isFinite(d)) {
        diffs[n++] = d;
      }
    }
    if (n < 4) {
      return 0;
    }
    double[] d = Arrays.copyOf(diffs, n);
    double median = median(d);
    for (int i = 0; i < n; i++) {
      d[i] = Math.abs(d[i] - median);
    }
    return MAD_TO_SIGMA * median(d) / Math.sqrt(2);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}
