package dev.plateau.cli;

import dev.plateau.config.ConfigException;
import dev.plateau.config.DaemonConfig;
import dev.plateau.config.DurationText;
import dev.plateau.config.PlateauConfig;
import dev.plateau.daemon.Daemon;
import dev.plateau.server.BearerToken;
import dev.plateau.server.StatusServer;
import dev.plateau.sink.AlertSink;
import dev.plateau.sink.SinkConfigException;
import dev.plateau.verdict.JudgeThreads;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
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
          + "once to webhooks, Slack and hooks (commands, --on-verdict), across restarts.",
      "",
      "Every option but --config, --rebuild-state, --until-done and --timeout is a setting with "
          + "a configuration key and a variable (PLATEAU_ and the key in upper case, '.' as '_', "
          + "e.g. PLATEAU_DAEMON_POLL_INTERVAL); option over variable over file over default. "
          + "plateau config --print shows each with where it came from.",
      "Secrets: PLATEAU_WEBHOOK_SECRET (Standard Webhooks signing secret, whsec_...), "
          + "PLATEAU_SLACK_URL (Slack URL), PLATEAU_WEBHOOK_URLS (comma-separated), "
          + "PLATEAU_HTTP_TOKEN, each also as a file (PLATEAU_..._FILE), or the config file's "
          + "webhook, slack and http sections. They never appear in logs or messages.",
      "Durations: 500ms, 2s, 5m, 1h, 2d, together largest first (1m30s, 1h30m), ISO-8601 (PT1M30S), "
          + "or a number of seconds.",
      "Signals: SIGTERM, SIGINT and SIGHUP stop it after committing its state (exit 0); the "
          + "configuration is not reloaded: restart to apply a new one.",
      "Exit codes: 0 stopped by a signal; 2 error at start-up (bad config, unusable state, HTTP "
          + "address in use)."
    })
final class WatchCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(WatchCommand.class);

  /** How long the shutdown hook waits for the round in flight and the last commit. */
  private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(15);

  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "LOGDIR", description = "Logdirs to watch.")
  List<Path> logdirs;

  @Mixin ConfigOption config;

  @Mixin DaemonOptions daemonOptions;

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
    int threads = settings.config().daemon().judgeThreads();
    JudgeThreads judgeOn;
    try {
      judgeOn =
          JudgeThreads.of(threads == 0 ? Runtime.getRuntime().availableProcessors() : threads);
    } catch (IllegalArgumentException e) {
      err.println("plateau watch: daemon.judge_threads: " + e.getMessage());
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
      loaded = config.load(GivenOptions.of(spec));
    } catch (ConfigException e) {
      err.println("plateau watch: " + e.getMessage());
      return null;
    }
    ObjectStoreAccess.configure(loaded.objectStore());
    List<Path> absolute = new ArrayList<>();
    for (Path logdir : logdirs) {
      LogdirLocation location;
      try {
        location = LogdirLocation.of(logdir);
      } catch (IllegalArgumentException e) {
        err.println("plateau watch: " + e.getMessage());
        return null;
      }
      if (location instanceof LogdirLocation.InObjectStore) {
        absolute.add(logdir); // checked at start: the bucket is listed once before the first round
        continue;
      }
      if (!Files.isDirectory(logdir)) {
        err.println(
            "plateau watch: "
                + logdir
                + ": not a directory (it must exist; runs may appear later)");
        return null;
      }
      absolute.add(logdir.toAbsolutePath().normalize());
    }
    HttpBinding http;
    try {
      http = new HttpBinding.Converter().convert(loaded.http().address());
    } catch (OptionValueException e) {
      err.println("plateau watch: http.address: " + e.getMessage());
      return null;
    }
    SecretSources secrets = new SecretSources(System.getenv());
    List<AlertSink> sinks;
    BearerToken token;
    try {
      sinks = new ArrayList<>(daemonOptions.sinks.sinks(loaded.alerts(), secrets));
      sinks.addAll(
          daemonOptions.sinks.hooks(loaded.hooks(), loaded.detection().stops(), System.getenv()));
      token = daemonOptions.http.token(http, loaded.http(), secrets);
    } catch (SinkConfigException e) {
      err.println("plateau watch: " + e.getMessage());
      return null;
    }
    DaemonConfig daemon = loaded.daemon();
    URI tensorBoard;
    try {
      String url = loaded.http().tensorboardUrl();
      tensorBoard = url == null || url.isBlank() ? null : new URI(url.strip());
      StatusServer.checkTensorBoardUrl(tensorBoard);
    } catch (URISyntaxException | IllegalArgumentException e) {
      err.println("plateau watch: http.tensorboard_url (--tensorboard-url): " + e.getMessage());
      return null;
    }
    return new WatchSettings(
        absolute,
        loaded,
        sinks,
        new StateLocation(daemon.stateDir() == null ? null : Path.of(daemon.stateDir())),
        rebuildState,
        daemon.pollInterval(),
        daemon.parkAfter(),
        daemon.checkpointInterval(),
        daemon.pollOnly(),
        http,
        token,
        tensorBoard);
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
