package dev.plateau.cli;

import dev.plateau.config.AlertsConfig;
import dev.plateau.config.ConfigException;
import dev.plateau.config.DurationText;
import dev.plateau.config.PlateauConfig;
import dev.plateau.daemon.Daemon;
import dev.plateau.daemon.DeliveryWorker;
import dev.plateau.daemon.FlagApplier;
import dev.plateau.daemon.Watcher;
import dev.plateau.detect.StopPolicy;
import dev.plateau.sink.AlertSink;
import dev.plateau.sink.FlagConfig;
import dev.plateau.sink.FlagSink;
import dev.plateau.sink.RetryPolicy;
import dev.plateau.sink.Secret;
import dev.plateau.sink.SinkConfigException;
import dev.plateau.sink.SinkSettings;
import dev.plateau.sink.SlackSink;
import dev.plateau.sink.StatusFilter;
import dev.plateau.sink.WebhookSink;
import dev.plateau.state.StateException;
import dev.plateau.state.StateStore;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
      "Exit codes: 0 stopped by SIGTERM/SIGINT; 2 error at start-up (bad config, unusable state)."
    })
final class WatchCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(WatchCommand.class);

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "LOGDIR", description = "Logdirs to watch.")
  List<Path> logdirs;

  @Mixin ConfigOption config;

  @Option(names = "--state-dir", paramLabel = "DIR", description = "Where the state database lives (default: .plateau beside the first logdir, else ~/.plateau).")
  Path stateDir;

  @Option(names = "--flag-dir", paramLabel = "DIR", description = "Write flag files here, mirroring the logdir's layout (for read-only logdirs).")
  Path flagDir;

  @Option(names = "--webhook", paramLabel = "URL", description = "POST each verdict here (Standard Webhooks); repeatable. Visible in the process list: prefer webhook.urls_file or PLATEAU_WEBHOOK_URLS_FILE.")
  List<String> webhooks = new ArrayList<>();

  @Option(names = "--webhook-secret-file", paramLabel = "FILE", description = "File holding the signing secret (whsec_...).")
  Path webhookSecretFile;

  @Option(names = "--slack-webhook", paramLabel = "URL", description = "Slack incoming-webhook URL. Visible in the process list: prefer slack.url_file or PLATEAU_SLACK_URL_FILE.")
  String slackWebhook;

  @Option(names = "--poll-interval", paramLabel = "DURATION", defaultValue = "2s", converter = DurationConverter.Interval.class, description = "How often files are checked for new data (default: ${DEFAULT-VALUE}).")
  DurationText pollInterval;

  @Option(names = "--park-after", paramLabel = "DURATION", defaultValue = "1m", converter = DurationConverter.IntervalOrOff.class, description = "Experiments without new points for this long leave memory until their next point (their verdicts stay published); 0 keeps all in memory (default: ${DEFAULT-VALUE}).")
  DurationText parkAfter;

  @Option(names = "--checkpoint-interval", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.IntervalOrOff.class, description = "Rounds without a verdict commit file positions and detector states at most this often; after a crash, the files are read again from the last commit (default: ${DEFAULT-VALUE}).")
  DurationText checkpointInterval;

  @Option(names = "--judge-threads", paramLabel = "N", description = "Threads that judge experiments at the same time when many have new points, as when reading a logdir's history at start (default: the available cores).")
  Integer judgeThreads;

  @Option(names = "--rebuild-state", description = "Move an unusable state database aside and rebuild the state from the event files.")
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

  @Option(names = "--poll-only", description = "Do not use file-change events (inotify); check files every poll interval only.")
  boolean pollOnly;

  @Option(
      names = "--http",
      paramLabel = "ADDR:PORT",
      defaultValue = "127.0.0.1:9321",
      converter = HttpBinding.Converter.class,
      description = "Serve /healthz, /readyz, /metrics, /api/runs and the status page here; PORT and :PORT bind to 127.0.0.1; 0.0.0.0:PORT in containers; 'off' for none (default: ${DEFAULT-VALUE}).")
  HttpBinding http;

  @Option(
      names = "--http-token-file",
      paramLabel = "FILE",
      description = "File holding the token that the status page and /api/* need (the probes /healthz, /readyz and /metrics stay open); also PLATEAU_HTTP_TOKEN_FILE or PLATEAU_HTTP_TOKEN. At least 16 visible ASCII characters, e.g. from: openssl rand -hex 32.")
  Path httpTokenFile;

  @Option(
      names = "--http-token",
      paramLabel = "TOKEN",
      description = "The token itself; other users of this machine can see it in the process list, so prefer --http-token-file or PLATEAU_HTTP_TOKEN.")
  String httpToken;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    // SIGTERM and SIGINT ask the loop to stop; it commits its last round and the command returns
    // 0, also when the signal comes while starting up.
    java.util.concurrent.atomic.AtomicBoolean stopRequested = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicReference<Daemon> running = new java.util.concurrent.atomic.AtomicReference<>();
    StopSignals.install(
        () -> {
          stopRequested.set(true);
          Daemon d = running.get();
          if (d != null) {
            d.requestStop();
          }
        });
    PlateauConfig loaded;
    try {
      loaded = config.load();
    } catch (ConfigException e) {
      err.println("plateau watch: " + e.getMessage());
      return 2;
    }
    Duration interval = pollInterval.duration();
    Duration park = parkAfter.duration();
    Duration checkpoint = checkpointInterval.duration();
    Duration timeLimit = timeout == null ? null : timeout.duration();
    for (Path logdir : logdirs) {
      if (!Files.isDirectory(logdir)) {
        err.println("plateau watch: " + logdir + ": not a directory (it must exist; runs may appear later)");
        return 2;
      }
    }
    SecretSources secrets = new SecretSources(System.getenv());
    List<AlertSink> sinks;
    dev.plateau.server.BearerToken token;
    try {
      sinks = sinks(loaded.alerts(), secrets);
      token = http.off() ? null : bearerToken(secrets);
    } catch (SinkConfigException e) {
      err.println("plateau watch: " + e.getMessage());
      return 2;
    }
    dev.plateau.verdict.JudgeThreads judgeOn;
    try {
      judgeOn =
          dev.plateau.verdict.JudgeThreads.of(
              judgeThreads == null ? Runtime.getRuntime().availableProcessors() : judgeThreads);
    } catch (IllegalArgumentException e) {
      err.println("plateau watch: --judge-threads: " + e.getMessage());
      return 2;
    }
    Clock clock = Clock.systemUTC();
    long deadlineMillis = timeLimit == null ? Long.MAX_VALUE : clock.millis() + timeLimit.toMillis();
    String host = hostName();
    List<StateStore> stores = new ArrayList<>();
    List<Watcher> watchers = new ArrayList<>();
    List<DeliveryWorker> workers = new ArrayList<>();
    java.util.Map<AlertSink, dev.plateau.daemon.Pacer> pacers = new java.util.HashMap<>();
    for (AlertSink sink : sinks) {
      pacers.put(sink, new dev.plateau.daemon.Pacer(sink.minInterval()));
    }
    // Registering for file-change events walks each logdir (about 0.15 s for a thousand runs): it
    // runs on a thread of its own while the state is opened and restored. Events before the
    // daemon exists are not needed: its first round reads every file anyway.
    java.util.Map<Path, java.util.concurrent.CompletableFuture<dev.plateau.tail.ChangeWatcher>> registering =
        new java.util.LinkedHashMap<>();
    if (!pollOnly) {
      Runnable wake =
          () -> {
            Daemon d = running.get();
            if (d != null) {
              d.wake();
            }
          };
      for (Path logdir : logdirs) {
        Path absolute = logdir.toAbsolutePath().normalize();
        registering.put(
            absolute,
            java.util.concurrent.CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return new dev.plateau.tail.ChangeWatcher(absolute, wake);
                  } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                },
                task -> {
                  Thread t = new Thread(task, "plateau-register-events");
                  t.setDaemon(true);
                  t.start();
                }));
      }
    }
    try {
      for (Path logdir : logdirs) {
        Path absolute = logdir.toAbsolutePath().normalize();
        StateStore store = StateStore.open(stateFile(absolute), rebuildState, clock);
        stores.add(store);
        Watcher watcher = new Watcher(absolute, loaded, store, sinks, flags(absolute, loaded.alerts(), loaded.detection().stops(), clock), clock, host);
        watcher.parkAfter(park);
        watcher.checkpointEvery(checkpoint);
        watcher.judgeOn(judgeOn);
        watcher.restore();
        watchers.add(watcher);
        for (AlertSink sink : sinks) {
          workers.add(new DeliveryWorker(sink, store, RetryPolicy.DEFAULT, clock, pacers.get(sink)));
        }
      }
    } catch (StateException e) {
      err.println("plateau watch: " + e.getMessage());
      stores.forEach(StateStore::close);
      closeRegistered(registering);
      return 2;
    }
    Daemon daemon = new Daemon(watchers, workers, interval, Duration.ofSeconds(10));
    daemon.countCpuOf(judgeOn);
    running.set(daemon);
    if (stopRequested.get()) {
      daemon.requestStop();
    }
    dev.plateau.server.StatusServer server = null;
    if (!http.off()) {
      try {
        Duration stale = Duration.ofMillis(Math.max(30_000, 10 * interval.toMillis()));
        server =
            new dev.plateau.server.StatusServer(
                http.address(), daemon, stores, stale, clock, token);
      } catch (IllegalArgumentException e) {
        err.println("plateau watch: " + e.getMessage());
        stores.forEach(StateStore::close);
        closeRegistered(registering);
        return 2;
      } catch (java.io.IOException e) {
        log.warn("cannot serve HTTP on {} ({}); going on without /healthz and /metrics", http, e.getMessage());
      }
    }
    List<dev.plateau.tail.ChangeWatcher> changeWatchers = new ArrayList<>();
    for (Watcher watcher : watchers) {
      java.util.concurrent.CompletableFuture<dev.plateau.tail.ChangeWatcher> pending = registering.get(watcher.logdir());
      if (pending == null) {
        continue; // --poll-only
      }
      try {
        dev.plateau.tail.ChangeWatcher changes = pending.join();
        watcher.changes(changes::drain);
        changeWatchers.add(changes);
      } catch (java.util.concurrent.CompletionException e) {
        Throwable why = e.getCause() instanceof java.io.UncheckedIOException io ? io.getCause() : e.getCause();
        log.warn("{}: no file-change events ({}); polling every {} ms", watcher.logdir(), why.getMessage(), interval.toMillis());
      }
    }
    // The shutdown hook covers other ways the JVM is asked to exit.
    Thread hook =
        new Thread(
            () -> {
              log.info("stopping: finishing the round in flight and committing state");
              daemon.requestStop();
              try {
                if (!daemon.awaitStopped(Duration.ofSeconds(15))) {
                  log.warn("did not stop within 15 s; state up to the last committed round is kept");
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "plateau-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    log.info(
        "watching {} with {} sink(s), polling every {} ms",
        logdirs, sinks.size(), interval.toMillis());
    String names = System.getProperty("sun.jnu.encoding", "");
    if (!names.equalsIgnoreCase("UTF-8")) {
      log.warn(
          "file names are decoded as {} (the locale's charset), so runs whose names are not {} (such as"
              + " 'exp-é') cannot be read or flagged; start Plateau with a UTF-8 locale (LANG=C.UTF-8), as"
              + " the plateau launcher and the image do",
          names, names);
    }
    int[] exitCode = {0};
    if (untilDone || deadlineMillis != Long.MAX_VALUE) {
      long deadline = deadlineMillis;
      dev.plateau.detect.StopPolicy stops = loaded.detection().stops();
      Daemon watching = daemon;
      daemon.afterEachRound(
          () -> {
            List<dev.plateau.verdict.ExperimentVerdict> experiments = new ArrayList<>();
            for (Watcher w : watching.watchers()) {
              experiments.addAll(w.published());
            }
            boolean done =
                untilDone
                    && watching.metrics().ready()
                    && !experiments.isEmpty()
                    && (CheckCommand.exitCode(experiments, stops) != CheckCommand.EXIT_TRAINING);
            boolean late = clock.millis() >= deadline;
            if (done || late) {
              exitCode[0] = experiments.isEmpty() ? CheckCommand.EXIT_TRAINING : CheckCommand.exitCode(experiments, stops);
              log.info(
                  "{}: {} experiment(s); exiting with {}",
                  done ? "every watched experiment can stop" : "the timeout (" + timeout + ") has passed",
                  experiments.size(), exitCode[0]);
              watching.requestStop();
            }
          });
    }
    try {
      daemon.run();
    } finally {
      for (dev.plateau.tail.ChangeWatcher c : changeWatchers) {
        c.close();
      }
      if (server != null) {
        server.close();
      }
      stores.forEach(StateStore::close);
      judgeOn.close();
    }
    return exitCode[0];
  }

  /** Closes the file-change watchers registered for a start that does not go on. */
  private static void closeRegistered(
      java.util.Map<Path, java.util.concurrent.CompletableFuture<dev.plateau.tail.ChangeWatcher>> registering) {
    for (java.util.concurrent.CompletableFuture<dev.plateau.tail.ChangeWatcher> pending : registering.values()) {
      try {
        pending.join().close();
      } catch (java.util.concurrent.CompletionException | java.io.IOException ignored) {
        // nothing was registered, or closing failed: the process is about to exit either way
      }
    }
  }

  private Path stateFile(Path logdir) {
    Path dir = stateDir;
    if (dir == null) {
      String env = System.getenv("PLATEAU_STATE_DIR");
      if (env != null && !env.isBlank()) {
        dir = Path.of(env);
      }
    }
    if (dir == null) {
      Path beside = logdir.getParent() == null ? null : logdir.getParent().resolve(".plateau");
      dir =
          beside != null && Files.isWritable(logdir.getParent())
              ? beside
              : Path.of(System.getProperty("user.home"), ".plateau");
    }
    return dir.resolve("state-" + shortHash(logdir.toString()) + ".db");
  }

  private FlagApplier flags(Path logdir, AlertsConfig alerts, StopPolicy stops, Clock clock) {
    if (!alerts.flagsEnabled()) {
      return FlagApplier.NONE;
    }
    FlagConfig flagConfig =
        FlagConfig.defaults()
            .withTemplate(alerts.flagTemplate())
            .withRemoveOnTraining(alerts.removeOnTraining())
            .withNotLearningFlags(stops.notLearningStops());
    Path dir = flagDir != null ? flagDir : alerts.flagDir() == null ? null : Path.of(alerts.flagDir());
    if (dir != null) {
      flagConfig = flagConfig.withFlagDir(dir);
    }
    return new dev.plateau.daemon.RetriedFlags(new FlagSink(logdir, flagConfig), clock);
  }

  /** The HTTP token, or null for none; refused when too short or not plain ASCII. */
  private dev.plateau.server.BearerToken bearerToken(SecretSources secrets) {
    Secret secret = secrets.httpToken(httpTokenFile, httpToken);
    if (secret == null) {
      return null;
    }
    if (httpToken != null) {
      log.warn("--http-token puts the token in the process list, where other users of this machine"
          + " can read it; prefer --http-token-file or PLATEAU_HTTP_TOKEN");
    }
    try {
      return dev.plateau.server.BearerToken.of(secret.reveal());
    } catch (IllegalArgumentException e) {
      throw new SinkConfigException("the HTTP token from " + secret.source() + " " + e.getMessage());
    }
  }

  private List<AlertSink> sinks(AlertsConfig alerts, SecretSources secrets) {
    List<AlertSink> out = new ArrayList<>();
    List<Secret> urls = secrets.webhookUrls(webhooks, alerts);
    Secret signing = secrets.signingSecret(webhookSecretFile, alerts);
    Clock clock = Clock.systemUTC();
    for (int i = 0; i < urls.size(); i++) {
      // Named by the URL's hash, not its position: pending deliveries stay with their receiver
      // when URLs are added, removed or reordered.
      SinkSettings settings =
          SinkSettings.of("webhook-" + shortHash(urls.get(i).reveal()), urls.get(i))
              .withFilter(StatusFilter.parse(alerts.webhookStatuses()));
      out.add(new WebhookSink(settings, signing, clock));
    }
    Secret slack = secrets.slackUrl(slackWebhook, alerts);
    if (slack != null) {
      out.add(
          new SlackSink(
              SinkSettings.of("slack-" + shortHash(slack.reveal()), slack).withFilter(StatusFilter.parse(alerts.slackStatuses())),
              clock));
    }
    return out;
  }

  private static String shortHash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hostName() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "unknown-host";
    }
  }
}
