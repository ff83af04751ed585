package dev.plateau.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.config.PlateauConfig;
import dev.plateau.detect.Verdict;
import dev.plateau.series.RunSeries;
import dev.plateau.series.Series;
import dev.plateau.sink.AlertSink;
import dev.plateau.sink.FlagConfig;
import dev.plateau.sink.FlagSink;
import dev.plateau.state.StateStore;
import dev.plateau.write.EventFileWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.LongStream;

/**
 * A logdir watched by the daemon's real pieces: a {@link Watcher} over a real SQLite {@link
 * StateStore} in a temporary directory, writing real flag files, with a healthy run beside whatever
 * a test breaks. The healthy run, {@code healthy}, is a converging {@code val_loss} of {@value
 * #HEALTHY_POINTS} points written by the project's writer in two parts, so a test can write the
 * second part after the bad input and prove that the healthy run kept being read and judged.
 */
final class WatchedLogdir implements AutoCloseable {
  static final Clock SYSTEM = Clock.systemUTC();
  static final String TAG = "val_loss";
  static final int HEALTHY_POINTS = 120;

  /** Points of the healthy run written before the bad input; the rest come after it. */
  static final int HEALTHY_FIRST_PART = 40;

  final Path logdir;
  final Path db;

  /** Wall time of the first point of every run written here (a few minutes ago). */
  final double start;

  private final Clock clock;
  private final List<AlertSink> sinks;
  private final EventFileWriter healthy;
  private int healthyWritten;
  private StateStore store;
  private Watcher watcher;

  /**
   * @param temp where the logdir ({@code logs}) and the state ({@code state/state.db}) go
   * @param sinks where verdicts are delivered from the outbox (by workers the test runs)
   * @param clock the daemon's time: when points arrive, and what stalled is judged against
   */
  WatchedLogdir(Path temp, List<AlertSink> sinks, Clock clock) throws Exception {
    this.clock = clock;
    this.start = clock.millis() / 1000.0 - 600;
    this.logdir = Files.createDirectories(temp.resolve("logs"));
    this.db = temp.resolve("state/state.db");
    this.sinks = List.copyOf(sinks);
    this.healthy = EventFileWriter.create(logdir.resolve("healthy"), start, "healthy", 0);
    open();
  }

  WatchedLogdir(Path temp, List<AlertSink> sinks) throws Exception {
    this(temp, sinks, SYSTEM);
  }

  WatchedLogdir(Path temp) throws Exception {
    this(temp, List.of(), SYSTEM);
  }

  private void open() throws Exception {
    store = StateStore.open(db, false, clock);
    // Flags as the daemon writes them: through the sink, tried again until written.
    RetriedFlags flags = new RetriedFlags(new FlagSink(logdir, FlagConfig.defaults()), clock);
    watcher =
        new Watcher(logdir, PlateauConfig.defaults(), store, sinks, flags, clock, "catalogue");
    watcher.restore();
  }

  Watcher watcher() {
    return watcher;
  }

  StateStore store() {
    return store;
  }

  Watcher.Round poll() throws IOException {
    return watcher.poll();
  }

  /** Stops this watcher and starts a new one on the same state, as a restarted daemon would. */
  void restart() throws Exception {
    store.close();
    open();
  }

  /** The converging curve every run here follows: from 9 down towards 1. */
  static float value(long step) {
    return (float) (1 + 8 * Math.exp(-step / 8.0));
  }

  /** Writes points {@code from..to-1} of the curve to {@code writer}, and flushes. */
  void points(EventFileWriter writer, long from, long to) throws IOException {
    for (long step = from; step < to; step++) {
      writer.simpleValue(TAG, step, start + step, value(step));
    }
    writer.flush();
  }

  /** Writes the healthy run's first part. */
  void healthyFirstPart() throws IOException {
    points(healthy, 0, HEALTHY_FIRST_PART);
    healthyWritten = HEALTHY_FIRST_PART;
  }

  /** Writes the rest of the healthy run (its first part, too, if not written yet). */
  void healthyRest() throws IOException {
    points(healthy, healthyWritten, HEALTHY_POINTS);
    healthyWritten = HEALTHY_POINTS;
  }

  /**
   * The steps kept for a run's {@value #TAG}; on the polling thread only (see {@link #steps(String,
   * String)}).
   */
  long[] steps(String run) {
    return steps(run, TAG);
  }

  /**
   * The steps the judge keeps for a series (every point, up to the daemon's bound of 256 points per
   * series). The judge belongs to the polling thread: call this only from a test that polls the
   * watcher itself.
   */
  long[] steps(String run, String tag) {
    Series series = series(run, tag);
    long[] out = new long[series == null ? 0 : series.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = series.step(i);
    }
    return out;
  }

  /** The values the judge keeps for a run's {@value #TAG}; on the polling thread only. */
  double[] values(String run) {
    Series series = series(run, TAG);
    double[] out = new double[series == null ? 0 : series.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = series.value(i);
    }
    return out;
  }

  private Series series(String run, String tag) {
    RunSeries kept = watcher.judge().runs().get(run);
    return kept == null ? null : kept.byTag().get(tag);
  }

  /** A series' verdict after the last round (safe from any thread), or null. */
  Verdict verdict(String run, String tag) {
    return watcher.published().stream()
        .flatMap(v -> v.series().stream())
        .filter(v -> v.run().equals(run) && v.tag().equals(tag))
        .findFirst()
        .orElse(null);
  }

  /** The status of an experiment after the last round, or null when it has no watched series. */
  String status(String experiment) {
    return watcher.published().stream()
        .filter(v -> v.experiment().equals(experiment))
        .map(v -> v.status().jsonName())
        .findFirst()
        .orElse(null);
  }

  static long[] range(long from, long to) {
    return LongStream.range(from, to).toArray();
  }

  /**
   * The healthy run was read whole and judged: its series' verdict (published after every round, so
   * this may be called from any thread) counts every one of its points, up to the last step, it
   * converged, and its experiment's flag file says so.
   */
  void assertHealthyRunReadAndJudged() throws IOException {
    Verdict verdict = verdict("healthy", TAG);
    assertThat(verdict).as("the healthy run's series is judged").isNotNull();
    assertThat(verdict.points()).as("every point of the healthy run").isEqualTo(HEALTHY_POINTS);
    assertThat(verdict.lastStep()).isEqualTo(HEALTHY_POINTS - 1);
    assertThat(verdict.status().jsonName()).isEqualTo("converged");
    Path flag = logdir.resolve("healthy/CONVERGED");
    assertThat(flag).as("the healthy run's flag file").exists();
    assertThat(Files.readString(flag))
        .contains("\"experiment\" : \"healthy\"", "\"status\" : \"converged\"");
  }

  @Override
  public void close() throws IOException {
    healthy.close();
    store.close();
  }
}
