package dev.plateau.daemon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plateau.config.PlateauConfig;
import dev.plateau.decode.DecodeLimits;
import dev.plateau.detect.SeriesJudge;
import dev.plateau.detect.Status;
import dev.plateau.detect.Verdict;
import dev.plateau.series.ScalarPoint;
import dev.plateau.sink.Alert;
import dev.plateau.sink.AlertSink;
import dev.plateau.state.JudgeStateCodec;
import dev.plateau.state.RecordedVerdict;
import dev.plateau.state.StateBatch;
import dev.plateau.state.StateException;
import dev.plateau.state.StateStore;
import dev.plateau.tail.FileCursor;
import dev.plateau.tail.LogdirTailer;
import dev.plateau.tail.PollStats;
import dev.plateau.tail.TailListener;
import dev.plateau.verdict.LogdirJudge;
import dev.plateau.verdict.ExperimentVerdict;
import dev.plateau.series.SeriesKey;
import dev.plateau.verdict.VerdictListener;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one logdir: each {@link #poll} reads what was appended, judges it, and commits the
 * round (file positions, detector states, verdict transitions and their deliveries) in one
 * transaction; then flag files follow the committed statuses. After a crash, {@link #restore}
 * resumes from the committed round: nothing is read twice, no verdict is recorded twice.
 *
 * <p>One thread polls; delivery happens elsewhere, from the outbox.
 */
public final class Watcher {
  private static final Logger log = LoggerFactory.getLogger(Watcher.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * Points kept per watched series, spread over the curve, for charts and alerts (the detectors
   * keep their own bounded state); memory stays flat however long a run trains.
   */
  static final int HISTORY_POINTS = 256;
  /** How long an experiment goes without new points before it leaves memory, by default. */
  public static final java.time.Duration DEFAULT_PARK_AFTER = java.time.Duration.ofMinutes(1);
  private static final int MANY_PARKED = 100;

  private final Path logdir;
  private final StateStore store;
  private final List<AlertSink> sinks;
  private final FlagApplier flags;
  private final Clock clock;
  private final LogdirTailer tailer;
  private final LogdirJudge judge;
  private final AlertFactory alerts;
  private final Map<String, FileCursor> committedCursors = new HashMap<>();
  private final List<RecordedVerdict> pendingVerdicts = new ArrayList<>();
  private final Map<String, List<String>> pendingSinks = new HashMap<>();
  private final Map<String, StateBatch.ExperimentStatus> pendingExperiments = new LinkedHashMap<>();
  private final Map<String, ObjectNode> pendingFlags = new LinkedHashMap<>();
  /**
   * Experiments whose status changed since the last commit: the committed status, the transition
   * count then, and the id of the one pending verdict that stands for the change. A change undone
   * before it is committed (a run read again passes through its old status) records and sends
   * nothing, and a second change replaces the first, so what is recorded is the net change.
   */
  private record Uncommitted(Status committed, long sequence, String verdictId) {}

  private final Map<String, Uncommitted> uncommitted = new HashMap<>();
  private final Set<String> rereads = new LinkedHashSet<>();
  private final Map<String, Status> experimentStatus = new HashMap<>();
  private final Set<SeriesKey> unsavedSeries = new LinkedHashSet<>();
  private final Set<String> resetRuns = new LinkedHashSet<>();
  private DaemonMetrics metrics = new DaemonMetrics();
  private volatile List<ExperimentVerdict> published = List.of();
  private final Map<String, SeriesView> views = new java.util.concurrent.ConcurrentHashMap<>();
  private double newestWallTime = Double.NaN;
  private final Map<String, Long> transitionCount = new HashMap<>();
  /** Experiments out of memory, with their verdict when they left (for the status page and API). */
  private final Map<String, ExperimentVerdict> parked = new HashMap<>();
  /** The runs of every parked experiment, to bring back. */
  private final Map<String, Set<String>> parkedRuns = new HashMap<>();
  /**
   * When time alone could change a parked experiment's verdict (clock millis; a job that died is
   * STALLED an hour after its last point): it is brought back then, for the time rules to judge.
   */
  private final Map<String, Long> parkedUntil = new HashMap<>();
  /** When each experiment in memory last had a point (clock millis). */
  private final Map<String, Long> lastActivity = new HashMap<>();
  /** Runs whose directory went away in the last read: they leave the judged set this round. */
  private final Set<String> goneRuns = new LinkedHashSet<>();
  private long parkAfterMillis = DEFAULT_PARK_AFTER.toMillis();
  private long checkpointMillis;
  private long lastCommitMillis = Long.MIN_VALUE;
  private long lastParkCheck;
  private java.util.function.Supplier<dev.plateau.tail.ChangeWatcher.Changes> changes;
  private static final long PUBLISH_EVERY_MILLIS = 1_000;
  private long lastPublishMillis = Long.MIN_VALUE / 2;
  private static final long AT_TIME_EVERY_MILLIS = 1_000;
  private long lastAtTimeMillis = Long.MIN_VALUE / 2;
  /** Runs were set to be read again: only a whole poll finds their files. */
  private boolean wholePollNeeded = true;
  /** Where saved detector states are read at a restart (see {@link #judgeOn}). */
  private dev.plateau.verdict.JudgeThreads threads = dev.plateau.verdict.JudgeThreads.SERIAL;

  public Watcher(
      Path logdir,
      PlateauConfig config,
      StateStore store,
      List<AlertSink> sinks,
      FlagApplier flags,
      Clock clock,
      String host) {
    this.logdir = logdir.toAbsolutePath().normalize();
    this.store = store;
    this.sinks = List.copyOf(sinks);
    this.flags = flags;
    this.clock = clock;
    this.tailer =
        new LogdirTailer(
            this.logdir, DecodeLimits.DEFAULTS.withMaxTagsPerFile(config.detection().maxTagsPerFile()));
    this.alerts = new AlertFactory(this.logdir.toString(), host);
    this.judge = new LogdirJudge(config.detection(), new Transitions());
    this.judge.live(() -> clock.millis() / 1000.0);
    this.judge.boundHistory(HISTORY_POINTS);
    flags.knowDirectories(this::directoryOf);
  }

  /**
   * Where a directory of the logdir is, by its name relative to the logdir, as the tailer found it
   * (exact, byte for byte, for a name that is not valid in the platform's charset); null when no
   * event file the tailer reads lies in it.
   */
  private Path directoryOf(String name) {
    for (dev.plateau.tail.TailedFile file : tailer.files()) {
      String run = file.run();
      Path dir = file.path().getParent();
      if (run.equals(name)) {
        return dir;
      }
      if (run.startsWith(name + "/")) {
        int up = (int) run.substring(name.length()).chars().filter(c -> c == '/').count();
        for (int i = 0; i < up && dir != null; i++) {
          dir = dir.getParent();
        }
        return dir;
      }
    }
    return null;
  }

  /** Judges independent experiments on {@code threads} (default: this watcher's thread alone). */
  public void judgeOn(dev.plateau.verdict.JudgeThreads threads) {
    judge.judgeOn(threads);
    this.threads = threads;
  }

  public Path logdir() {
    return logdir;
  }

  /** The state database this watcher commits to. */
  StateStore store() {
    return store;
  }

  Clock clock() {
    return clock;
  }

  /**
   * Experiments without new points for {@code idle} leave memory ("parked"): their judges' state
   * is already in the store, their last verdict stays published, and their first new point brings
   * them back from the store, as a restart would. Zero keeps every experiment in memory.
   */
  public void parkAfter(java.time.Duration idle) {
    this.parkAfterMillis = idle.isZero() ? Long.MAX_VALUE : idle.toMillis();
  }

  /**
   * Commits rounds without a verdict transition at most every {@code interval} (zero: every
   * round, the default). A round with a transition, a reread or a status change always commits at
   * once, with everything read before it; in between, file positions and detector states are
   * committed together at the interval, so after a crash the daemon reads the files again from the
   * last commit and decides the same, with the same verdict ids. Saves writing every watched
   * series' state every second on a busy logdir.
   */
  public void checkpointEvery(java.time.Duration interval) {
    this.checkpointMillis = interval.toMillis();
  }

  /** Commits what is pending now (on stop); false when the commit failed. */
  public boolean checkpoint() {
    return commit(true);
  }

  /** How many experiments are parked now. */
  public int parkedExperiments() {
    return parked.size();
  }

  /** Reports into shared metrics (the daemon's), instead of this watcher's own. */
  public void metrics(DaemonMetrics shared) {
    this.metrics = shared;
    shared.expect(logdir.toString());
  }

  /**
   * The experiments' verdicts after the last round, safe to read from any thread (the HTTP
   * server's); the judge itself belongs to the polling thread.
   */
  public List<ExperimentVerdict> published() {
    return published;
  }

  /** The curve of a watched series as of the last round (for charts), or null. */
  public SeriesView view(String run, String tag) {
    return views.get(run + '\u0000' + tag);
  }

  /** The judge, for status pages and tests (read on the polling thread only). */
  public LogdirJudge judge() {
    return judge;
  }

  /**
   * Resumes from the state store: file positions, detector states and experiment statuses; and
   * brings flag files in line with the committed statuses (a crash may have come between a
   * commit and its flag).
   *
   * <p>When experiments may park (see {@link #parkAfter}), an experiment whose saved series all
   * have a {@link dev.plateau.state.SeriesSummary} that fits the configuration, and that is not
   * tied to another experiment by a twin, starts parked: its verdict is published from the
   * summaries and its detector states are read when it has a new point or when time alone could
   * change its verdict, as for an experiment parked while running. So a restart reads no
   * detector state of the experiments that have finished, however much history they have.
   */
  public void restore() throws StateException {
    List<FileCursor> cursors = store.files();
    tailer.restore(cursors);
    for (FileCursor c : cursors) {
      committedCursors.put(c.path(), c);
    }
    Map<String, StateBatch.ExperimentStatus> saved = store.experiments();
    for (Map.Entry<String, StateBatch.ExperimentStatus> e : saved.entrySet()) {
      Status status = Status.fromJsonName(e.getValue().status());
      experimentStatus.put(e.getKey(), status);
      transitionCount.put(e.getKey(), e.getValue().transitions());
      judge.restoreExperiment(new ExperimentVerdict(e.getKey(), status, List.of(), List.of(), "restored"));
    }
    // Flags are brought in line on a thread of their own while the series are restored (they need
    // nothing but the committed verdicts); restore returns when both are done.
    Thread flagging =
        new Thread(
            () -> {
              for (Map.Entry<String, StateBatch.ExperimentStatus> e : saved.entrySet()) {
                try {
                  flags.apply(
                      e.getKey(),
                      Status.fromJsonName(e.getValue().status()),
                      (ObjectNode) JSON.readTree(e.getValue().verdictJson()));
                } catch (JsonProcessingException | ClassCastException bad) {
                  log.warn("experiment '{}': stored verdict is unreadable; its flag waits for the next verdict", e.getKey());
                } catch (RuntimeException unexpected) {
                  log.warn("experiment '{}': its flag could not be brought in line at start-up: {}", e.getKey(), unexpected.toString());
                }
              }
            },
            "plateau-restore-flags");
    flagging.start();
    try {
      restoreSeries(cursors);
    } finally {
      try {
        flagging.join();
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void restoreSeries(List<FileCursor> cursors) throws StateException {
    // Every saved series is registered, in order, so that twins between experiments are found as
    // while running; then the experiments that can start parked leave memory again.
    record Saved(String run, String tag, byte[] summary, SeriesJudge judge) {}
    Map<String, List<Saved>> byExperiment = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> e : store.seriesSummaries().entrySet()) {
      int split = e.getKey().indexOf('\u0000');
      String run = e.getKey().substring(0, split);
      String tag = e.getKey().substring(split + 1);
      SeriesJudge j = judge.register(run, tag);
      byExperiment
          .computeIfAbsent(dev.plateau.verdict.Experiments.of(run), k -> new ArrayList<>())
          .add(new Saved(run, tag, e.getValue(), j));
    }
    Set<String> tied = parkAfterMillis == Long.MAX_VALUE ? Set.of() : judge.notSelfContained();
    // Summaries are read and combined on the judge threads, an experiment per task (no judge
    // state is touched: only the judges' detector names are read).
    record Start(String experiment, List<Saved> series, ExperimentVerdict parkedVerdict, double wake, boolean parks) {}
    List<Map.Entry<String, List<Saved>>> experiments = new ArrayList<>(byExperiment.entrySet());
    Start[] starts = new Start[experiments.size()];
    threads.run(
        java.util.stream.IntStream.range(0, starts.length).boxed().toList(),
        i -> {
          String experiment = experiments.get(i).getKey();
          List<Saved> series = experiments.get(i).getValue();
          List<dev.plateau.detect.Verdict> verdicts = new ArrayList<>();
          double wake = Double.POSITIVE_INFINITY;
          boolean parks = parkAfterMillis != Long.MAX_VALUE && !tied.contains(experiment);
          for (Saved saved : series) {
            if (!parks || saved.judge() == null) {
              continue; // not watched any more: nothing to show or to read
            }
            dev.plateau.state.SeriesSummary summary = null;
            if (saved.summary() != null) {
              try {
                summary = JudgeStateCodec.readSummary(saved.summary());
              } catch (RuntimeException damaged) {
                log.info("run '{}' tag '{}': {}; reading its saved state", saved.run(), saved.tag(), damaged.getMessage());
              }
            }
            if (summary == null || !summary.fits(saved.judge())) {
              parks = false;
            } else {
              verdicts.add(summary.verdict());
              wake = Math.min(wake, summary.wakeAt());
            }
          }
          starts[i] = new Start(experiment, series, parks ? judge.combine(experiment, verdicts) : null, wake, parks);
        });
    Set<String> leaving = new java.util.HashSet<>();
    Set<String> eagerRuns = new LinkedHashSet<>();
    List<SeriesKey> withoutSummary = new ArrayList<>();
    for (Start start : starts) {
      Set<String> runs = new LinkedHashSet<>();
      for (Saved saved : start.series()) {
        runs.add(saved.run());
        if (saved.summary() == null && saved.judge() != null) {
          withoutSummary.add(new SeriesKey(saved.run(), saved.tag()));
        }
      }
      if (start.parks()) {
        leaving.addAll(runs);
        parkedRuns.put(start.experiment(), runs);
        if (start.parkedVerdict() != null) {
          parked.put(start.experiment(), start.parkedVerdict());
        }
        if (start.wake() < Double.POSITIVE_INFINITY) {
          parkedUntil.put(start.experiment(), (long) Math.ceil(Math.max(start.wake(), 0) * 1000));
        }
      } else {
        eagerRuns.addAll(runs);
        lastActivity.put(start.experiment(), clock.millis());
      }
    }
    judge.evictAll(leaving);
    restoreStates(eagerRuns);
    // States saved by a version without summaries are saved again with one at the first commit,
    // so that those experiments too can start parked next time.
    for (SeriesKey key : withoutSummary) {
      if (!rereads.contains(key.run())) {
        unsavedSeries.add(key);
      }
    }
    applyRereads();
    log.info(
        "{}: resumed {} files, {} experiments ({} in memory, {} parked until they have points) from {}",
        logdir, cursors.size(), byExperiment.size(), byExperiment.size() - parkedRuns.size(),
        parkedRuns.size(), store.file());
  }

  /** Reads the saved detector states of {@code runs} into their (registered) judges. */
  private void restoreStates(Set<String> runs) throws StateException {
    record Saved(String run, String tag, byte[] state, SeriesJudge judge) {}
    List<Saved> saved = new ArrayList<>();
    for (String run : runs) {
      for (Map.Entry<String, byte[]> e : store.seriesOfRun(run).entrySet()) {
        SeriesJudge j = judge.judgeOf(run, e.getKey());
        if (j != null) {
          saved.add(new Saved(run, e.getKey(), e.getValue(), j));
        }
      }
    }
    // Each state is read on the judge threads, each judge by one thread; one slot per state,
    // each written by the thread that read that state.
    String[] misfits = new String[saved.size()];
    threads.run(
        java.util.stream.IntStream.range(0, saved.size()).boxed().toList(),
        i -> {
          try {
            JudgeStateCodec.read(saved.get(i).state(), saved.get(i).judge());
          } catch (RuntimeException mismatch) {
            // Another configuration's detectors, or a damaged state: either way the run is read
            // again from its files.
            misfits[i] = mismatch instanceof IllegalArgumentException ? String.valueOf(mismatch.getMessage()) : mismatch.toString();
          }
        });
    for (int i = 0; i < saved.size(); i++) {
      Saved s = saved.get(i);
      if (misfits[i] != null) {
        log.info(
            "run '{}' tag '{}': saved detector state does not fit the configuration ({}); reading"
                + " the run again",
            s.run(), s.tag(), misfits[i]);
        rereads.add(s.run());
      }
    }
  }

  /**
   * The outcome of one round. {@code readAgain}: runs were set to be read again from their files'
   * start (a rewind into history not kept): the next round should come at once, and the logdir
   * does not count as scanned until it has.
   */
  public record Round(PollStats read, int transitions, boolean committed, boolean readAgain) {}

  /**
   * One round: read, judge (including time-based rules at the clock's time), commit, flags.
   * A failed commit keeps the round's changes pending and tries again next round.
   */
  public Round poll() throws IOException {
    if (changes != null) {
      changes.get(); // a whole poll sees them all
    }
    return round(readAll(), true);
  }

  /**
   * A round woken by file-change events: reads only the event files that the change watcher
   * (see {@link #changes}) says grew, without walking the logdir; a whole {@link #poll} when it
   * cannot tell, when runs are to be read again, or without a change watcher. On a logdir of
   * a thousand runs, walking it is most of an idle round's cost.
   */
  public Round pollChanged() throws IOException {
    if (changes == null || wholePollNeeded) {
      return poll();
    }
    dev.plateau.tail.ChangeWatcher.Changes changed = changes.get();
    if (changed.everything()) {
      return round(readAll(), true);
    }
    newestWallTime = Double.NaN;
    return round(tailer.pollGrown(new Feed(), changed.grown()), false);
  }

  private PollStats readAll() throws IOException {
    newestWallTime = Double.NaN;
    wholePollNeeded = false;
    return tailer.poll(new Feed());
  }

  /**
   * Where {@link #pollChanged} learns what changed since it last asked (a {@link
   * dev.plateau.tail.ChangeWatcher#drain}).
   */
  public void changes(java.util.function.Supplier<dev.plateau.tail.ChangeWatcher.Changes> changes) {
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
    metrics.records.addAndGet(read.records());
    metrics.bytes.addAndGet(read.bytes());
    metrics.points.addAndGet(read.points());
    metrics.corruptRecords.addAndGet(read.corruptRecords());
    if (Double.isFinite(newestWallTime)) {
      metrics.lagMillis.set(Math.max(0, clock.millis() - (long) (newestWallTime * 1000)));
    }
    recoverLostState();
    dropGoneRuns();
    // Rereads are decided before the commit and committed with it (their files' rows and series
    // states deleted), so a crash right after cannot resume past the points they need.
    boolean readAgain = applyRereads() > 0;
    wholePollNeeded |= readAgain;
    int transitions = pendingVerdicts.size();
    boolean checkpointDue =
        !resetRuns.isEmpty()
            || lastCommitMillis == Long.MIN_VALUE
            || clock.millis() - lastCommitMillis >= checkpointMillis;
    boolean due = checkpointDue || !pendingVerdicts.isEmpty() || !pendingExperiments.isEmpty();
    boolean committed = true;
    if (due) {
      committed = commit(checkpointDue);
      if (committed) {
        parkIdle();
      }
    }
    // The status page's copy: combining every experiment's verdict is most of a quiet round's
    // work on a large logdir, so rounds woken by events refresh it only with a transition or once
    // a second.
    if (whole || transitions > 0 || now - lastPublishMillis >= PUBLISH_EVERY_MILLIS || now < lastPublishMillis) {
      publish();
      lastPublishMillis = now;
    }
    if (!readAgain) {
      metrics.scanned(logdir.toString());
    }
    flags.retry(clock.millis());
    return new Round(read, transitions, committed, readAgain);
  }

  /** Flag files waiting to be written again, and flag writes that failed since start. */
  public int pendingFlags() {
    return flags.pending();
  }

  public long flagFailures() {
    return flags.failures();
  }

  private void publish() {
    List<ExperimentVerdict> all = new ArrayList<>(judge.runVerdicts());
    all.addAll(parked.values());
    all.sort(java.util.Comparator.comparing(ExperimentVerdict::experiment));
    published = List.copyOf(all);
  }

  /** Parks experiments idle for longer than the park-after time (checked every few seconds). */
  private void parkIdle() {
    long now = clock.millis();
    if (parkAfterMillis == Long.MAX_VALUE || now - lastParkCheck < Math.min(5_000, parkAfterMillis)) {
      return;
    }
    lastParkCheck = now;
    wakeParked(now);
    if (!unsavedSeries.isEmpty() || !rereads.isEmpty() || !resetRuns.isEmpty()) {
      return;
    }
    int parkedNow = 0;
    Set<String> leaving = new java.util.HashSet<>();
    Set<String> tied = null;
    Map<String, Set<String>> runsOf = null;
    for (var it = lastActivity.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Long> e = it.next();
      String experiment = e.getKey();
      if (now - e.getValue() < parkAfterMillis) {
        continue;
      }
      if (tied == null) {
        tied = judge.notSelfContained();
        runsOf = judge.runsByExperiment();
      }
      if (tied.contains(experiment)) {
        continue;
      }
      Set<String> runs = runsOf.getOrDefault(experiment, Set.of());
      ExperimentVerdict verdict = judge.experimentVerdict(experiment);
      double wake = judge.nextChangeAt(experiment);
      leaving.addAll(runs);
      if (verdict != null) {
        parked.put(experiment, verdict);
      }
      parkedRuns.put(experiment, runs);
      if (wake < Double.POSITIVE_INFINITY) {
        parkedUntil.put(experiment, (long) Math.ceil(Math.max(wake, 0) * 1000));
      }
      it.remove();
      parkedNow++;
      log.debug("{}: experiment '{}' parked after {} ms without points", logdir, experiment, now - e.getValue());
    }
    if (!leaving.isEmpty()) {
      judge.evictAll(leaving);
      views.keySet().removeIf(k -> leaving.contains(k.substring(0, k.indexOf('\u0000'))));
    }
    if (parkedNow >= MANY_PARKED) {
      // After a backfill most experiments go idle at once: a full collection now lets the heap
      // shrink (the image runs SerialGC with MaxHeapFreeRatio and -ShrinkHeapInSteps, so at once)
      // and returns the memory to the OS, which an idle daemon would otherwise hold until its next
      // full collection, maybe never.
      log.info("{}: {} idle experiments left memory", logdir, parkedNow);
      System.gc();
    }
  }

  /** Brings back parked experiments whose time has come, for the next round's time rules. */
  private void wakeParked(long now) {
    if (parkedUntil.isEmpty()) {
      return;
    }
    List<String> due = new ArrayList<>();
    parkedUntil.forEach((experiment, at) -> {
      if (at <= now) {
        due.add(experiment);
      }
    });
    for (String experiment : due) {
      unpark(experiment);
      lastActivity.put(experiment, now);
      log.debug("{}: experiment '{}' back in memory for its time rules", logdir, experiment);
    }
  }

  /** Brings a parked experiment's judges back from the store before its new points. */
  private void unpark(String experiment) {
    parkedUntil.remove(experiment);
    Set<String> runs = parkedRuns.remove(experiment);
    parked.remove(experiment);
    if (runs == null) {
      return;
    }
    for (String run : runs) {
      try {
        for (Map.Entry<String, byte[]> e : store.seriesOfRun(run).entrySet()) {
          SeriesJudge j = judge.register(run, e.getKey());
          if (j == null) {
            continue;
          }
          try {
            JudgeStateCodec.read(e.getValue(), j);
          } catch (RuntimeException mismatch) {
            rereads.add(run);
          }
        }
      } catch (StateException e) {
        log.warn("{}: cannot bring back run '{}' ({}); reading it again", logdir, run, e.getMessage());
        rereads.add(run);
      }
    }
    log.debug("{}: experiment '{}' back in memory", logdir, experiment);
  }

  private void touch(String run) {
    String experiment = dev.plateau.verdict.Experiments.of(run);
    if (!parkedRuns.isEmpty() && parkedRuns.containsKey(experiment)) {
      unpark(experiment);
    }
    lastActivity.put(experiment, clock.millis());
  }

  /**
   * Commits what is pending. {@code whole}: every file position and every series state read since
   * the last commit (a checkpoint); otherwise only those of the experiments with a transition to
   * record (the rest waits for the checkpoint). Experiments are judged independently, so each
   * one's positions and states stay consistent with each other: after a crash, an experiment
   * left out is read again from its own last commit and decides the same. A transition on a
   * logdir of a thousand live runs used to save all their states (megabytes) at once.
   */
  private boolean commit(boolean whole) {
    unsavedSeries.addAll(judge.takeDirty());
    Set<String> only = null; // experiments to commit; null: all
    if (!whole) {
      only = new java.util.HashSet<>(pendingExperiments.keySet());
      for (RecordedVerdict v : pendingVerdicts) {
        only.add(v.experiment());
      }
      Set<String> tied = judge.notSelfContained();
      for (String experiment : only) {
        if (tied.contains(experiment)) {
          only = null; // paired with another experiment: both are committed, and so all
          break;
        }
      }
    }
    List<FileCursor> changed = new ArrayList<>();
    for (dev.plateau.tail.TailedFile file : tailer.files()) {
      FileCursor c = file.cursor();
      FileCursor before = committedCursors.get(c.path());
      if (c != before) {
        if (c.equals(before)) {
          committedCursors.put(c.path(), c); // the same from now on (restored cursors are copies)
        } else if (only == null || only.contains(dev.plateau.verdict.Experiments.of(c.run()))) {
          changed.add(c);
        }
      }
    }
    Map<String, byte[]> series = new LinkedHashMap<>();
    Map<String, byte[]> summaries = new HashMap<>();
    List<SeriesKey> saving = new ArrayList<>();
    for (SeriesKey key : unsavedSeries) {
      if (only != null && !only.contains(dev.plateau.verdict.Experiments.of(key.run()))) {
        continue;
      }
      saving.add(key);
      SeriesJudge j = judge.judgeOf(key.run(), key.tag());
      if (j != null) {
        String name = key.run() + '\u0000' + key.tag();
        series.put(name, JudgeStateCodec.write(j));
        summaries.put(name, JudgeStateCodec.summary(j));
        var run = judge.runs().get(key.run());
        var points = run == null ? null : run.byTag().get(key.tag());
        if (points != null) {
          views.put(key.run() + '\u0000' + key.tag(), SeriesView.of(points));
        }
      }
    }
    StateBatch batch =
        new StateBatch(
            changed,
            series,
            new LinkedHashMap<>(pendingExperiments),
            new ArrayList<>(pendingVerdicts),
            new HashMap<>(pendingSinks),
            new ArrayList<>(resetRuns),
            summaries);
    if (batch.isEmpty()) {
      if (only == null) {
        lastCommitMillis = clock.millis();
      }
      return true;
    }
    try {
      List<String> recorded = store.commit(batch);
      if (only == null) {
        lastCommitMillis = clock.millis(); // the checkpoint interval counts from whole commits
        unsavedSeries.clear();
      } else {
        saving.forEach(unsavedSeries::remove);
      }
      resetRuns.clear();
      for (FileCursor c : changed) {
        committedCursors.put(c.path(), c);
      }
      for (RecordedVerdict v : batch.verdicts()) {
        if (recorded.contains(v.id())) {
          metrics.verdict(v.status());
          log.info("{} {}: {} -> {} ({})", logdir, v.experiment(), v.previousStatus(), v.status(), v.id());
        } else {
          log.debug("{} {}: {} was recorded before (a round decided again)", logdir, v.experiment(), v.id());
        }
      }
      pendingVerdicts.clear();
      pendingSinks.clear();
      pendingExperiments.clear();
      uncommitted.clear();
      pendingFlags.forEach(
          (experiment, content) -> {
            try {
              flags.apply(experiment, Status.fromJsonName(content.path("status").asText()), content);
            } catch (RuntimeException unexpected) {
              // One experiment's flag never fails the round (the others' flags, the next rounds).
              log.warn("{}: flag for '{}' not written: {}", logdir, experiment, unexpected.toString());
            }
          });
      pendingFlags.clear();
      return true;
    } catch (StateException e) {
      // Everything stays pending, series states included: written again with the next round.
      log.error("{}; the round stays pending and is committed with the next one", e.getMessage());
      return false;
    }
  }

  /**
   * The state database deleted (or replaced) while running: commits would go to a file nobody can
   * open again, and a restart would send everything again. Said once; a new database is started at
   * the same path and filled from what is in memory: every experiment's status and transition
   * count (so nothing already sent is sent again), and every run read again from its files (their
   * judges' states, parked experiments' too, were in the lost file).
   */
  private void recoverLostState() {
    if (!store.lost()) {
      return;
    }
    log.warn("{}: state database {} was deleted or replaced while running; starting a new one from"
        + " what is in memory and the event files (nothing already sent is sent again)", logdir, store.file());
    try {
      store.recreate();
    } catch (StateException e) {
      log.error("{}: {}; trying again with the next round", logdir, e.getMessage());
      return;
    }
    Set<String> runs = new LinkedHashSet<>();
    for (dev.plateau.tail.TailedFile file : tailer.files()) {
      runs.add(file.run());
    }
    parkedRuns.values().forEach(runs::addAll);
    parked.clear();
    parkedRuns.clear();
    parkedUntil.clear();
    committedCursors.clear();
    rereads.addAll(runs);
    Map<String, ExperimentVerdict> byName = new HashMap<>();
    for (ExperimentVerdict v : published) {
      byName.put(v.experiment(), v);
    }
    for (Map.Entry<String, Status> e : experimentStatus.entrySet()) {
      String experiment = e.getKey();
      if (pendingExperiments.containsKey(experiment)) {
        continue; // a transition of this round: written with it
      }
      ExperimentVerdict v = byName.get(experiment);
      ObjectNode payload =
          v == null || v.series().isEmpty()
              ? JSON.createObjectNode()
              : dev.plateau.format.VerdictJson.of(AlertFactory.deciding(v));
      payload.put("experiment", experiment);
      payload.put("status", e.getValue().jsonName());
      pendingExperiments.put(
          experiment,
          new StateBatch.ExperimentStatus(
              e.getValue().jsonName(), payload.toString(), transitionCount.getOrDefault(experiment, 0L)));
    }
    wholePollNeeded = true;
  }

  /**
   * Runs deleted or renamed leave the judged set: their series and judges go from memory and
   * from the store (committed with this round), so no time rule judges them, no alert or flag is
   * made for them, and a restart does not bring them back; their verdicts stay in the history. An
   * experiment left without runs leaves the status page. A run that comes back is a new run.
   */
  private void dropGoneRuns() {
    if (goneRuns.isEmpty()) {
      return;
    }
    Set<String> gone = new LinkedHashSet<>(goneRuns);
    goneRuns.clear();
    judge.evictAll(gone);
    Set<String> experiments = new LinkedHashSet<>();
    for (String run : gone) {
      experiments.add(dev.plateau.verdict.Experiments.of(run));
      unsavedSeries.removeIf(k -> k.run().equals(run));
      committedCursors.values().removeIf(c -> c.run().equals(run));
      resetRuns.add(run);
      rereads.remove(run);
    }
    Map<String, Set<String>> inMemory = judge.runsByExperiment();
    for (String experiment : experiments) {
      Set<String> parkedOf = parkedRuns.get(experiment);
      if (parkedOf != null) {
        parkedOf.removeAll(gone);
      }
      boolean left = inMemory.containsKey(experiment) || (parkedOf != null && !parkedOf.isEmpty());
      if (!left) {
        parked.remove(experiment);
        parkedRuns.remove(experiment);
        parkedUntil.remove(experiment);
        lastActivity.remove(experiment);
        pendingFlags.remove(experiment);
        log.info("{}: experiment '{}' has no runs left; it leaves the judged set (its verdicts stay in the history)",
            logdir, experiment);
      }
    }
    lastPublishMillis = Long.MIN_VALUE / 2; // the status page's copy is refreshed at the end of this round
  }

  /** Sets the runs asked for to be read again; returns how many. */
  private int applyRereads() {
    Set<String> all = new LinkedHashSet<>();
    for (String run : rereads) {
      all.add(run);
      all.addAll(judge.runsPairedWith(run));
    }
    for (String run : all) {
      log.info("{}: reading run '{}' again from its files' start", logdir, run);
      tailer.rereadRun(run);
      judge.forgetRun(run);
      unsavedSeries.removeIf(k -> k.run().equals(run));
      committedCursors.values().removeIf(c -> c.run().equals(run));
      resetRuns.add(run);
    }
    rereads.clear();
    return all.size();
  }

  private final WarningLimiter warnings = new WarningLimiter(5, 60_000);
  /** Steps going back, per series: a writer that always logs step 0 must not flood the log. */
  private final WarningLimiter rewinds = new WarningLimiter(5, 60_000);

  /** Feeds what the tailer reads into the judge. */
  private final class Feed implements TailListener {
    @Override
    public void problem(dev.plateau.tail.TailProblem problem) {
      WarningLimiter.Decision d = warnings.offer(problem.file().toString(), clock.millis());
      if (d.suppressedBefore() > 0) {
        log.warn("{}: {} more warnings in the last minute were not logged", problem.file(), d.suppressedBefore());
      }
      if (d.log()) {
        log.warn(problem.message());
      }
    }

    @Override
    public void scalar(ScalarPoint point) {
      if (Double.isNaN(newestWallTime) || point.wallTime() > newestWallTime) {
        newestWallTime = point.wallTime();
      }
      touch(point.run());
      if (!rereads.contains(point.run())) {
        long last = judge.lastStepOf(point.run(), point.tag());
        judge.observe(point);
        if (point.step() <= last) {
          wentBack(point, last);
        }
      }
    }

    /** A watched series' step went back: the restart rule replaces points; the user should know. */
    private void wentBack(ScalarPoint point, long last) {
      String key = "run '" + point.run() + "' tag '" + point.tag() + "'";
      WarningLimiter.Decision d = rewinds.offer(key, clock.millis());
      if (d.suppressedBefore() > 0) {
        log.info("{}: {}: {} more steps going back in the last minute were not logged", logdir, key, d.suppressedBefore());
      }
      if (d.log()) {
        log.info(
            "{}: {} goes back from step {} to step {} (file {}); its points from step {} on are"
                + " replaced, as after a restart from a checkpoint",
            logdir, key, last, point.step(), point.file(), point.step());
      }
    }

    @Override
    public void fileReset(String run, String file, String reason) {
      // The file's points come again, but the run's later files were read after them: fed alone,
      // the restart rule would take the repeated steps for a rewind and drop the later points.
      // Reading the whole run again keeps every file's points in order.
      rereads.add(run);
    }

    @Override
    public void runGone(String run, Path directory) {
      log.info("{}: run '{}' is gone ({} no longer exists); it is no longer judged", logdir, run, directory);
      goneRuns.add(run);
    }

    @Override
    public void sessionStart(String run, String file, long step) {
      touch(run);
      judge.sessionStart(run, step);
    }
  }

  /** Turns experiment transitions into recorded verdicts, deliveries and flag updates. */
  private final class Transitions implements VerdictListener {
    @Override
    public void seriesTransition(Verdict previous, Verdict current) {
      log.debug("{} {} {}: {} ({})", logdir, current.run(), current.tag(), current.status().jsonName(), current.reason());
    }

    @Override
    public void runTransition(ExperimentVerdict previous, ExperimentVerdict current) {
      Status before = experimentStatus.getOrDefault(current.experiment(), Status.TRAINING);
      if (before == current.status() || current.series().isEmpty()) {
        return;
      }
      Uncommitted open = uncommitted.remove(current.experiment());
      if (open != null) {
        // Changed already since the last commit: the change recorded is from the committed status.
        pendingVerdicts.removeIf(v -> v.id().equals(open.verdictId()));
        pendingSinks.remove(open.verdictId());
        transitionCount.put(current.experiment(), open.sequence());
        before = open.committed();
        if (before == current.status()) {
          experimentStatus.put(current.experiment(), before);
          pendingExperiments.remove(current.experiment());
          pendingFlags.remove(current.experiment());
          log.debug("{} {}: back to {} before the change was committed; nothing recorded", logdir, current.experiment(), before.jsonName());
          return;
        }
      }
      experimentStatus.put(current.experiment(), current.status());
      long sequenceBefore = transitionCount.getOrDefault(current.experiment(), 0L);
      long sequence = transitionCount.merge(current.experiment(), 1L, Long::sum);
      Alert alert = alerts.alert(current, before, sequence, clock.instant(), judge.runs());
      String payload = alert.payload().toString();
      Verdict deciding = AlertFactory.deciding(current);
      pendingVerdicts.add(
          new RecordedVerdict(
              alert.id(),
              current.experiment(),
              current.status().jsonName(),
              before.jsonName(),
              deciding.decidedAtStep(),
              payload));
      List<String> to = new ArrayList<>();
      for (AlertSink sink : sinks) {
        if (sink.accepts(current.status())) {
          to.add(sink.name());
        }
      }
      pendingSinks.put(alert.id(), to);
      pendingExperiments.put(
          current.experiment(),
          new StateBatch.ExperimentStatus(current.status().jsonName(), payload, sequence));
      pendingFlags.put(current.experiment(), alert.payload());
      uncommitted.put(current.experiment(), new Uncommitted(before, sequenceBefore, alert.id()));
    }

    @Override
    public void problem(String message) {
      log.warn("{}: {}", logdir, message);
    }

    @Override
    public void rereadNeeded(String run) {
      rereads.add(run);
    }
  }
}
