package dev.plateau.cli;

import dev.plateau.config.DurationText;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of {@code watch} that are settings, shared by {@code config} so that {@code config
 * --print} shows what {@code watch} would run with. Each is also a configuration key and a variable
 * ({@link dev.plateau.config.Settings}); the values are read through the configuration ({@link
 * GivenOptions}), so an option not given leaves the variable, the file or the default to decide.
 * The converters check what is written at once, as picocli reports it.
 */
final class DaemonOptions {
  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "Where the state database lives (state.dir; default: .plateau beside the first logdir, else ~/.plateau).")
  Path stateDir;

  @Option(
      names = "--flag-dir",
      paramLabel = "DIR",
      description =
          "Write flag files here, mirroring the logdir's layout (flags.dir; for read-only logdirs).")
  Path flagDir;

  @Option(
      names = "--poll-interval",
      paramLabel = "DURATION",
      converter = DurationConverter.Interval.class,
      description = "How often files are checked for new data (daemon.poll_interval; default: 2s).")
  DurationText pollInterval;

  @Option(
      names = "--park-after",
      paramLabel = "DURATION",
      converter = DurationConverter.IntervalOrOff.class,
      description =
          "Experiments without new points for this long leave memory until their next point (their verdicts stay published); 0 keeps all in memory (daemon.park_after; default: 1m).")
  DurationText parkAfter;

  @Option(
      names = "--checkpoint-interval",
      paramLabel = "DURATION",
      converter = DurationConverter.IntervalOrOff.class,
      description =
          "Rounds without a verdict commit file positions and detector states at most this often; after a crash, the files are read again from the last commit (daemon.checkpoint_interval; default: 30s).")
  DurationText checkpointInterval;

  @Option(
      names = "--judge-threads",
      paramLabel = "N",
      converter = JudgeThreadsText.class,
      description =
          "Threads that judge experiments at the same time when many have new points, as when reading a logdir's history at start (daemon.judge_threads; default: auto, the available cores).")
  String judgeThreads;

  @Option(
      names = "--poll-only",
      description =
          "Do not use file-change events (inotify); check files every poll interval only (daemon.poll_only).")
  boolean pollOnly;

  @Option(
      names = "--log-level",
      paramLabel = "LEVEL",
      description = "TRACE, DEBUG, INFO, WARN, ERROR or OFF (log.level; default: INFO).")
  String logLevel;

  @Option(
      names = "--log-format",
      paramLabel = "text|json",
      description =
          "Log lines as readable text or as JSON objects, on standard error (log.format; default: text).")
  String logFormat;

  @Mixin SinkOptions sinks;

  @Mixin HttpOptions http;

  /** {@code --judge-threads}: a whole number or {@code auto}, checked as it is read. */
  static final class JudgeThreadsText implements picocli.CommandLine.ITypeConverter<String> {
    @Override
    public String convert(String value) {
      if (value.strip().equalsIgnoreCase("auto")) {
        return value;
      }
      try {
        Integer.parseInt(value.strip());
        return value;
      } catch (NumberFormatException e) {
        throw new OptionValueException("'" + value + "' is not a whole number or auto");
      }
    }
  }
}
