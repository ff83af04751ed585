package dev.plateau.testing;

import dev.plateau.write.EventFileWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

/**
 * A real training job with a step schedule, written as event files by the project's writer: a
 * linear regression (20 features whose scales spread from 0.1 to 2, so the curve has fast and slow
 * directions) trained by minibatch SGD under PyTorch's MultiStepLR (learning rate 0.05, times 0.1
 * at each milestone). At a constant rate SGD settles at a noise floor that grows with the rate, so
 * each phase looks converged and the next one improves again: the false stop a schedule makes.
 *
 * <p>Logged as a Lightning job logs it, one point per epoch of {@value #STEPS_PER_EPOCH} SGD steps:
 * {@code lr-SGD} at the epoch's first step (LearningRateMonitor), {@code train_loss} (the mean
 * minibatch loss) and {@code val_loss} (on 2,000 held-out examples) at its last step. Seeded: the
 * same files every time.
 */
public final class StepScheduleTraining {
  public static final int STEPS_PER_EPOCH = 25;
  public static final int FEATURES = 20;
  public static final int BATCH = 4;
  public static final double LEARNING_RATE = 0.05;
  public static final double GAMMA = 0.1;

  private StepScheduleTraining() {}

  /** The learning rate of {@code epoch} under MultiStepLR with these milestones. */
  public static double learningRate(int epoch, int... milestones) {
    double lr = LEARNING_RATE;
    for (int m : milestones) {
      if (epoch >= m) {
        lr *= GAMMA;
      }
    }
    return lr;
  }

  /**
   * Trains for {@code epochs} epochs and writes run {@code dir}; returns the validation losses.
   *
   * @param withLearningRate whether the job logs its learning rate (a job that does not is judged
   *     as before)
   */
  public static double[] write(
      Path dir, long seed, int epochs, boolean withLearningRate, int... milestones)
      throws IOException {
    Random random = new Random(seed);
    double[] scale = new double[FEATURES];
    for (int i = 0; i < FEATURES; i++) {
      scale[i] = 0.1 * Math.pow(20, i / (FEATURES - 1.0)); // sqrt of eigenvalues 0.01 .. 4
    }
    double[] truth = new double[FEATURES];
    java.util.Arrays.fill(truth, 1.0);
    double[][] valX = new double[2000][FEATURES];
    double[] valY = new double[2000];
    for (int k = 0; k < valY.length; k++) {
      valY[k] = example(random, scale, truth, valX[k]);
    }
    double[] w = new double[FEATURES];
    double[] x = new double[FEATURES];
    double[] gradient = new double[FEATURES];
    double[] losses = new double[epochs];
    double t0 = 1.7e9;
    try (EventFileWriter out = EventFileWriter.create(dir, t0, "sgd", 0)) {
      for (int epoch = 0; epoch < epochs; epoch++) {
        double lr = learningRate(epoch, milestones);
        long first = (long) epoch * STEPS_PER_EPOCH;
        if (withLearningRate) {
          out.simpleValue("lr-SGD", first, t0 + first, (float) lr);
        }
        double trainLoss = 0;
        for (int s = 0; s < STEPS_PER_EPOCH; s++) {
          java.util.Arrays.fill(gradient, 0);
          double batchLoss = 0;
          for (int b = 0; b < BATCH; b++) {
            double y = example(random, scale, truth, x);
            double error = dot(x, w) - y;
            batchLoss += 0.5 * error * error;
            for (int i = 0; i < FEATURES; i++) {
              gradient[i] += error * x[i] / BATCH;
            }
          }
          for (int i = 0; i < FEATURES; i++) {
            w[i] -= lr * gradient[i];
          }
          trainLoss += batchLoss / BATCH;
        }
        double valLoss = 0;
        for (int k = 0; k < valY.length; k++) {
          double error = dot(valX[k], w) - valY[k];
          valLoss += 0.5 * error * error;
        }
        valLoss /= valY.length;
        losses[epoch] = valLoss;
        long last = first + STEPS_PER_EPOCH - 1;
        out.simpleValue("train_loss", last, t0 + last + 0.5, (float) (trainLoss / STEPS_PER_EPOCH));
        out.simpleValue("val_loss", last, t0 + last + 0.6, (float) valLoss);
      }
    }
    return losses;
  }

  private static double example(Random random, double[] scale, double[] truth, double[] x) {
    double y = 0;
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextGaussian() * scale[i];
      y += x[i] * truth[i];
    }
    return y + random.nextGaussian();
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
