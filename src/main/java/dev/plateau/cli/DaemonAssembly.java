package dev.plateau.cli;

import dev.plateau.config.AlertsConfig;
import dev.plateau.daemon.Daemon;
import dev.plateau.daemon.DeliveryWorker;
import dev.plateau.daemon.FlagApplier;
import dev.plateau.daemon.Pacer;
import dev.plateau.daemon.RetriedFlags;
import dev.plateau.daemon.Watcher;
import dev.plateau.detect.StopPolicy;
import dev.plateau.server.StatusServer;
import dev.plateau.sink.AlertSink;
import dev.plateau.sink.FlagConfig;
import dev.plateau.sink.FlagSink;
import dev.plateau.sink.RetryPolicy;
import dev.plateau.state.StateException;
import dev.plateau.state.StateStore;
import dev.plateau.tail.ChangeWatcher;
import dev.plateau.verdict.JudgeThreads;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds {@code watch}'s daemon from its settings: per logdir a state store, a watcher (tailer and
 * judge) restored from it, its flag files and a delivery worker per sink; the loop over them; the
 * status server; and file-change events, registered while the state is restored.
 */
final class DaemonAssembly {
  /** The watch command's log, whichever of its parts speaks (the log names the logger). */
  private static final Logger log = LoggerFactory.getLogger(WatchCommand.class);

  /** How long a delivery worker is given to finish when the daemon stops. */
  private static final Duration WORKERS_STOP = Duration.ofSeconds(10);

  /** A start that cannot go on; its message is the user's (nothing was left open). */
  static final class StartFailed extends Exception {
    private static final long serialVersionUID = 1L;

    StartFailed(Exception cause) {
      super(cause.getMessage(), cause);
    }
  }

  private DaemonAssembly() {}

  /**
   * The daemon, ready to run. Takes {@code judgeOn} over: the result closes it, and so does a
   * failed start.
   *
   * @param control where stop requests and file-change events reach the daemon once it is built
   * @throws StartFailed when a state database cannot be used (an address is resolved earlier, by
   *     the option's converter; this is only a last guard); any other failure closes what was built
   *     and is thrown on
   */
  static AssembledDaemon assemble(
      WatchSettings settings, JudgeThreads judgeOn, DaemonControl control, Clock clock)
      throws StartFailed {
    ChangeRegistration registration =
        settings.pollOnly()
            ? ChangeRegistration.none()
            : ChangeRegistration.start(
                settings.logdirs().stream()
                    .filter(l -> LogdirLocation.of(l) instanceof LogdirLocation.Local)
                    .toList(),
                control::wake);
    String host = hostName();
    Map<AlertSink, Pacer> pacers = new HashMap<>();
    for (AlertSink sink : settings.sinks()) {
      pacers.put(sink, new Pacer(sink.minInterval(), clock));
    }
    List<StateStore> stores = new ArrayList<>();
    List<Watcher> watchers = new ArrayList<>();
    List<DeliveryWorker> workers = new ArrayList<>();
    try {
      for (Path logdir : settings.logdirs()) {
        StateStore store =
            StateStore.open(
                settings.stateLocation().fileFor(logdir), settings.rebuildState(), clock);
        stores.add(store);
        Watcher watcher =
            LogdirLocation.of(logdir) instanceof LogdirLocation.InObjectStore bucket
                ? ObjectStoreWatchers.watcher(bucket.url(), logdir, settings, store, clock, host)
                : new Watcher(
                    logdir,
                    settings.config(),
                    store,
                    settings.sinks(),
                    flags(logdir, settings, clock),
                    clock,
                    host);
        watcher.parkAfter(settings.parkAfter());
        watcher.checkpointEvery(settings.checkpointInterval());
        watcher.judgeOn(judgeOn);
        watcher.restore();
        watchers.add(watcher);
        for (AlertSink sink : settings.sinks()) {
          workers.add(
              new DeliveryWorker(sink, store, RetryPolicy.DEFAULT, clock, pacers.get(sink)));
        }
      }
    } catch (StateException | dev.plateau.objectstore.ObjectStoreException e) {
      abandon(stores, registration, judgeOn);
      throw new StartFailed(e);
    } catch (RuntimeException e) {
      // A bug or an I/O failure while restoring: nothing built stays open, and the error goes on.
      abandon(stores, registration, judgeOn);
      throw e;
    }
    Daemon daemon = new Daemon(watchers, workers, settings.pollInterval(), WORKERS_STOP);
    if (settings.logdirs().stream()
        .anyMatch(l -> LogdirLocation.of(l) instanceof LogdirLocation.InObjectStore)) {
      daemon.metrics().alsoCollect(new ObjectStoreMetrics(ObjectStoreAccess.COUNTS));
    }
    daemon.countCpuOf(judgeOn);
    control.attach(daemon);
    StatusServer server;
    try {
      server = server(settings, daemon, stores, clock);
    } catch (IOException e) {
      abandon(stores, registration, judgeOn);
      throw new StartFailed(
          new IOException(
              "cannot serve HTTP on "
                  + settings.http()
                  + " ("
                  + e.getMessage()
                  + "); is another plateau watch listening there? Give another --http address,"
                  + " or --http off for no server",
              e));
    } catch (IllegalArgumentException e) {
      abandon(stores, registration, judgeOn);
      throw new StartFailed(e);
    } catch (RuntimeException e) {
      abandon(stores, registration, judgeOn);
      throw e;
    }
    List<ChangeWatcher> changes = registration.attach(watchers, settings.pollInterval());
    return new AssembledDaemon(daemon, server, stores, changes, judgeOn);
  }

