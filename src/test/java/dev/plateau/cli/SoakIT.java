package dev.plateau.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IntSummaryStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak test: writer threads append to many runs of every kind while a webhook receiver is now
 * and then slow, answering 503 or 429, or down, and the real daemon ({@code target/plateau.jar},
 * with the container image's JVM options) is SIGKILLed at random moments and started again. When
 * everything is written and the daemon has gone quiet, it checks that:
 *
 * <ul>
 *   <li>exactly once by webhook-id: the receiver acknowledged every verdict the daemon recorded
 *       once under its id, none is missing and no id is unknown. The receiver drops a repeated id
 *       as a duplicate (as docs/alerts-and-sinks.md tells receivers to), and a duplicate is allowed
 *       only where a SIGKILL fell between the receiver's 200 and the daemon's record of it (the
 *       at-least-once window that the stable id is there for): the 200 answered the last request
 *       the killed process sent, and it had not logged the delivery; so at most one per kill;
 *   <li>the verdicts are the expected ones: each experiment's verdicts, in the order recorded,
 *       start from {@code training} and each starts from the status the one before ended in (none
 *       left out, none repeated), there are as many as the experiment counted transitions, and the
 *       receiver acknowledged each with the status recorded;
 *   <li>each experiment's final status, in the state and in its last delivered verdict, is what the
 *       one-shot {@code plateau check} says about the finished logdir;
 *   <li>no daemon process ended on its own, and the last one stops cleanly on SIGTERM;
 *   <li>memory stayed bounded: the peak resident set (VmHWM) of every process stayed under {@value
 *       #RSS_BOUND_MB} MB. That is the benchmark suite's goal for a daemon watching 1,000 live runs
 *       of 20 tags (BenchSuite, 5b); the soak has at most a few dozen runs live at a time but a
 *       history that grows with its length (some 70 runs a minute), and experiments idle for {@code
 *       --park-after} leave memory, so a daemon that needs more holds on to history: a leak. The
 *       JVM runs with the container image's options (SerialGC, a heap that shrinks), so the
 *       resident set follows the live heap. (Not yet so: a validation series that never met a
 *       training twin, like the runs here that log only {@code val_loss}, is never parked, so each
 *       process's peak, in the report, grows with the history: from 107 to 171 MB over 8 minutes of
 *       writing, 518 experiments. Far below the bound in CI; how near an hour takes it is what the
 *       long run is for);
 *   <li>no descriptors leaked: between the first and the last sample of each process the count grew
 *       by at most {@value #FD_SLACK} (connections to the receiver and HTTP clients come and go; a
 *       leak per file, round or delivery grows without bound);
 *   <li>the outbox ends empty of pending entries and holds one entry per verdict.
 * </ul>
 *
 * <p>Besides the defaults, the daemons run with {@code --park-after} of {@value
 * #PARK_AFTER_SECONDS} s, so that finished experiments leave memory and restarted jobs (which pause
 * longer than that) bring theirs back; quiet rounds commit at the default checkpoint interval (30
 * s), so most kills lose uncommitted rounds that the next process reads again.
 *
 * <p>About 75 s on an idle 2-core machine (40 s of writing, then the runs under way are finished);
 * {@code -Dplateau.soak.minutes=60} writes for an hour (CONTRIBUTING.md "Soak test"). Nothing waits
 * for a fixed time that assumes a fast machine: the kills go on until there were {@value
 * #MIN_KILLS}, and the end waits for the state to settle. The figures are printed and written to
 * {@code target/soak-report.txt}.
 */
class SoakIT {
  static final long SEED = Long.getLong("plateau.soak.seed", 20261124L);
  static final Duration WRITE_FOR =
      System.getProperty("plateau.soak.minutes") != null
          ? Duration.ofMinutes(Long.getLong("plateau.soak.minutes"))
          : Duration.ofSeconds(Long.getLong("plateau.soak.seconds", 40));
  static final int WRITERS = Integer.getInteger("plateau.soak.writers", 4);
  static final int RUNS_PER_WRITER = 3;
  static final int RSS_BOUND_MB = 256;
  static final int FD_SLACK = 8;
  static final int MIN_KILLS = 3;
  static final long PARK_AFTER_SECONDS = 5;

  /** Long enough for the longest retry delay (5 min, RetryPolicy) and reading what is left. */
  static final Duration QUIET_LIMIT = Duration.ofMinutes(10);

  private static final ObjectMapper JSON = new ObjectMapper();

  static final String CONFIG =
      """
      rules:
        - tag: "val_acc"
          mode: max
          detectors: [divergence, target, plateau]
          target: {value: 0.9}
      webhook:
        statuses: [all]
      """;

  @Test
  void killedDaemonUnderAFlakyReceiverDeliversEveryVerdictOnceWithBoundedMemoryDescriptorsAndOutbox(
      @TempDir Path temp) throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    // The image's temporary directory is its state volume: it must exist before the JVM starts.
    Path state = Files.createDirectories(temp.resolve("state"));
    Path config = Files.writeString(temp.resolve("plateau.yaml"), CONFIG);
    Path jar = Path.of(System.getProperty("plateau.jar", "target/plateau.jar"));
    List<String> jvm = dev.plateau.daemon.ImageJvmOptions.of(state);
    Random random = new Random(SEED);
    List<SoakDaemon> daemons = new ArrayList<>();
    AtomicReference<SoakDaemon> current = new AtomicReference<>();
    AtomicLong maxStateBytes = new AtomicLong();
    List<String> unexpectedExits = new ArrayList<>();
    long began = System.nanoTime();

    try (FlakyReceiver receiver = new FlakyReceiver()) {
      SoakWriters writers =
          new SoakWriters(
              logdir,
              WRITERS,
              RUNS_PER_WRITER,
              SEED,
              WRITE_FOR,
              Duration.ofSeconds(PARK_AFTER_SECONDS + 1));
      Thread sampler = thread("soak-sampler", () -> sample(current, state, maxStateBytes));
      BooleanSupplier daemonUp =
          () -> {
            SoakDaemon d = current.get();
            return d != null && d.ready() && d.alive() && !d.killed();
          };
      Thread chaos =
          thread("soak-chaos", () -> misbehave(receiver, writers, daemonUp, new Random(SEED + 1)));
      writers.start();
      sampler.start();
      chaos.start();

      int kills = 0;
      // On a slow machine a process may take many seconds to get ready: the kills go on after
      // the writers are done until there were enough of them.
      while (writers.alive() || kills < MIN_KILLS) {
        SoakDaemon d =
            startDaemon(daemons, current, jar, jvm, logdir, state, config, receiver, temp);
        // Killed at a random moment: now and then while it starts up, mostly within seconds of
        // getting ready, sometimes after a long life (descriptors and memory watched over time).
        int draw = random.nextInt(8);
        if (draw == 0) {
          Thread.sleep(random.nextInt(3000));
        } else {
          d.awaitReady(Duration.ofMinutes(2));
          Thread.sleep(draw < 3 ? longLife(random) : 1000 + random.nextInt(7000));
        }
        if (!d.alive()) {
          unexpectedExits.add(
              "process " + d.index + " exited with " + d.exitedOnItsOwn() + "; log " + d.log);
        }
        d.kill();
        kills++;
        Thread.sleep(random.nextInt(1000));
      }
      writers.join();
      chaos.join();
      double writingSeconds = (System.nanoTime() - began) / 1e9;

      SoakDaemon last =
          startDaemon(daemons, current, jar, jvm, logdir, state, config, receiver, temp);
      assertThat(last.awaitReady(Duration.ofMinutes(2))).as("the last process got ready").isTrue();
      Quiet quiet = awaitQuiet(logdir, state, QUIET_LIMIT);
      last.sample();
      long stateBytesAtQuiet = stateBytes(state);
      long walBytesAtQuiet = walBytes(state);
      sampler.interrupt();
      sampler.join();
      if (!last.alive()) {
        unexpectedExits.add("the last process exited with " + last.exitedOnItsOwn());
      }
      int lastExit = last.stop();

      // What the daemon recorded, what the receiver accepted, what a one-shot check says.
      Recorded recorded = Recorded.read(stateFile(state));
      JsonNode check = check(logdir, config);
      List<FlakyReceiver.Answer> answers = receiver.answers();
      Map<String, List<FlakyReceiver.Answer>> acknowledged =
          answers.stream()
              .filter(FlakyReceiver.Answer::acknowledged)
              .collect(
                  Collectors.groupingBy(
                      FlakyReceiver.Answer::id, TreeMap::new, Collectors.toList()));

      Set<String> expected = recorded.verdicts.keySet();
      Set<String> missing = new TreeSet<>(expected);
      missing.removeAll(acknowledged.keySet());
      Set<String> unknown = new TreeSet<>(acknowledged.keySet());
      unknown.removeAll(expected);
      List<String> acknowledgedTwice = new ArrayList<>();
      List<String> wrongStatus = new ArrayList<>();
      for (Map.Entry<String, List<FlakyReceiver.Answer>> e : acknowledged.entrySet()) {
        if (e.getValue().size() != 1) {
          acknowledgedTwice.add(e.getKey() + " x" + e.getValue().size());
        }
        Verdict v = recorded.verdicts.get(e.getKey());
        if (v != null && !v.status.equals(e.getValue().get(0).verdictStatus())) {
          wrongStatus.add(
              e.getKey()
                  + ": recorded "
                  + v.status
                  + ", received "
                  + e.getValue().get(0).verdictStatus());
        }
      }
      List<String> explained = new ArrayList<>();
      List<String> unexplained = new ArrayList<>();
      Map<String, List<FlakyReceiver.Answer>> accepted =
          answers.stream()
              .filter(FlakyReceiver.Answer::accepted)
              .sorted(Comparator.comparingLong(FlakyReceiver.Answer::arrivedNanos))
              .collect(
                  Collectors.groupingBy(
                      FlakyReceiver.Answer::id, TreeMap::new, Collectors.toList()));
      for (Map.Entry<String, List<FlakyReceiver.Answer>> e : accepted.entrySet()) {
        String id = e.getKey();
        for (int i = 1; i < e.getValue().size(); i++) {
          FlakyReceiver.Answer before = e.getValue().get(i - 1);
          SoakDaemon sender = senderOf(daemons, before.arrivedNanos());
          // The worker sends one request at a time and records a 200 before it sends the next:
          // a 200 it never recorded is one that the kill cut off, so it was the process's last.
          boolean inWindow =
              sender != null
                  && sender.killed()
                  && !sender.loggedDelivered(id)
                  && answers.stream()
                      .noneMatch(
                          a ->
                              a.arrivedNanos() > before.arrivedNanos()
                                  && senderOf(daemons, a.arrivedNanos()) == sender);
          String what =
              id
                  + " (200 to process "
                  + indexOf(sender)
                  + ", sent again by process "
                  + indexOf(senderOf(daemons, e.getValue().get(i).arrivedNanos()))
                  + ")";
          (inWindow ? explained : unexplained).add(what);
        }
      }
      List<String> brokenChains = recorded.brokenChains();

      Map<String, String> checkStatus = new TreeMap<>();
      for (JsonNode run : check.get("runs")) {
        checkStatus.put(run.get("run").asText(), run.get("status").asText());
      }
      Map<String, String> stateStatus = new TreeMap<>();
      Map<String, String> lastDelivered = new TreeMap<>();
      for (String experiment : checkStatus.keySet()) {
        Experiment x = recorded.experiments.get(experiment);
        stateStatus.put(experiment, x == null ? "training" : x.status);
        lastDelivered.put(experiment, recorded.lastVerdictStatus(experiment));
      }
      Map<String, String> lastDeliveredExpected = new TreeMap<>(checkStatus);
      lastDeliveredExpected.replaceAll(
          (experiment, status) ->
              status.equals("training") && recorded.lastVerdictStatus(experiment).equals("none")
                  ? "none"
                  : status);

      List<SoakDaemon.Sample> samples =
          daemons.stream().flatMap(d -> d.samples().stream()).toList();
      long peakRssKb = samples.stream().mapToLong(SoakDaemon.Sample::peakRssKb).max().orElse(-1);
      int fdMin = samples.stream().mapToInt(SoakDaemon.Sample::fds).min().orElse(-1);
      int fdMax = samples.stream().mapToInt(SoakDaemon.Sample::fds).max().orElse(-1);
      long outboxMax =
          samples.stream().mapToLong(SoakDaemon.Sample::outboxPending).max().orElse(-1);
      Map<Integer, Integer> fdGrowth = new TreeMap<>();
      Map<Integer, String> fdRange = new TreeMap<>();
      Map<Integer, Long> peakMbByProcess = new TreeMap<>();
      for (SoakDaemon d : daemons) {
        List<SoakDaemon.Sample> own = d.samples();
        if (own.size() >= 2) {
          fdGrowth.put(d.index, own.get(own.size() - 1).fds() - own.get(0).fds());
        }
        if (!own.isEmpty()) {
          peakMbByProcess.put(
              d.index, own.stream().mapToLong(SoakDaemon.Sample::peakRssKb).max().orElse(0) / 1024);
          IntSummaryStatistics fds =
              own.stream().mapToInt(SoakDaemon.Sample::fds).summaryStatistics();
          fdRange.put(d.index, fds.getMin() + ".." + fds.getMax());
        }
      }
      SoakDaemon longest =
          daemons.stream().max(Comparator.comparingInt(d -> d.samples().size())).orElseThrow();
      Map<String, Long> answerCounts =
          answers.stream()
              .collect(
                  Collectors.groupingBy(
                      a -> a.mode() + " " + a.status(), TreeMap::new, Collectors.counting()));
      long retries = 0;
      for (SoakDaemon d : daemons) {
        retries +=
            Files.readAllLines(d.log, StandardCharsets.ISO_8859_1).stream()
                .filter(l -> l.contains(" not delivered ("))
                .count();
      }
      Map<String, Long> statuses =
          recorded.verdicts.values().stream()
              .collect(Collectors.groupingBy(v -> v.status, TreeMap::new, Collectors.counting()));

      String report =
          String.join(
              "\n",
              String.format(
                  Locale.ROOT,
                  "soak: seed %d, %d writers x %d runs at a time, writing for %s (%.0f s with the last runs), %.0f s in all",
                  SEED,
                  WRITERS,
                  RUNS_PER_WRITER,
                  WRITE_FOR,
                  writingSeconds,
                  (System.nanoTime() - began) / 1e9),
              String.format(
                  Locale.ROOT,
                  "written: %d runs, %d event files, %d points",
                  writers.runs(),
                  writers.files(),
                  writers.points()),
              String.format(
                  Locale.ROOT,
                  "daemon: %d processes, %d SIGKILLs (%d before it was ready), last stopped by SIGTERM with exit %d; ready after %s s; quiet %.1f s after the last was ready",
                  daemons.size(),
                  kills,
                  daemons.stream().filter(d -> d.killed() && !d.ready()).count(),
                  lastExit,
                  daemons.stream()
                      .filter(SoakDaemon::ready)
                      .map(d -> String.format(Locale.ROOT, "%.1f", d.readySeconds()))
                      .toList(),
                  quiet.seconds),
              String.format(
                  Locale.ROOT,
                  "receiver: mode changes %s; answers by mode and status %s (0: the connection broke first); %d failed attempts retried by the daemons",
                  receiver.modeChanges(),
                  answerCounts,
                  retries),
              String.format(
                  Locale.ROOT,
                  "verdicts: %d expected (state: %s), %d acknowledged (%d of them more than once), %d missing, %d unknown, %d with another status, %d broken chains %s",
                  expected.size(),
                  statuses,
                  acknowledged.size(),
                  acknowledgedTwice.size(),
                  missing.size(),
                  unknown.size(),
                  wrongStatus.size(),
                  brokenChains.size(),
                  brokenChains),
              String.format(
                  Locale.ROOT,
                  "duplicates dropped by webhook-id: %d after a SIGKILL between the 200 and its commit %s, %d otherwise %s",
                  explained.size(),
                  explained,
                  unexplained.size(),
                  unexplained),
              String.format(
                  Locale.ROOT,
                  "memory: peak resident %.1f MB (VmHWM, bound %d MB), %d samples; peak MB per process %s",
                  peakRssKb / 1024.0,
                  RSS_BOUND_MB,
                  samples.size(),
                  peakMbByProcess),
              String.format(
                  Locale.ROOT,
                  "descriptors: min %d, max %d; per process min..max %s; growth first->last sample per process %s (bound %d); longest-lived process %d: %d samples over %.0f s",
                  fdMin,
                  fdMax,
                  fdRange,
                  fdGrowth,
                  FD_SLACK,
                  longest.index,
                  longest.samples().size(),
                  longest.samples().isEmpty()
                      ? 0.0
                      : (longest.samples().get(longest.samples().size() - 1).atNanos()
                              - longest.samples().get(0).atNanos())
                          / 1e9),
              String.format(
                  Locale.ROOT,
                  "outbox: max %d pending (plateau_outbox_pending samples); at the end %s, %d entries for %d verdicts",
                  outboxMax,
                  recorded.outboxStates,
                  recorded.outboxRows,
                  recorded.verdicts.size()),
              String.format(
                  Locale.ROOT,
                  "state database: %.1f KB at quiet (%.1f KB of it WAL), at most %.1f KB during the soak; %d experiments",
                  stateBytesAtQuiet / 1024.0,
                  walBytesAtQuiet / 1024.0,
                  maxStateBytes.get() / 1024.0,
                  recorded.experiments.size()));
      System.out.println(report);
      Files.createDirectories(Path.of("target"));
      Files.writeString(Path.of("target", "soak-report.txt"), report + "\n");
      String context = report + "\nlast log lines:\n" + tail(last.log, 40);

      assertThat(unexpectedExits).as(context).isEmpty();
      assertThat(lastExit).as(context).isZero();
      assertThat(kills).as(context).isGreaterThanOrEqualTo(MIN_KILLS);
      assertThat(retries).as("the daemons met the receiver's failures\n" + context).isPositive();
      assertThat(statuses.keySet())
          .as(context)
          .contains("converged", "diverged", "target_reached", "overfitting");
      assertThat(missing).as(context).isEmpty();
      assertThat(unknown).as(context).isEmpty();
      assertThat(acknowledgedTwice).as(context).isEmpty();
      assertThat(wrongStatus).as(context).isEmpty();
      assertThat(unexplained).as(context).isEmpty();
      assertThat(explained.size()).as(context).isLessThanOrEqualTo(kills);
      assertThat(recorded.transitionsMatchVerdicts()).as(context).isTrue();
      assertThat(brokenChains).as(context).isEmpty();
      assertThat(stateStatus)
          .as("final statuses in the state vs plateau check\n" + context)
          .isEqualTo(checkStatus);
      assertThat(lastDelivered)
          .as("last delivered status vs plateau check\n" + context)
          .isEqualTo(lastDeliveredExpected);
      assertThat(recorded.experiments.keySet()).as(context).isSubsetOf(checkStatus.keySet());
      assertThat(peakRssKb).as(context).isPositive().isLessThan(RSS_BOUND_MB * 1024L);
      assertThat(fdGrowth).as(context).isNotEmpty();
      assertThat(fdGrowth.values()).as(context).allMatch(growth -> growth <= FD_SLACK);
      assertThat(recorded.outboxStates).as(context).containsOnlyKeys("delivered");
      assertThat(recorded.outboxRows).as(context).isEqualTo(recorded.verdicts.size());
    }
  }

  // ---- the moving parts ---------------------------------------------------------------------

  static SoakDaemon startDaemon(
      List<SoakDaemon> daemons,
      AtomicReference<SoakDaemon> current,
      Path jar,
      List<String> jvm,
      Path logdir,
      Path state,
      Path config,
      FlakyReceiver receiver,
      Path temp)
      throws IOException, InterruptedException {
    int index = daemons.size();
    SoakDaemon d =
        SoakDaemon.start(
            index,
            jar,
            jvm,
            logdir,
            state,
            config,
            receiver.url(),
            List.of("--park-after", PARK_AFTER_SECONDS + "s"),
            temp.resolve("watch-" + index + ".log"));
    daemons.add(d);
    current.set(d);
    return d;
  }

  /** A long life: a tenth to three tenths of the writing time, at least 10 s. */
  static long longLife(Random random) {
    return Math.max(10_000, (long) (WRITE_FOR.toMillis() * (0.1 + 0.2 * random.nextDouble())));
  }

  /** Samples the current process every half second once it is ready. */
  static void sample(AtomicReference<SoakDaemon> current, Path state, AtomicLong maxStateBytes) {
    while (!Thread.currentThread().isInterrupted()) {
      SoakDaemon d = current.get();
      if (d != null && d.alive() && d.probeReady()) {
        d.sample();
      }
      maxStateBytes.accumulateAndGet(stateBytes(state), Math::max);
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * Changes the receiver's behaviour every few seconds while the writers write; then OK. The
   * seconds count only while a daemon is up: on a slow machine the processes spend much of their
   * short lives starting, and a receiver misbehaving while nobody sends tests nothing.
   */
  static void misbehave(
      FlakyReceiver receiver, SoakWriters writers, BooleanSupplier daemonUp, Random random) {
    try {
      while (writers.alive()) {
        int draw = random.nextInt(100);
        FlakyReceiver.Mode mode =
            draw < 55
                ? FlakyReceiver.Mode.OK
                : draw < 67
                    ? FlakyReceiver.Mode.SLOW
                    : draw < 79
                        ? FlakyReceiver.Mode.UNAVAILABLE
                        : draw < 87 ? FlakyReceiver.Mode.TOO_MANY : FlakyReceiver.Mode.DOWN;
        receiver.mode(mode);
        long span =
            mode == FlakyReceiver.Mode.OK
                ? 1000 + random.nextInt(3000)
                : 500 + random.nextInt(2000);
        for (long up = 0; up < span && writers.alive(); ) {
          Thread.sleep(100);
          up += daemonUp.getAsBoolean() ? 100 : 0;
        }
      }
      receiver.mode(FlakyReceiver.Mode.OK);
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException("the receiver could not change its behaviour", e);
    }
  }

  static Thread thread(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    return t;
  }

  /** The process that was running when a request arrived (they run one after another). */
  static SoakDaemon senderOf(List<SoakDaemon> daemons, long arrivedNanos) {
    for (SoakDaemon d : daemons) {
      if (d.startedNanos <= arrivedNanos && arrivedNanos <= d.endedNanos()) {
        return d;
      }
    }
    return null;
  }

  static String indexOf(SoakDaemon d) {
    return d == null ? "?" : Integer.toString(d.index);
  }

  // ---- quiet: everything read, recorded and delivered -----------------------------------------

  record Quiet(double seconds) {}

  /**
   * Waits until every event file is read to its end (its stored offset is its size), nothing is
   * pending in the outbox, and the number of verdicts has not changed for three seconds.
   */
  static Quiet awaitQuiet(Path logdir, Path state, Duration limit) throws Exception {
    long start = System.nanoTime();
    long deadline = start + limit.toNanos();
    long stableSince = -1;
    long lastVerdicts = -1;
    String why = "no state yet";
    while (System.nanoTime() < deadline) {
      try {
        Path db = stateFile(state);
        Map<Path, Long> offsets = new TreeMap<>();
        long verdicts;
        long pending;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
            Statement s = c.createStatement()) {
          s.execute("PRAGMA busy_timeout=5000");
          try (ResultSet r = s.executeQuery("SELECT path, offset FROM files")) {
            while (r.next()) {
              Path p = Path.of(r.getString(1));
              offsets.put(p.isAbsolute() ? p : logdir.resolve(p), r.getLong(2));
            }
          }
          verdicts = single(s, "SELECT count(*) FROM verdicts");
          pending = single(s, "SELECT count(*) FROM outbox WHERE state = 'pending'");
        }
        List<Path> unread = new ArrayList<>();
        for (Path file : eventFiles(logdir)) {
          Long offset = offsets.get(file.toAbsolutePath().normalize());
          if (offset == null || offset != Files.size(file)) {
            unread.add(file);
          }
        }
        boolean settled = unread.isEmpty() && pending == 0 && verdicts == lastVerdicts;
        why =
            unread.size()
                + " files not read to the end, "
                + pending
                + " deliveries pending, "
                + verdicts
                + " verdicts";
        lastVerdicts = verdicts;
        if (!settled) {
          stableSince = -1;
        } else if (stableSince < 0) {
          stableSince = System.nanoTime();
        } else if (System.nanoTime() - stableSince > 3_000_000_000L) {
          return new Quiet((System.nanoTime() - start) / 1e9);
        }
      } catch (IOException | SQLException notYet) {
        why = notYet.toString();
        stableSince = -1;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("the daemon did not go quiet within " + limit + ": " + why);
  }

  static List<Path> eventFiles(Path logdir) throws IOException {
    try (Stream<Path> walk = Files.walk(logdir)) {
      return walk.filter(p -> p.getFileName().toString().contains("tfevents"))
          .map(p -> p.toAbsolutePath().normalize())
          .toList();
    }
  }

  static Path stateFile(Path state) throws IOException {
    try (Stream<Path> files = Files.list(state)) {
      return files
          .filter(
              p ->
                  p.getFileName().toString().startsWith("state-")
                      && p.getFileName().toString().endsWith(".db"))
          .findFirst()
          .orElseThrow(() -> new IOException("no state database in " + state + " yet"));
    }
  }

  /** The database with its WAL and shared-memory files, in bytes (0 before it exists). */
  static long stateBytes(Path state) {
    long total = 0;
    try (Stream<Path> files = Files.list(state)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (p.getFileName().toString().startsWith("state-")) {
          total += Files.size(p);
        }
      }
    } catch (IOException gone) {
      // Not there yet, or a side file vanished while listing: counted next time.
    }
    return total;
  }

  /** The write-ahead log alone, in bytes. */
  static long walBytes(Path state) {
    try (Stream<Path> files = Files.list(state)) {
      long total = 0;
      for (Path p : (Iterable<Path>) files::iterator) {
        String name = p.getFileName().toString();
        if (name.startsWith("state-") && name.endsWith("-wal")) {
          total += Files.size(p);
        }
      }
      return total;
    } catch (IOException gone) {
      return 0;
    }
  }

  static long single(Statement s, String query) throws SQLException {
    try (ResultSet r = s.executeQuery(query)) {
      return r.next() ? r.getLong(1) : 0;
    }
  }

  // ---- what was recorded, and what check says ---------------------------------------------------

  record Verdict(String experiment, String status, String previous, long order) {}

  record Experiment(String status, long transitions) {}

  /** The state database's verdicts, experiments and outbox after the daemon stopped. */
  record Recorded(
      Map<String, Verdict> verdicts,
      Map<String, Experiment> experiments,
      Map<String, Long> outboxStates,
      long outboxRows) {

    static Recorded read(Path db) throws SQLException {
      Map<String, Verdict> verdicts = new LinkedHashMap<>();
      Map<String, Experiment> experiments = new TreeMap<>();
      Map<String, Long> outbox = new TreeMap<>();
      long rows = 0;
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
          Statement s = c.createStatement()) {
        try (ResultSet r =
            s.executeQuery(
                "SELECT id, experiment, status, previous_status, rowid FROM verdicts ORDER BY rowid")) {
          while (r.next()) {
            verdicts.put(
                r.getString(1),
                new Verdict(r.getString(2), r.getString(3), r.getString(4), r.getLong(5)));
          }
        }
        try (ResultSet r =
            s.executeQuery("SELECT experiment, status, transitions FROM experiments")) {
          while (r.next()) {
            experiments.put(r.getString(1), new Experiment(r.getString(2), r.getLong(3)));
          }
        }
        try (ResultSet r = s.executeQuery("SELECT state, count(*) FROM outbox GROUP BY state")) {
          while (r.next()) {
            outbox.put(r.getString(1), r.getLong(2));
            rows += r.getLong(2);
          }
        }
      }
      return new Recorded(verdicts, experiments, outbox, rows);
    }

    /** The status of the experiment's newest verdict, or "none". */
    String lastVerdictStatus(String experiment) {
      return verdicts.values().stream()
          .filter(v -> v.experiment.equals(experiment))
          .max(Comparator.comparingLong(Verdict::order))
          .map(Verdict::status)
          .orElse("none");
    }

    /**
     * Experiments whose verdicts, in the order recorded, do not start from {@code training} and go
     * on from each status to the next another one: a verdict lost, repeated or decided twice.
     */
    List<String> brokenChains() {
      Map<String, List<Verdict>> byExperiment =
          verdicts.values().stream()
              .sorted(Comparator.comparingLong(Verdict::order))
              .collect(
                  Collectors.groupingBy(Verdict::experiment, TreeMap::new, Collectors.toList()));
      List<String> broken = new ArrayList<>();
      for (Map.Entry<String, List<Verdict>> e : byExperiment.entrySet()) {
        String before = "training";
        for (Verdict v : e.getValue()) {
          if (!before.equals(v.previous) || v.status.equals(v.previous)) {
            broken.add(
                e.getKey()
                    + ": "
                    + e.getValue().stream().map(x -> x.previous + "->" + x.status).toList());
            break;
          }
          before = v.status;
        }
      }
      return broken;
    }

    /** Nothing pruned or lost: each experiment has as many verdicts as it counted transitions. */
    boolean transitionsMatchVerdicts() {
      Map<String, Long> counted =
          verdicts.values().stream()
              .collect(Collectors.groupingBy(Verdict::experiment, Collectors.counting()));
      return experiments.entrySet().stream()
          .allMatch(e -> e.getValue().transitions == counted.getOrDefault(e.getKey(), 0L));
    }
  }

  /** {@code plateau check LOGDIR --config CONFIG --format json}, the one-shot command. */
  static JsonNode check(Path logdir, Path config) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    int exit =
        Main.run(
            out,
            new PrintWriter(err, true),
            "check",
            logdir.toString(),
            "--config",
            config.toString(),
            "--format",
            "json");
    assertThat(exit).as(err.toString()).isIn(0, 1, 3);
    return JSON.readTree(out.toString(StandardCharsets.UTF_8));
  }

  static String tail(Path log, int lines) throws IOException {
    List<String> all = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }
}
