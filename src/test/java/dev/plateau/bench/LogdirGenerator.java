package dev.plateau.bench;

import dev.plateau.write.EventFileWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes benchmark logdirs with the project's event writer: {@code runs} runs, each one event file
 * of scalar {@code simple_value} events (one value per event, as PyTorch's and Keras' writers emit
 * them), until the logdir holds about {@code totalBytes}. Curves are noisy power-law decays that
 * level off, so the detectors do the work they do on real training.
 *
 * <p>Usage: {@code LogdirGenerator DIR RUNS TOTAL_BYTES [TAGS]}; tags are drawn from {@link #TAGS}.
 */
public final class LogdirGenerator {
  /** Tag names as a typical training loop writes them; the first four are watched by default. */
  public static final List<String> TAGS =
      List.of(
          "loss",
          "val_loss",
          "accuracy",
          "val_accuracy",
          "learning_rate",
          "grad_norm",
          "throughput",
          "gpu_memory",
          "epoch_time",
          "weight_norm",
          "param_norm",
          "momentum",
          "batch_size",
          "tokens_seen",
          "samples_per_s",
          "data_time",
          "step_time",
          "ema_decay",
          "loss_scale",
          "clip_fraction");

  /** Bytes of one framed simple_value event with a short tag, near enough for sizing. */
  private static final int EVENT_BYTES = 47;

  private LogdirGenerator() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    int runs = Integer.parseInt(args[1]);
    long total = Long.parseLong(args[2]);
    int tags = args.length > 3 ? Integer.parseInt(args[3]) : 4;
    long written = write(dir, runs, total, tags, 1);
    System.out.println(dir + ": " + runs + " runs, " + written + " bytes");
  }

  /**
   * Writes the logdir; returns the bytes written. Each run gets {@code total / runs} bytes, split
   * evenly over its tags, with wall times one second apart ending now.
   */
  public static long write(Path dir, int runs, long total, int tags, long seed) throws IOException {
    if (Files.isDirectory(dir)) {
      try (var entries = Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          // Runs left from an earlier write would be read too, and every figure would be off.
          throw new IllegalArgumentException(
              dir + " is not empty: the generator writes into a new directory");
        }
      }
    }
    long perRun = Math.max(1, total / runs);
    long steps = Math.max(1, perRun / ((long) EVENT_BYTES * tags));
    double now = System.currentTimeMillis() / 1000.0;
    double start = now - steps;
    long bytes = 0;
    for (int r = 0; r < runs; r++) {
      Path runDir = dir.resolve(String.format("run-%05d", r));
      SplittableRandom random = new SplittableRandom(seed * 1_000_003L + r);
      double floor = 0.1 + random.nextDouble() * 0.5;
      double scale = 1 + random.nextDouble() * 2;
      double noise = 0.01 + random.nextDouble() * 0.05;
      try (EventFileWriter writer = EventFileWriter.create(runDir, start, "bench", 0)) {
        for (long step = 0; step < steps; step++) {
          double level = floor + scale / Math.sqrt(1 + step / 10.0);
          for (int t = 0; t < tags; t++) {
            double value =
                TAGS.get(t % TAGS.size()).contains("acc")
                    ? 1 - level / (floor + scale) + noise * random.nextGaussian()
                    : level * (1 + noise * random.nextGaussian());
            writer.simpleValue(TAGS.get(t % TAGS.size()), step, start + step, (float) value);
          }
        }
      }
      try (var files = Files.list(runDir)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          bytes += Files.size(f);
        }
      }
    }
    return bytes;
  }
}