  /**
   * The status server, or null when off. An address that cannot be bound fails the start: probes
   * would otherwise reach whatever else listens there and call this daemon healthy.
   */
  private static @Nullable StatusServer server(
      WatchSettings settings, Daemon daemon, List<StateStore> stores, Clock clock)
      throws IOException {
    if (settings.http().off()) {
      return null;
    }
    // /healthz fails after ten rounds missed, and never sooner than 30 s.
    Duration stale = Duration.ofMillis(Math.max(30_000, 10 * settings.pollInterval().toMillis()));
    StatusServer server =
        new StatusServer(settings.http().address(), daemon, stores, stale, clock, settings.token());
    server.linkToTensorBoard(settings.tensorBoardUrl());
    return server;
  }

  static FlagApplier flags(Path logdir, WatchSettings settings, Clock clock)
      throws dev.plateau.objectstore.ObjectStoreException {
    AlertsConfig alerts = settings.config().alerts();
    if (!alerts.flagsEnabled()) {
      return FlagApplier.NONE;
    }
    StopPolicy stops = settings.config().detection().stops();
    FlagConfig flagConfig =
        FlagConfig.defaults()
            .withTemplate(alerts.flagTemplate())
            .withRemoveOnTraining(alerts.removeOnTraining())
            .withNotLearningFlags(stops.notLearningStops())
            .withLaggingFlags(stops.laggingStops());
    // flags.dir: --flag-dir, PLATEAU_FLAGS_DIR or the file; s3:// puts them in a bucket
    java.util.Optional<dev.plateau.objectstore.ObjectUrl> inBucket =
        alerts.flagDir() == null
            ? java.util.Optional.empty()
            : dev.plateau.objectstore.ObjectUrl.parse(alerts.flagDir());
    if (inBucket.isPresent()) {
      return new ObjectStoreFlags(
          ObjectStoreAccess.store(inBucket.get()), inBucket.get(), flagConfig, clock);
    }
    Path dir = alerts.flagDir() == null ? null : Path.of(alerts.flagDir());
    if (dir != null) {
      flagConfig = flagConfig.withFlagDir(dir);
    }
    return new RetriedFlags(new FlagSink(logdir, flagConfig), clock);
  }

  /** Closes what a start that does not go on opened. */
  private static void abandon(
      List<StateStore> stores, ChangeRegistration registration, JudgeThreads judgeOn) {
    stores.forEach(StateStore::close);
    registration.cancel();
    judgeOn.close();
  }

  /** The name verdicts give as where they were decided: $HOSTNAME, else the machine's. */
  private static String hostName() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown-host";
    }
  }
}
