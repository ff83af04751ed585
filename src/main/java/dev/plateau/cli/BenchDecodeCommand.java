package dev.plateau.cli;

import dev.plateau.decode.ChecksumReader;
import dev.plateau.decode.DecodeLimits;
import dev.plateau.series.ScalarPoint;
import dev.plateau.tail.LogdirSource;
import dev.plateau.tail.LogdirTailer;
import dev.plateau.tail.PollStats;
import dev.plateau.tail.TailListener;
import dev.plateau.tail.TailProblem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code plateau bench decode}: decodes files as {@code dump} does, printing no points, and reports
 * the best of several passes (files in page cache after the first) as one JSON line, next to the
 * limit measured in the same passes over the same files: reading them in the same windows and
 * computing CRC32C over every byte ({@link ChecksumReader}), nothing else.
 */
@Command(
    name = "decode",
    mixinStandardHelpOptions = true,
    description = {
      "Decodes event files or logdirs as dump does, without printing points, and prints one JSON "
          + "line for the best of several passes: "
          + "{\"points\", \"bytes\", \"seconds\", \"points_per_s\", \"mb_per_s\", \"passes\", "
          + "\"limit_mb_per_s\", \"share_of_limit\"} (MB = 10^6 bytes). The limit is reading the "
          + "same files in the same windows and computing CRC32C over every byte, nothing else, "
          + "measured in the same passes; share_of_limit is mb_per_s / limit_mb_per_s. "
          + "PATH may be s3://BUCKET/PREFIX (fetched again at each pass; the limit covers local "
          + "files only)."
    })
final class BenchDecodeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Event files or logdirs.")
  List<Path> paths;

  @Option(
      names = "--passes",
      defaultValue = "5",
      description = "Passes over the files; the fastest counts (default: ${DEFAULT-VALUE}).")
  int passes;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    for (Path path : paths) {
      try {
        if (!LogdirLocation.of(path).exists()) {
          err.println("plateau bench decode: " + path + ": no such file or directory");
          return 2;
        }
      } catch (IllegalArgumentException e) {
        err.println("plateau bench decode: " + e.getMessage());
        return 2;
      }
    }
    if (passes < 1) {
      err.println("plateau bench decode: --passes must be at least 1, got " + passes);
      return 2;
    }
    long bestNanos = Long.MAX_VALUE;
    long bestLimitNanos = Long.MAX_VALUE;
    long points = 0;
    long bytes = 0;
    long limitBytes = 0;
    for (int pass = 0; pass < passes; pass++) {
      Counter counter = new Counter();
      List<Path> files = new ArrayList<>();
      long start = System.nanoTime();
      long passBytes = 0;
      for (Path path : paths) {
        try {
          LogdirSource source = LogdirLocation.of(path).open(DecodeLimits.DEFAULTS);
          PollStats stats = source.poll(counter);
          passBytes += stats.bytes();
          if (source instanceof LogdirTailer tailer) {
            tailer.files().forEach(file -> files.add(file.path()));
          }
        } catch (IOException e) {
          err.println("plateau bench decode: " + path + ": cannot read: " + e.getMessage());
          return 2;
        }
      }
      bestNanos = Math.min(bestNanos, System.nanoTime() - start);
      points = counter.points;
      bytes = passBytes;
      // The limit: the same files read the same way, with CRC32C over every byte and nothing else.
      long limitStart = System.nanoTime();
      long passLimitBytes = 0;
      for (Path file : files) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
          passLimitBytes += ChecksumReader.read(channel, DecodeLimits.DEFAULTS).bytes();
        } catch (IOException e) {
          err.println("plateau bench decode: " + file + ": cannot read: " + e.getMessage());
          return 2;
        }
      }
      bestLimitNanos = Math.min(bestLimitNanos, System.nanoTime() - limitStart);
      limitBytes = passLimitBytes;
    }
    double seconds = bestNanos / 1e9;
    double mbPerSecond = bytes / 1e6 / seconds;
    double limitMbPerSecond = limitBytes / 1e6 / (bestLimitNanos / 1e9);
    spec.commandLine()
        .getOut()
        .println(
            String.format(
                Locale.ROOT,
                "{\"points\": %d, \"bytes\": %d, \"seconds\": %.6f, \"points_per_s\": %.0f, "
                    + "\"mb_per_s\": %.1f, \"passes\": %d, \"limit_mb_per_s\": %.1f, "
                    + "\"share_of_limit\": %.4f}",
                points,
                bytes,
                seconds,
                points / seconds,
                mbPerSecond,
                passes,
                limitMbPerSecond,
                mbPerSecond / limitMbPerSecond));
    return 0;
  }

  /** Counts points; problems are not printed on every pass. */
  private static final class Counter implements TailListener {
    long points;

    @Override
    public void scalar(ScalarPoint point) {
      points++;
    }

    @Override
    public void problem(TailProblem problem) {}
  }
}
