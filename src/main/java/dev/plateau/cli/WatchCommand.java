package dev.plateau.cli;

import dev.plateau.config.ConfigException;
import dev.plateau.config.DurationText;
import dev.plateau.config.PlateauConfig;
import dev.plateau.daemon.Daemon;
import dev.plateau.server.BearerToken;
import dev.plateau.sink.AlertSink;
import dev.plateau.sink.SinkConfigException;
import dev.plateau.verdict.JudgeThreads;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code plateau watch}: the daemon. */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = {
      "Watches logdirs until stopped: reads every event file as it is written, judges every "
          + "watched series, writes flag files (CONVERGED, DIVERGED ...) and delivers each verdict "
          + "once to webhooks and Slack, across restarts.",
      "",
      "Secrets: PLATEAU_WEBHOOK_SECRET (Standard Webhooks signing secret, whsec_...), "
          + "PLATEAU_SLACK_WEBHOOK (Slack URL), PLATEAU_WEBHOOK_URLS (comma-separated), "
          + "PLATEAU_HTTP_TOKEN, each also as a file (PLATEAU_..._FILE), or the config file's "
          + "webhook and slack sections. They never appear in logs or messages.",
      "Durations: 500ms, 2s, 5m, 1h, 2d, together largest first (1m30s, 1h30m), ISO-8601 (PT1M30S), "
          + "or a number of seconds.",
      "Exit codes: 0 stopped by SIGTERM/SIGINT; 2 error at start-up (bad config, unusable state)."
    })
