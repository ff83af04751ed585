package dev.plateau.cli;

import dev.plateau.config.AlertsConfig;
import dev.plateau.config.ObjectStoreConfig;
import dev.plateau.daemon.FlagApplier;
import dev.plateau.daemon.Watcher;
import dev.plateau.decode.DecodeLimits;
import dev.plateau.objectstore.ObjectLogdirTailer;
import dev.plateau.objectstore.ObjectStoreException;
import dev.plateau.objectstore.ObjectUrl;
import dev.plateau.sink.FlagConfig;
import dev.plateau.state.StateStore;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The watcher of an {@code s3://} logdir: its bucket listed once at start (a missing bucket,
 * missing or refused credentials and AccessDenied stop the start, exit 2, with a message naming the
 * bucket, the operation and where the credentials came from), an object-store tailer listing at
 * most every {@code object_store.poll_interval}, and flags written as objects beside the runs or
 * under {@code --flag-dir} (local, or {@code s3://}).
 */
final class ObjectStoreWatchers {
  private ObjectStoreWatchers() {}

  static Watcher watcher(
      ObjectUrl url,
      Path logdir,
      WatchSettings settings,
      StateStore store,
      Clock clock,
      String host)
      throws ObjectStoreException {
    ObjectStoreConfig config = ObjectStoreAccess.config();
    // Refusals that will not go away stop the start; an unreachable store is retried by rounds.
    try {
      ObjectStoreAccess.store(url).list(url.prefix(), null);
    } catch (ObjectStoreException e) {
      if (e.isConfigurationProblem()) {
        throw e;
      }
    }
    ObjectLogdirTailer tailer =
        ObjectStoreAccess.tailer(
            url,
            DecodeLimits.DEFAULTS.withMaxTagsPerFile(
                settings.config().detection().maxTagsPerFile()),
            clock);
    tailer.pollEvery(config.pollInterval());
    Watcher watcher =
        new Watcher(
            tailer,
            logdir,
            settings.config(),
            store,
            settings.sinks(),
            flags(url, logdir, settings, clock),
            clock,
            host);
    watcher.unreachableAfter(config.unreachableAfter());
    return watcher;
  }

  private static FlagApplier flags(ObjectUrl url, Path logdir, WatchSettings settings, Clock clock)
      throws ObjectStoreException {
    AlertsConfig alerts = settings.config().alerts();
    if (!alerts.flagsEnabled()) {
      return FlagApplier.NONE;
    }
    if (alerts.flagDir() != null) {
      // A --flag-dir, local or s3://: as for a local logdir.
      return DaemonAssembly.flags(logdir, settings, clock);
    }
    FlagConfig flagConfig =
        FlagConfig.defaults()
            .withTemplate(alerts.flagTemplate())
            .withRemoveOnTraining(alerts.removeOnTraining())
            .withNotLearningFlags(settings.config().detection().stops().notLearningStops());
    return new ObjectStoreFlags(ObjectStoreAccess.store(url), url, flagConfig, clock);
  }
}
