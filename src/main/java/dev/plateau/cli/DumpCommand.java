package dev.plateau.cli;

import dev.plateau.decode.DecodeLimits;
import dev.plateau.format.PointFormat;
import dev.plateau.match.Glob;
import dev.plateau.series.RunSeries;
import dev.plateau.series.ScalarPoint;
import dev.plateau.series.Series;
import dev.plateau.tail.PollStats;
import dev.plateau.tail.TailListener;
import dev.plateau.tail.TailProblem;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code plateau dump}: decodes event files or logdirs once and prints their scalar points. */
@Command(
    name = "dump",
    mixinStandardHelpOptions = true,
    description = {
      "Decodes event files or whole logdirs once and prints every scalar point.",
      "",
      "By default every point as stored: file by file (by name within a run), record by record. "
          + "With --series: the series Plateau keeps for detection (restart rule applied), "
          + "in step order. 'run' is the run's directory relative to the PATH given "
          + "('.' for PATH itself).",
      "",
      "Exit codes: 0 all read; 1 corrupt or undecodable records were skipped (reported on "
          + "stderr, everything else printed); 2 a PATH is missing or unreadable, or an argument "
          + "is wrong."
    })
final class DumpCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @ParentCommand Main main;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Event files or logdirs.")
  List<Path> paths;

  @Option(
      names = "--format",
      paramLabel = "jsonl|csv",
      defaultValue = "jsonl",
      description = "Output format (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(
      names = "--tag",
      paramLabel = "GLOB",
      description = "Only tags matching GLOB ('*' matches '/' too); repeatable, any may match.")
  List<String> tagGlobs = new ArrayList<>();

  @Option(names = "--series", description = "Print the series as kept for detection.")
  boolean series;

  @Option(
      names = "--max-record-length",
      paramLabel = "BYTES",
      defaultValue = "67108864",
      description = "Records longer than this are corrupt (default: ${DEFAULT-VALUE}, 64 MiB).")
  int maxRecordLength;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    PointFormat pointFormat;
    List<Glob> globs = new ArrayList<>();
    DecodeLimits limits;
    try {
      pointFormat = PointFormat.named(format);
      for (String glob : tagGlobs) {
        globs.add(Glob.compile(glob));
      }
      limits = DecodeLimits.DEFAULTS.withMaxRecordLength(maxRecordLength);
    } catch (IllegalArgumentException e) {
      err.println("plateau dump: " + e.getMessage());
      return 2;
    }
    Writer out =
        new BufferedWriter(new OutputStreamWriter(main.stdout(), StandardCharsets.UTF_8), 1 << 16);
    int exit = 0;
    pointFormat.begin(out);
    for (Path path : paths) {
      LogdirLocation location;
      try {
        location = LogdirLocation.of(path);
      } catch (IllegalArgumentException e) {
        err.println("plateau dump: " + e.getMessage());
        exit = 2;
        continue;
      }
      if (!location.exists()) {
        err.println("plateau dump: " + path + ": no such file or directory");
        exit = 2;
        continue;
      }
      Collector collector = new Collector(out, pointFormat, globs, series, err);
      PollStats stats;
      try {
        stats = location.open(limits).poll(collector);
        if (series) {
          collector.printSeries();
        }
      } catch (OutputFailed e) {
        return exit; // standard output was closed (e.g. piped into head): nothing more to do
      } catch (IOException e) {
        err.println("plateau dump: " + path + ": cannot read: " + e.getMessage());
        exit = 2;
        continue;
      }
      if (stats.files() == 0) {
        err.println("plateau dump: " + path + ": no event files (names containing 'tfevents')");
      }
      if (collector.unreadable) {
        exit = 2;
      } else if (collector.skipped && exit == 0) {
        exit = 1;
      }
      if (!flushed(out)) {
        return exit;
      }
    }
    flushed(out);
    return exit;
  }

  /** Flushes standard output; false when it is closed (piped into head, say): stop quietly. */
  private static boolean flushed(Writer out) {
    try {
      out.flush();
      return true;
    } catch (IOException closed) {
      return false;
    }
  }

  /** Prints points as they are read, or collects them into series. */
  private static final class Collector implements TailListener {
    private final Writer out;
    private final PointFormat format;
    private final List<Glob> globs;
    private final boolean series;
    private final PrintWriter err;
    private final Map<String, RunSeries> runs = new TreeMap<>();
    boolean unreadable;
    boolean skipped;

    Collector(Writer out, PointFormat format, List<Glob> globs, boolean series, PrintWriter err) {
      this.out = out;
      this.format = format;
      this.globs = globs;
      this.series = series;
      this.err = err;
    }

    @Override
    public void scalar(ScalarPoint point) {
      if (!selected(point.tag())) {
        return;
      }
      if (series) {
        runs.computeIfAbsent(point.run(), RunSeries::new).add(point);
        return;
      }
      try {
        format.point(out, point);
      } catch (IOException e) {
        throw new OutputFailed(e);
      }
    }

    @Override
    public void sessionStart(String run, String file, long step) {
      if (series) {
        runs.computeIfAbsent(run, RunSeries::new).sessionStart(step);
      }
    }

    @Override
    public void incompleteTail(String run, String file, long offset, long available) {
      err.println(
          "plateau dump: "
              + run
              + "/"
              + file
              + ": ends with "
              + available
              + " bytes of an incomplete record at offset "
              + offset
              + " (still being written, or cut short)");
    }

    @Override
    public void problem(TailProblem problem) {
      err.println("plateau dump: " + problem.message());
      switch (problem.kind()) {
        case UNREADABLE -> unreadable = true;
        case CORRUPT_RECORD, UNDECODABLE_EVENT -> skipped = true;
        default -> {}
      }
    }

    void printSeries() {
      for (RunSeries run : runs.values()) {
        for (Map.Entry<String, Series> entry : run.byTag().entrySet()) {
          Series s = entry.getValue();
          for (int i = 0; i < s.size(); i++) {
            ScalarPoint point =
                new ScalarPoint(
                    run.run(),
                    run.fileOf(s, i),
                    entry.getKey(),
                    s.step(i),
                    s.wallTime(i),
                    s.value(i));
            try {
              format.point(out, point);
            } catch (IOException e) {
              throw new OutputFailed(e);
            }
          }
        }
      }
    }

    private boolean selected(String tag) {
      if (globs.isEmpty()) {
        return true;
      }
      for (Glob glob : globs) {
        if (glob.matches(tag)) {
          return true;
        }
      }
      return false;
    }
  }

  /** Writing to stdout failed (a closed pipe): stop quietly. */
  private static final class OutputFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OutputFailed(IOException cause) {
      super(cause);
    }
  }
}
