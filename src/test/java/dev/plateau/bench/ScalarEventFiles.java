package dev.plateau.bench;

import dev.plateau.proto.DataType;
import dev.plateau.write.EventFileWriter;
import dev.plateau.write.TensorStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes scalar-only event files with the project's own writer, for the decode benchmarks: a
 * training loop that logs a few tags every step, one event per value, as PyTorch's SummaryWriter
 * ({@code simple_value}) or TensorFlow 2 (float32 scalar tensors in {@code tensor_content}, the
 * plugin metadata on each tag's first value) do.
 *
 * <p>{@code main} writes one file: {@code ScalarEventFiles DIR MEGABYTES [simple_value|tensor]}.
 */
public final class ScalarEventFiles {
  /** The tags logged every step, in this order. */
  static final String[] TAGS = {"train/loss", "train/accuracy", "val/loss", "learning_rate"};

  private ScalarEventFiles() {}

  /** How the values are stored. */
  public enum Kind {
    /** {@code Summary.Value.simple_value}: PyTorch, tensorboardX, TF1. */
    SIMPLE_VALUE,
    /** A float32 scalar tensor in {@code tensor_content}: TF2 and Keras. */
    TENSOR
  }

  /** What was written. */
  public record Written(Path file, long bytes, long points) {}

  /**
   * Writes an event file of at least {@code minBytes} bytes into {@code dir} (created if needed),
   * {@link #TAGS} at every step, and returns it.
   */
  public static Written write(Path dir, long minBytes, Kind kind) throws IOException {
    double start = 1.7e9;
    long points = 0;
    Path file;
    try (EventFileWriter writer = EventFileWriter.create(dir, start, "bench", 0)) {
      long bytes = 0;
      long step = 0;
      while (bytes < minBytes) {
        double wallTime = start + step * 0.01;
        // A loss that decays with noise, an accuracy that rises, a stepped learning rate.
        double progress = step / 1e6;
        double noise = Math.sin(step * 12.9898) * 0.01;
        double[] values = {
          Math.exp(-progress) + noise,
          1 - Math.exp(-progress) / 2 + noise,
          Math.exp(-progress) + 0.1 + noise,
          1e-3 / (1 + step / 250_000)
        };
        for (int t = 0; t < TAGS.length; t++) {
          if (kind == Kind.SIMPLE_VALUE) {
            writer.simpleValue(TAGS[t], step, wallTime, (float) values[t]);
          } else {
            writer.tensorScalar(
                TAGS[t],
                step,
                wallTime,
                DataType.DT_FLOAT,
                TensorStorage.TENSOR_CONTENT,
                values[t]);
          }
          points++;
        }
        step++;
        if (step % 1024 == 0) {
          writer.flush();
          bytes = sizeOf(dir);
        }
      }
      writer.flush();
    }
    try (var files = Files.list(dir)) {
      file =
          files
              .filter(f -> f.getFileName().toString().contains("tfevents"))
              .findFirst()
              .orElseThrow();
    }
    return new Written(file, Files.size(file), points);
  }

  private static long sizeOf(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      long total = 0;
      for (Path f : (Iterable<Path>) files::iterator) {
        total += Files.size(f);
      }
      return total;
    }
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: ScalarEventFiles DIR MEGABYTES [simple_value|tensor]");
      System.exit(2);
    }
    Kind kind =
        args.length > 2 ? Kind.valueOf(args[2].toUpperCase(Locale.ROOT)) : Kind.SIMPLE_VALUE;
    Written written = write(Path.of(args[0]), Long.parseLong(args[1]) * 1_000_000L, kind);
    System.out.printf(
        Locale.ROOT,
        "%s: %d bytes, %d points%n",
        written.file(),
        written.bytes(),
        written.points());
  }
}
