package dev.plateau.cli;

import dev.plateau.detect.Status;
import dev.plateau.proto.DataType;
import dev.plateau.write.EventFileWriter;
import dev.plateau.write.TensorStorage;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The simulated training job of {@code plateau demo}: three experiments written epoch by epoch as
 * real event files, each with the curve shape that makes the default detectors say one thing.
 *
 * <ul>
 *   <li>{@code demo/converging/{train,validation}} (Keras layout, tensor scalars {@code epoch_loss}
 *       and {@code epoch_accuracy}): both decay exponentially (time constant 9 epochs) to a level
 *       and stay there, with a little noise: {@code converged}.
 *   <li>{@code demo/overfitting/{train,validation}}: training keeps improving to the end;
 *       validation bottoms out near epoch 44 and then worsens steadily (loss up, accuracy down) by
 *       far more than its noise and than 5% of its range: {@code overfitting}.
 *   <li>{@code demo/diverging} (PyTorch style, {@code simple_value} {@code loss} and an unwatched
 *       {@code lr}): the loss falls, then blows up by 1.6x an epoch from epoch 20, reaches Infinity
 *       at epoch 40 and NaN after; the job then stops writing (it crashed): {@code diverged}.
 * </ul>
 *
 * <p>The noise comes from {@code seed}, so a seed always writes the same values. The margins are
 * wide on purpose: every seed reaches the three statuses (DemoCurvesTest checks many).
 */
final class DemoJob implements Closeable {
  /** Epochs every experiment is written for (the diverging one stops earlier). */
  static final int EPOCHS = 120;

  /** The last epoch the diverging job writes: a few NaN after the Infinity, then it "crashed". */
  static final int DIVERGING_LAST_EPOCH = 44;

  /** The epoch from which the diverging loss grows (by 1.6x an epoch). */
  static final int BLOW_UP_EPOCH = 20;

  /** The epoch at which the diverging loss is +Infinity (NaN after). */
  static final int INFINITY_EPOCH = 40;

  /** An experiment of the demo and the status it is written to reach. */
  record Expected(String experiment, Status status) {}

  static final List<Expected> EXPECTED =
      List.of(
          new Expected("demo/converging", Status.CONVERGED),
          new Expected("demo/overfitting", Status.OVERFITTING),
          new Expected("demo/diverging", Status.DIVERGED));

  private static final String HOST = "plateau-demo";

  private final List<EventFileWriter> open = new ArrayList<>();
  private final EventFileWriter convergingTrain;
  private final EventFileWriter convergingValidation;
  private final EventFileWriter overfittingTrain;
  private final EventFileWriter overfittingValidation;
  private final EventFileWriter diverging;
  private final Random[] noise = new Random[5];
  private double divergingLoss = Double.NaN;

  /** Creates the five runs' event files under {@code logdir}, stamped {@code wallTime}. */
  DemoJob(Path logdir, long seed, double wallTime) throws IOException {
    for (int i = 0; i < noise.length; i++) {
      noise[i] = new Random(seed * 1_000_003L + i);
    }
    try {
      convergingTrain = create(logdir.resolve("demo/converging/train"), wallTime);
      convergingValidation = create(logdir.resolve("demo/converging/validation"), wallTime);
      overfittingTrain = create(logdir.resolve("demo/overfitting/train"), wallTime);
      overfittingValidation = create(logdir.resolve("demo/overfitting/validation"), wallTime);
      diverging = create(logdir.resolve("demo/diverging"), wallTime);
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  private EventFileWriter create(Path dir, double wallTime) throws IOException {
    EventFileWriter w = EventFileWriter.create(dir, wallTime, HOST, 0);
    open.add(w);
    return w;
  }

  /** Writes every experiment's points of {@code epoch} (0-based; step = epoch) and flushes them. */
  void writeEpoch(int epoch, double wallTime) throws IOException {
    double decay = Math.exp(-epoch / 12.0);
    double fast = Math.exp(-epoch / 9.0);
    double late = Math.max(0, epoch - 40);

    keras(
        convergingTrain,
        epoch,
        wallTime,
        0.22 + 2.0 * fast + 0.004 * gauss(0),
        0.95 - 0.85 * fast + 0.002 * gauss(0));
    keras(
        convergingValidation,
        epoch,
        wallTime,
        0.30 + 1.9 * fast + 0.006 * gauss(1),
        0.92 - 0.82 * fast + 0.003 * gauss(1));

    keras(
        overfittingTrain,
        epoch,
        wallTime,
        0.45 + 1.9 * decay - 0.0025 * epoch + 0.004 * gauss(2),
        0.80 - 0.70 * decay + 0.0012 * epoch + 0.002 * gauss(2));
    keras(
        overfittingValidation,
        epoch,
        wallTime,
        0.50 + 1.8 * decay + 0.005 * late + 0.006 * gauss(3),
        0.84 - 0.74 * decay - 0.0018 * late + 0.003 * gauss(3));

    if (epoch <= DIVERGING_LAST_EPOCH) {
      double loss;
      if (epoch < BLOW_UP_EPOCH) {
        loss = 0.6 + 2.0 * Math.exp(-epoch / 15.0) + 0.01 * gauss(4);
      } else if (epoch < INFINITY_EPOCH) {
        loss = divergingLoss * 1.6;
      } else if (epoch == INFINITY_EPOCH) {
        loss = Double.POSITIVE_INFINITY;
      } else {
        loss = Double.NaN;
      }
      divergingLoss = loss;
      diverging.simpleValue("lr", epoch, wallTime, 0.5f);
      diverging.simpleValue("loss", epoch, wallTime, (float) loss);
      diverging.flush();
    }
  }

  private static void keras(
      EventFileWriter w, int epoch, double wallTime, double loss, double accuracy)
      throws IOException {
    w.tensorScalar(
        "epoch_loss", epoch, wallTime, DataType.DT_FLOAT, TensorStorage.TENSOR_CONTENT, loss);
    w.tensorScalar(
        "epoch_accuracy",
        epoch,
        wallTime,
        DataType.DT_FLOAT,
        TensorStorage.TENSOR_CONTENT,
        accuracy);
    w.flush();
  }

  private double gauss(int run) {
    return noise[run].nextGaussian();
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (EventFileWriter w : open) {
      try {
        w.close();
      } catch (IOException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