final class WatchCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(WatchCommand.class);

  /** How long the shutdown hook waits for the round in flight and the last commit. */
  private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(15);

  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "LOGDIR", description = "Logdirs to watch.")
  List<Path> logdirs;

  @Mixin ConfigOption config;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "Where the state database lives (default: .plateau beside the first logdir, else ~/.plateau).")
  Path stateDir;

  @Option(
      names = "--flag-dir",
      paramLabel = "DIR",
      description = "Write flag files here, mirroring the logdir's layout (for read-only logdirs).")
  Path flagDir;

  @Mixin SinkOptions sinkOptions;

  @Option(
      names = "--poll-interval",
      paramLabel = "DURATION",
      defaultValue = "2s",
      converter = DurationConverter.Interval.class,
      description = "How often files are checked for new data (default: ${DEFAULT-VALUE}).")
  DurationText pollInterval;

  @Option(
      names = "--park-after",
      paramLabel = "DURATION",
      defaultValue = "1m",
      converter = DurationConverter.IntervalOrOff.class,
      description =
          "Experiments without new points for this long leave memory until their next point (their verdicts stay published); 0 keeps all in memory (default: ${DEFAULT-VALUE}).")
  DurationText parkAfter;

  @Option(
      names = "--checkpoint-interval",
      paramLabel = "DURATION",
      defaultValue = "30s",
      converter = DurationConverter.IntervalOrOff.class,
      description =
          "Rounds without a verdict commit file positions and detector states at most this often; after a crash, the files are read again from the last commit (default: ${DEFAULT-VALUE}).")
  DurationText checkpointInterval;

  @Option(
      names = "--judge-threads",
      paramLabel = "N",
      description =
          "Threads that judge experiments at the same time when many have new points, as when reading a logdir's history at start (default: the available cores).")
  Integer judgeThreads;

  @Option(
      names = "--rebuild-state",
      description =
          "Move an unusable state database aside and rebuild the state from the event files.")
  boolean rebuildState;

  @Option(
      names = "--until-done",
      description =
          "Exit once every watched experiment can stop (converged, target reached, overfitting or diverged;"
              + " after the first scan), with check's exit codes: 0 all can stop, 3 some diverged. For CI and"
              + " batch jobs.")
  boolean untilDone;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.Interval.class,
      description =
          "Exit after this long (e.g. 30m) with check's exit code for the experiments then: 1 when some still"
              + " train. With or without --until-done.")
  DurationText timeout;

  @Option(
      names = "--poll-only",
      description =
          "Do not use file-change events (inotify); check files every poll interval only.")
  boolean pollOnly;

  @Mixin HttpOptions httpOptions;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    // SIGTERM and SIGINT ask the loop to stop; it commits its last round and the command returns
    // 0, also when the signal comes while starting up.
    DaemonControl control = new DaemonControl();
    StopSignals.install(control::requestStop);
    WatchSettings settings = settings(err);
    if (settings == null) {
      return 2;
    }
    JudgeThreads judgeOn;
    try {
      judgeOn =
          JudgeThreads.of(
              judgeThreads == null ? Runtime.getRuntime().availableProcessors() : judgeThreads);
    } catch (IllegalArgumentException e) {
      err.println("plateau watch: --judge-threads: " + e.getMessage());
      return 2;
    }
    Clock clock = Clock.systemUTC();
    long deadlineMillis = UntilDone.deadline(timeout, clock);
    AssembledDaemon assembled;
    try {
      assembled = DaemonAssembly.assemble(settings, judgeOn, control, clock);
    } catch (DaemonAssembly.StartFailed e) {
      err.println("plateau watch: " + e.getMessage());
      return 2;
    }
    try (assembled) {
      Daemon daemon = assembled.daemon();
      Runtime.getRuntime().addShutdownHook(shutdownHook(daemon));
      log.info(
          "watching {} with {} sink(s), polling every {} ms",
          logdirs,
          settings.sinks().size(),
          settings.pollInterval().toMillis());
      warnUnlessUtf8FileNames();
      UntilDone until =
          new UntilDone(
              daemon,
              settings.config().detection().stops(),
              untilDone,
              timeout,
              deadlineMillis,
              clock);
      if (until.ends()) {
        daemon.afterEachRound(until);
      }
      assembled.run();
      return until.exitCode();
    }
  }

  /**
   * The options checked and resolved: configuration, logdirs, sinks and token; on a problem, says
   * so on {@code err} (as {@code plateau watch: ...}) and returns null.
   */
  private WatchSettings settings(PrintWriter err) {
    PlateauConfig loaded;
    try {
      loaded = config.load();
    } catch (ConfigException e) {
      err.println("plateau watch: " + e.getMessage());
      return null;
    }
    List<Path> absolute = new ArrayList<>();
    for (Path logdir : logdirs) {
      if (!Files.isDirectory(logdir)) {
        err.println(
            "plateau watch: "
                + logdir
                + ": not a directory (it must exist; runs may appear later)");
        return null;
      }
      absolute.add(logdir.toAbsolutePath().normalize());
    }
    SecretSources secrets = new SecretSources(System.getenv());
    List<AlertSink> sinks;
    BearerToken token;
    try {
      sinks = sinkOptions.sinks(loaded.alerts(), secrets);
      token = httpOptions.token(secrets);
    } catch (SinkConfigException e) {
      err.println("plateau watch: " + e.getMessage());
      return null;
    }
    try {
      httpOptions.checkTensorBoardUrl();
    } catch (IllegalArgumentException e) {
      err.println("plateau watch: --tensorboard-url: " + e.getMessage());
      return null;
    }
    return new WatchSettings(
        absolute,
        loaded,
        sinks,
        new StateLocation(stateDir),
        rebuildState,
        flagDir,
        pollInterval.duration(),
        parkAfter.duration(),
        checkpointInterval.duration(),
        pollOnly,
        httpOptions.http,
        token,
        httpOptions.tensorBoardUrl);
  }

  /** Stops the daemon when the JVM is asked to exit other than by SIGTERM or SIGINT. */
  private static Thread shutdownHook(Daemon daemon) {
    return new Thread(
        () -> {
          log.info("stopping: finishing the round in flight and committing state");
          daemon.requestStop();
          try {
            if (!daemon.awaitStopped(SHUTDOWN_WAIT)) {
              log.warn("did not stop within 15 s; state up to the last committed round is kept");
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        },
        "plateau-shutdown");
  }

  private static void warnUnlessUtf8FileNames() {
    String names = System.getProperty("sun.jnu.encoding", "");
    if (!names.equalsIgnoreCase("UTF-8")) {
      log.warn(
          "file names are decoded as {} (the locale's charset), so runs whose names are not {} (such as"
              + " 'exp-é') cannot be read or flagged; start Plateau with a UTF-8 locale (LANG=C.UTF-8), as"
              + " the plateau launcher and the image do",
          names,
          names);
    }
  }
}
