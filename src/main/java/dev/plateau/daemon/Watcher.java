package dev.plateau.daemon;

import dev.plateau.config.PlateauConfig;
import dev.plateau.decode.DecodeLimits;
import dev.plateau.detect.Status;
import dev.plateau.detect.Verdict;
import dev.plateau.series.Series;
import dev.plateau.series.SeriesKey;
import dev.plateau.sink.AlertSink;
import dev.plateau.state.StateException;
import dev.plateau.state.StateStore;
import dev.plateau.tail.ChangeWatcher;
import dev.plateau.tail.LogdirSource;
import dev.plateau.tail.LogdirTailer;
import dev.plateau.tail.PollStats;
import dev.plateau.verdict.ExperimentVerdict;
import dev.plateau.verdict.JudgeThreads;
import dev.plateau.verdict.LogdirJudge;
import dev.plateau.verdict.VerdictListener;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one logdir: each {@link #poll} reads what was appended, judges it, and commits the round
 * (file positions, detector states, verdict transitions and their deliveries) in one transaction;
 * then flag files follow the committed statuses. After a crash, {@link #restore} resumes from the
 * committed round: nothing is read twice, no verdict is recorded twice.
 *
 * <p>The round is this class's; each other job is a part's, which the round asks and which answers
 * with data, never calling back: {@link JudgeFeed} (what is read goes to the judge), {@link
 * TransitionRecorder} (an experiment's net change becomes a recorded verdict, alerts and a flag),
 * {@link PendingRound} (what the next commit carries), {@link RoundCommitter} (writing it and what
 * follows), {@link RunResets} (runs read again or gone), {@link ExperimentParking} (which
 * experiments leave memory and when they come back), {@link PublishedVerdicts} (what the status
 * server reads), {@link StateRestorer} (a restart) and {@link LostStateRecovery} (a state database
 * lost while running).
 *
 * <p>One thread polls; delivery happens elsewhere, from the outbox.
 */
public final class Watcher {
  private static final Logger log = LoggerFactory.getLogger(Watcher.class);

  /**
   * Points kept per watched series, spread over the curve, for charts and alerts (the detectors
   * keep their own bounded state); memory stays flat however long a run trains.
   */
  static final int HISTORY_POINTS = 256;

  /** How long an experiment goes without new points before it leaves memory, by default. */
  public static final Duration DEFAULT_PARK_AFTER = ExperimentParking.DEFAULT_PARK_AFTER;

  private static final long AT_TIME_EVERY_MILLIS = 1_000;

  private final Path logdir;
  private final String name;
  private final StateStore store;
  private final FlagApplier flags;
  private final Clock clock;
  private final LogdirSource tailer;
  private final LogdirJudge judge;
  private final PendingRound pending = new PendingRound();
  private final TransitionRecorder recorder;
  private final ExperimentParking parking;
  private final StateRestorer restorer;
  private final LostStateRecovery lostState;
  private final RunResets resets;
  private final JudgeFeed feed;
  private final RoundCommitter committer;
  private final PublishedVerdicts published;
  private final NewsFilter news;
  private DaemonMetrics metrics = new DaemonMetrics();
  private Supplier<ChangeWatcher.Changes> changes;
  private long lastAtTimeMillis = Long.MIN_VALUE / 2;

  /** Runs were set to be read again: only a whole poll finds their files. */
  private boolean wholePollNeeded = true;

  /** Whether the daemon was asked to stop: a whole poll then ends after the file in hand. */
  private BooleanSupplier stopRequested = () -> false;

  /** Where saved detector states are read at a restart (see {@link #judgeOn}). */
  private JudgeThreads threads = JudgeThreads.SERIAL;

  public Watcher(
      Path logdir,
      PlateauConfig config,
      StateStore store,
      List<AlertSink> sinks,
      FlagApplier flags,
      Clock clock,
      String host) {
    this(
        new LogdirTailer(
            logdir.toAbsolutePath().normalize(),
            DecodeLimits.DEFAULTS.withMaxTagsPerFile(config.detection().maxTagsPerFile())),
        logdir.toAbsolutePath().normalize(),
        config,
        store,
        sinks,
        flags,
        clock,
        host);
  }

  /**
   * A watcher of the logdir {@code source} reads (a local directory, or a prefix of an object
   * store), known as {@code logdir} to the status server, the metrics and the logs.
   */
  public Watcher(
      LogdirSource source,
      Path logdir,
      PlateauConfig config,
      StateStore store,
      List<AlertSink> sinks,
      FlagApplier flags,
      Clock clock,
      String host) {
    this.logdir = logdir;
    this.store = store;
    this.flags = flags;
    this.clock = clock;
    this.published = new PublishedVerdicts(new CurveShelf(store));
    this.tailer = source;
    this.judge = new LogdirJudge(config.detection(), new JudgeEvents());
    this.judge.live(() -> clock.millis() / 1000.0);
    this.judge.boundHistory(HISTORY_POINTS);
    String url = source.url();
    this.name = url != null ? url : this.logdir.toString();
    String shown = name;
    Function<SeriesKey, @Nullable Series> kept = keptBy(judge);
    AlertFactory alerts = new AlertFactory(shown, host, kept);
    this.news = new NewsFilter(config.alerts().ignoreOlder(), kept);
    this.recorder =
        new TransitionRecorder(
            shown,
            alerts,
            sinks,
            clock,
            pending,
            news,
            new RepeatedAlerts(config.alerts().cooldown(), kept));
    this.parking = new ExperimentParking(shown, judge, store, clock);
    this.restorer = new StateRestorer(store, tailer, judge, flags, parking, recorder, pending);
    this.lostState = new LostStateRecovery(this.logdir, store, tailer, parking, recorder, pending);
    this.resets = new RunResets(this.logdir, tailer, judge, parking, pending);
    this.feed = new JudgeFeed(this.logdir, judge, parking, clock, resets);
    this.committer =
        new RoundCommitter(
            this.logdir, store, judge, tailer, pending, flags, published, kept, clock);
    if (source instanceof LogdirTailer local) {
      flags.knowDirectories(name -> RunDirectories.find(this.logdir, local.files(), name));
    }
  }

  /** The points {@code judge} keeps of a series (null when none), for charts and alerts. */
  private static Function<SeriesKey, @Nullable Series> keptBy(LogdirJudge judge) {
    return judge::kept;
  }

  /** Judges independent experiments on {@code threads} (default: this watcher's thread alone). */
  public void judgeOn(JudgeThreads threads) {
    judge.judgeOn(threads);
    this.threads = threads;
  }

  public Path logdir() {
    return logdir;
  }

  /**
   * The logdir as people know it, in the status page, metrics and alerts: its path, or its URL for
   * one in an object store ({@code s3://bucket/prefix}, which a path would fold to {@code s3:/}).
   */
  public String logdirName() {
    return name;
  }

  /**
   * Whether the logdir is there to be read: a local one is a directory; one in an object store is
   * taken as there (a bucket that cannot be listed fails the round instead, and is retried).
   */
  public boolean logdirPresent() {
    return !(tailer instanceof LogdirTailer) || java.nio.file.Files.isDirectory(logdir);
  }

  /**
   * How long the logdir may fail to be read (an object store that cannot be listed) before the
   * daemon is not ready ({@code /readyz}); null: never.
   */
  public void unreachableAfter(@Nullable Duration limit) {
    this.unreachableAfter = limit;
  }

  private @Nullable Duration unreachableAfter;

  /**
   * Ends reading early once {@code stop} says so: a whole poll stops between files, so a stop in
   * the middle of a backfill commits what was read and judged, and the next start goes on from
   * there.
   */
  public void stopReadingWhen(BooleanSupplier stop) {
    this.stopRequested = stop;
  }

  /** The state database this watcher commits to. */
  StateStore store() {
    return store;
  }

  Clock clock() {
    return clock;
  }

  /**
   * Experiments without new points for {@code idle} leave memory ("parked"): their judges' state is
   * already in the store, their last verdict stays published, and their first new point brings them
   * back from the store, as a restart would. Zero keeps every experiment in memory.
   */
  public void parkAfter(Duration idle) {
    parking.parkAfter(idle);
  }

  /**
   * Commits rounds without a verdict transition at most every {@code interval} (zero: every round,
   * the default). A round with a transition, a reread or a status change always commits at once,
   * with everything read before it; in between, file positions and detector states are committed
   * together at the interval, so after a crash the daemon reads the files again from the last
   * commit and decides the same, with the same verdict ids. Saves writing every watched series'
   * state every second on a busy logdir.
   */
  public void checkpointEvery(Duration interval) {
    committer.checkpointEvery(interval);
  }

  /**
   * Commits what is pending now (on stop), and saves the status page's curves drawn since they were
   * last saved; false when the commit failed.
   */
  public boolean checkpoint() {
    boolean committed = committer.commit(true);
    published.saveDrawn();
    return committed;
  }

  /** How many experiments are parked now. */
  public int parkedExperiments() {
    return parking.withVerdicts();
  }

  /** Reports into shared metrics (the daemon's), instead of this watcher's own. */
  public void metrics(DaemonMetrics shared) {
    this.metrics = shared;
    committer.metrics(shared);
    shared.expect(name);
  }

  /**
   * The experiments' verdicts after the last round, safe to read from any thread (the HTTP
   * server's); the judge itself belongs to the polling thread.
   */
  public List<ExperimentVerdict> published() {
    return published.verdicts();
  }

  /** The curve of a watched series as of the last round (for charts), or null. */
  public @Nullable SeriesView view(String run, String tag) {
    return published.curve(new SeriesKey(run, tag));
  }

  /**
   * When the experiment converged (epoch milliseconds on the daemon's clock) if it did so as news
   * within the last hour, else null: the overview ranks those before older convergences. Any
   * thread.
   */
  public @Nullable Long newlyConverged(String experiment) {
    return published.newlyConverged(experiment);
  }

  /**
   * The path of an experiment's flag file for {@code status}, or null when it has none (for the
   * status page; any thread).
   */
  public @Nullable String flagPath(String experiment, Status status) {
    return flags.flagPath(experiment, status);
  }

  /** The judge, for status pages and tests (read on the polling thread only). */
  public LogdirJudge judge() {
    return judge;
  }

  /**
   * Resumes from the state store: file positions, detector states and experiment statuses; and
   * brings flag files in line with the committed statuses (a crash may have come between a commit
   * and its flag).
   *
   * <p>When experiments may park (see {@link #parkAfter}), an experiment whose saved series all
   * have a {@link dev.plateau.state.SeriesSummary} that fits the configuration, and that is not
   * tied to another experiment by a twin, starts parked: its verdict is published from the
   * summaries and its detector states are read when it has a new point or when time alone could
   * change its verdict, as for an experiment parked while running. So a restart reads no detector
   * state of the experiments that have finished, however much history they have.
   */
  public void restore() throws StateException {
    StateRestorer.Restored restored = restorer.restore(threads);
    resets.readAgain(restored.rereads());
    // States saved by a version without summaries are saved again with one at the first commit,
    // so that those experiments too can start parked next time.
    for (SeriesKey key : restored.withoutSummary()) {
      if (!resets.readsAgain(key.run())) {
        pending.unsaved(key);
      }
    }
    resets.applyRereads();
    log.info(
        "{}: resumed {} files, {} experiments ({} in memory, {} parked until they have points) from"
            + " {}",
        logdir,
        restored.files(),
        restored.experiments(),
        restored.experiments() - parking.size(),
        parking.size(),
        store.file());
  }

  /**
   * The outcome of one round. {@code readAgain}: runs were set to be read again from their files'
   * start (a rewind into history not kept): the next round should come at once, and the logdir does
   * not count as scanned until it has.
   */
  public record Round(PollStats read, int transitions, boolean committed, boolean readAgain) {}

  /**
   * One round: read, judge (including time-based rules at the clock's time), commit, flags. A
   * failed commit keeps the round's changes pending and tries again next round.
   */
  public Round poll() throws IOException {
    if (changes != null) {
      changes.get(); // a whole poll sees them all
    }
    return round(readAll(), true);
  }

  /**
   * A round woken by file-change events: reads only the event files that the change watcher (see
   * {@link #changes}) says grew, without walking the logdir; a whole {@link #poll} when it cannot
   * tell, when runs are to be read again, or without a change watcher. On a logdir of a thousand
   * runs, walking it is most of an idle round's cost.
   */
  public Round pollChanged() throws IOException {
    if (changes == null || wholePollNeeded || !(tailer instanceof LogdirTailer)) {
      return poll();
    }
    ChangeWatcher.Changes changed = changes.get();
    if (changed.everything()) {
      return round(readAll(), true);
    }
    feed.startRead();
    return round(((LogdirTailer) tailer).pollGrown(feed, changed.grown()), false);
  }

  private PollStats readAll() throws IOException {
    feed.startRead();
    wholePollNeeded = false;
    try {
      return tailer.poll(feed, stopRequested);
    } finally {
      Duration limit = unreachableAfter;
      if (limit != null) {
        metrics.unreachable(name, tailer.unreachableFor().compareTo(limit) > 0);
      }
    }
  }

  /**
   * Where {@link #pollChanged} learns what changed since it last asked (a {@link
   * ChangeWatcher#drain}).
   */
  public void changes(Supplier<ChangeWatcher.Changes> changes) {
    this.changes = changes;
  }

  private Round round(PollStats read, boolean whole) {
    judge.compact();
    long now = clock.millis();
    // Time-based rules (stalled, wall-clock patience) count in minutes: rounds woken by events
    // re-judge every series at the time only once a second, as it visits them all.
    if (whole || now - lastAtTimeMillis >= AT_TIME_EVERY_MILLIS || now < lastAtTimeMillis) {
      judge.atTime(now / 1000.0);
      lastAtTimeMillis = now;
    } else {
      judge.judgeQueued();
    }
    metrics.read(read.records(), read.bytes(), read.points(), read.corruptRecords());
    double newestWallTime = feed.newestWallTime();
    if (Double.isFinite(newestWallTime)) {
      metrics.lag(Math.max(0, clock.millis() - (long) (newestWallTime * 1000)));
    }
    lostState
        .recoverIfLost(published.verdicts())
        .ifPresent(
            runs -> {
              resets.readAgain(runs);
              wholePollNeeded = true;
            });
    if (resets.dropGone()) {
      published.refreshSoon();
    }
    // Rereads are decided before the commit and committed with it (their files' rows and series
    // states deleted), so a crash right after cannot resume past the points they need.
    boolean readAgain = resets.applyRereads() > 0;
    wholePollNeeded |= readAgain;
    int transitions = pending.transitionCount();
    boolean checkpointDue = committer.checkpointDue();
    boolean committed = true;
    if (checkpointDue || pending.hasNews()) {
      committed = committer.commit(checkpointDue);
      if (committed) {
        parkIdle();
      }
    }
    if (published.refresh(
            whole || transitions > 0, now, judge::experimentVerdicts, parking.verdicts())
        && published.viewedRecently(now)) {
      published.refreshCurves(judge.runs(), (run, tag) -> judge.judgeOf(run, tag) != null);
    }
    if (!readAgain) {
      metrics.scanned(name);
    }
    flags.retry(clock.millis());
    parking.collectIfDue();
    return new Round(read, transitions, committed, readAgain);
  }

  /** Flag files waiting to be written again, and flag writes that failed since start. */
  public int pendingFlags() {
    return flags.pending();
  }

  public long flagFailures() {
    return flags.failures();
  }

  /** Parks experiments idle for longer than the park-after time (looked at every few seconds). */
  private void parkIdle() {
    if (!parking.lookDue()) {
      return;
    }
    resets.readAgain(parking.wakeDue());
    if (pending.hasUnsaved() || resets.anyRereads()) {
      return;
    }
    Set<String> left = parking.parkIdle();
    if (!left.isEmpty()) {
      published.park(left);
    }
  }

  /** What the judge reports, on the polling thread: transitions to record, runs to read again. */
  private final class JudgeEvents implements VerdictListener {
    @Override
    public void seriesTransition(Verdict previous, Verdict current) {
      log.debug(
          "{} {} {}: {} ({})",
          logdir,
          current.run(),
          current.tag(),
          current.status().jsonName(),
          current.reason());
    }

    @Override
    public void experimentTransition(ExperimentVerdict previous, ExperimentVerdict current) {
      recorder.record(current);
      Instant now = clock.instant();
      published.transition(
          current.experiment(),
          current.status(),
          current.status() == Status.CONVERGED && news.isNews(news.age(current, now)),
          now.toEpochMilli());
    }

    @Override
    public void problem(String message) {
      log.warn("{}: {}", logdir, message);
    }

    @Override
    public void rereadNeeded(String run) {
      resets.readAgain(run);
    }
  }
}
