package dev.plateau.cli;

import dev.plateau.config.PlateauConfig;
import dev.plateau.server.BearerToken;
import dev.plateau.sink.AlertSink;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What {@code watch} runs with, its options read and checked and its secrets resolved: all {@link
 * DaemonAssembly} needs to build the daemon.
 *
 * @param logdirs the logdirs, absolute and normalised, each an existing directory
 * @param config the configuration
 * @param sinks where verdicts are delivered
 * @param stateLocation where each logdir's state database lives
 * @param rebuildState whether an unusable state database is moved aside and rebuilt
 * @param pollInterval how often files are checked
 * @param parkAfter how long an experiment without points stays in memory; zero: always
 * @param checkpointInterval how often quiet rounds commit at most; zero: every round
 * @param pollOnly whether file-change events are left unused
 * @param http where the status server listens, or off
 * @param token what the status page and the API ask for, or null for nothing
 * @param tensorBoardUrl where the status page links experiments in TensorBoard, or null for no
 *     links
 */
record WatchSettings(
    List<Path> logdirs,
    PlateauConfig config,
    List<AlertSink> sinks,
    StateLocation stateLocation,
    boolean rebuildState,
    Duration pollInterval,
    Duration parkAfter,
    Duration checkpointInterval,
    boolean pollOnly,
    HttpBinding http,
    BearerToken token,
    @Nullable URI tensorBoardUrl) {
  WatchSettings {
    logdirs = List.copyOf(logdirs);
    sinks = List.copyOf(sinks);
  }
}
