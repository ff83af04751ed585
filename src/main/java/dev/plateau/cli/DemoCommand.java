package dev.plateau.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plateau.config.DurationText;
import dev.plateau.config.PlateauConfig;
import dev.plateau.daemon.Daemon;
import dev.plateau.daemon.FlagApplier;
import dev.plateau.daemon.Watcher;
import dev.plateau.detect.Status;
import dev.plateau.format.TextTable;
import dev.plateau.sink.FlagConfig;
import dev.plateau.sink.FlagOutcome;
import dev.plateau.sink.FlagSink;
import dev.plateau.state.StateException;
import dev.plateau.state.StateStore;
import dev.plateau.tail.ChangeWatcher;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code plateau demo}: writes a simulated training job ({@link DemoJob}) as real event files into
 * a logdir over {@code --duration}, while the daemon's own pieces (state store, watcher, flag sink,
 * polling loop, file-change events) watch it in-process; prints each experiment's change of status
 * as it happens, then a summary.
 *
 * <p>Threads: this command's thread writes the event files; the {@link Daemon} loop runs on its own
 * thread and is the only one to touch the watcher and its judge. Verdicts are printed from the
 * {@link FlagApplier} callback, which the loop calls after each committed round, so nothing reads
 * judge state across threads.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Writes a simulated training job (experiments demo/converging, demo/overfitting, "
          + "demo/diverging) as real event files into a logdir over --duration while watching it "
          + "as plateau watch does, prints each verdict as it happens and where the flag files "
          + "are. The logdir is kept afterwards (open it in TensorBoard, or run plateau check on "
          + "it); the command prints how to delete it.",
      "",
      "Uses the built-in detection defaults (--config and $PLATEAU_CONFIG are not read).",
      "Exit codes: 0 the three experiments reached converged, overfitting and diverged; "
          + "1 one did not (named on standard error); 2 error (bad option, logdir not empty)."
    })
final class DemoCommand implements Callable<Integer> {
  /** How often the demo's daemon loop checks files (besides file-change events). */
  static final Duration POLL_INTERVAL = Duration.ofMillis(200);

  /** How long the demo waits after the last write for the last verdicts. */
  static final Duration SETTLE = Duration.ofSeconds(3);

  @Spec CommandSpec spec;

  @Option(
      names = "--logdir",
      paramLabel = "DIR",
      description =
          "Where to write the job; must be new or empty (default: a new temporary directory).")
  Path logdir;

  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      defaultValue = "30s",
      converter = LengthConverter.class,
      description = "How long the simulated job trains: 1s to 1h (default: ${DEFAULT-VALUE}).")
  DurationText duration;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "1",
      description = "Seed of the curves' noise (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Duration length = duration.duration();
    Path dir;
    try {
      dir = prepareLogdir();
    } catch (IllegalArgumentException e) {
      err.println("plateau demo: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("plateau demo: cannot create the logdir: " + e);
      return 2;
    }
    Path stateFile = dir.resolve(".plateau").resolve("state.db");
    String logLevel = quietLogs();
    try {
      return run(dir, stateFile, length, out, err);
    } finally {
      restoreLogs(logLevel);
    }
  }

  private int run(Path dir, Path stateFile, Duration length, PrintWriter out, PrintWriter err)
      throws Exception {
    Clock clock = Clock.systemUTC();
    out.printf(
        "plateau demo: a simulated training job, written over %s into%n  %s%n",
        describe(length), dir);
    out.println("  demo/converging/{train,validation}   epoch_loss, epoch_accuracy (Keras layout)");
    out.println("  demo/overfitting/{train,validation}  epoch_loss, epoch_accuracy (Keras layout)");
    out.println("  demo/diverging                       loss, lr (PyTorch style)");
    out.printf(
        "watching it as `plateau watch` does (polling every %d ms and on file-change events):%n",
        POLL_INTERVAL.toMillis());
    out.println();
    out.flush();

    FlagSink flagSink = new FlagSink(dir, FlagConfig.defaults());
    Map<String, Reached> reached = new ConcurrentHashMap<>();
    long started = System.nanoTime();
    FlagApplier printing =
        (experiment, status, content) -> {
          FlagOutcome outcome = flagSink.apply(experiment, status, content);
          reached.put(experiment, new Reached(status, content));
          double at = (System.nanoTime() - started) / 1e9;
          synchronized (out) {
            out.println(transitionLine(at, experiment, status, content, outcome, flagSink));
            out.flush();
          }
        };

    StateStore store;
    try {
      store = StateStore.open(stateFile, false, clock);
    } catch (StateException e) {
      err.println("plateau demo: " + e.getMessage());
      return 2;
    }
    Thread loop = null;
    Daemon daemon = null;
    ChangeWatcher changes = null;
    try {
      Watcher watcher =
          new Watcher(
              dir, PlateauConfig.defaults(), store, List.of(), printing, clock, "plateau-demo");
      watcher.restore();
      daemon = new Daemon(List.of(watcher), List.of(), POLL_INTERVAL, Duration.ofSeconds(1));
      try {
        changes = new ChangeWatcher(dir, daemon::wake);
      } catch (IOException e) {
        // Polling alone is enough for the demo.
      }
      Daemon running = daemon;
      Throwable[] failure = new Throwable[1];
      loop =
          new Thread(
              () -> {
                try {
                  running.run();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                  failure[0] = e;
                }
              },
              "plateau-demo-daemon");
      loop.setDaemon(true);
      loop.start();

      writeJob(dir, length, clock);
      synchronized (out) {
        out.printf(
            Locale.ROOT,
            "%7.1fs  the job finished: %d epochs (demo/diverging stopped writing at epoch %d, after NaN)%n",
            (System.nanoTime() - started) / 1e9,
            DemoJob.EPOCHS,
            DemoJob.DIVERGING_LAST_EPOCH);
        out.flush();
      }

      // The last epochs are read on the next round; wait for them, or for every expected status.
      long settleUntil = System.nanoTime() + SETTLE.toNanos();
      daemon.wake();
      TimeUnit.MILLISECONDS.sleep(2 * POLL_INTERVAL.toMillis());
      while (!allReached(reached) && System.nanoTime() < settleUntil) {
        TimeUnit.MILLISECONDS.sleep(50);
      }
      daemon.requestStop();
      loop.join(TimeUnit.SECONDS.toMillis(10));
      if (failure[0] != null) {
        err.println("plateau demo: the watching loop failed: " + failure[0]);
        return 2;
      }
    } finally {
      if (daemon != null) {
        daemon.requestStop();
      }
      if (loop != null && loop.isAlive()) {
        loop.join(TimeUnit.SECONDS.toMillis(10));
      }
      if (changes != null) {
        changes.close();
      }
      store.close();
    }
    return summary(dir, stateFile, flagSink, reached, out, err);
  }

  /** Writes the job's epochs evenly over {@code length}, wall times the real time of writing. */
  private void writeJob(Path dir, Duration length, Clock clock)
      throws IOException, InterruptedException {
    long start = System.nanoTime();
    try (DemoJob job = new DemoJob(dir, seed, clock.millis() / 1000.0)) {
      for (int epoch = 0; epoch < DemoJob.EPOCHS; epoch++) {
        long due = start + length.toNanos() * (epoch + 1) / DemoJob.EPOCHS;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        job.writeEpoch(epoch, clock.millis() / 1000.0);
      }
    }
  }

  /** What an experiment's last flag callback said. */
  private record Reached(Status status, ObjectNode verdict) {}

  private static boolean allReached(Map<String, Reached> reached) {
    for (DemoJob.Expected e : DemoJob.EXPECTED) {
      Reached r = reached.get(e.experiment());
      if (r == null || r.status() != e.status()) {
        return false;
      }
    }
    return true;
  }

  static String transitionLine(
      double seconds,
      String experiment,
      Status status,
      JsonNode verdict,
      FlagOutcome outcome,
      FlagSink flags) {
    String head =
        String.format(Locale.ROOT, "%7.1fs  %-18s %-12s", seconds, experiment, status.jsonName());
    if (status == Status.TRAINING) {
      return head
          + " training again"
          + (outcome instanceof FlagOutcome.Removed r ? "; flag " + r.path() + " removed" : "");
    }
    String flag;
    if (outcome instanceof FlagOutcome.Failed f) {
      flag = "flag not written: " + f.reason();
    } else {
      flag = "flag: " + flags.flagPathFor(experiment, status);
    }
    return head + " " + keep(experiment, verdict) + "  " + flag;
  }

  /** "keep step 44 (validation epoch_loss 0.5123)": the checkpoint the verdict says to keep. */
  static String keep(String experiment, JsonNode verdict) {
    JsonNode step = verdict.path("best_step");
    if (!step.isIntegralNumber()) {
      return "no best step";
    }
    String run = verdict.path("run").asText();
    String series =
        run.equals(experiment) || !run.startsWith(experiment + "/")
            ? verdict.path("tag").asText()
            : run.substring(experiment.length() + 1) + " " + verdict.path("tag").asText();
    JsonNode value = verdict.path("best_value");
    String shown = value.isNumber() ? String.format(Locale.ROOT, " %.4g", value.asDouble()) : "";
    return "keep step " + step.asLong() + " (" + series + shown + ")";
  }

  private int summary(
      Path dir,
      Path stateFile,
      FlagSink flags,
      Map<String, Reached> reached,
      PrintWriter out,
      PrintWriter err) {
    TextTable table =
        new TextTable(new String[] {"EXPERIMENT", "EXPECTED", "STATUS", "BEST STEP", "FLAG"}, 3);
    List<String> missed = new ArrayList<>();
    for (DemoJob.Expected e : DemoJob.EXPECTED) {
      Reached r = reached.get(e.experiment());
      Status status = r == null ? Status.TRAINING : r.status();
      String best =
          r == null || !r.verdict().path("best_step").isIntegralNumber()
              ? "-"
              : Long.toString(r.verdict().path("best_step").asLong());
      String flag = status == Status.TRAINING ? "-" : flags.flagPathFor(e.experiment(), status);
      table.add(e.experiment(), e.status().jsonName(), status.jsonName(), best, flag);
      if (status != e.status()) {
        missed.add(
            e.experiment() + " is " + status.jsonName() + ", expected " + e.status().jsonName());
      }
    }
    out.println();
    out.print(table.render());
    out.println();
    out.println("flag files: " + dir + "/<experiment>/<STATUS>, each holding the verdict JSON");
    out.println("state:      " + stateFile);
    out.println(
        "kept:       the logdir stays; look at it with `tensorboard --logdir "
            + dir
            + "` or `./plateau check "
            + dir
            + "`");
    out.println("cleanup:    rm -rf " + dir);
    out.println("next:       run `./plateau watch LOGDIR` on your own logs");
    out.flush();
    if (!missed.isEmpty()) {
      err.println(
          "plateau demo: not every expected status was reached: " + String.join("; ", missed));
      return 1;
    }
    return 0;
  }

  /**
   * The logdir to write: the one given (created if missing, refused if not empty) or a new
   * temporary one.
   */
  private Path prepareLogdir() throws IOException {
    if (logdir == null) {
      return Files.createTempDirectory("plateau-demo-").toAbsolutePath().normalize();
    }
    Path dir = logdir.toAbsolutePath().normalize();
    if (Files.exists(dir)) {
      if (!Files.isDirectory(dir)) {
        throw new IllegalArgumentException(dir + ": not a directory");
      }
      try (var entries = Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          throw new IllegalArgumentException(
              dir + ": not empty; the demo writes into a new or empty directory");
        }
      }
    }
    Files.createDirectories(dir);
    return dir;
  }

  /** The simulated job's length: 1s to 1h. */
  static final class LengthConverter extends DurationConverter {
    LengthConverter() {
      super("1s", "1h", false);
    }
  }

  private static String describe(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
  }

  /**
   * The daemon's INFO log says what the demo prints; quiet it to WARN for the demo, unless a level
   * was asked for. Returns the level to restore (null: nothing changed).
   */
  private static String quietLogs() {
    String asked = System.getProperty("plateau.log.level", System.getenv("PLATEAU_LOG_LEVEL"));
    if (asked != null && !asked.isBlank()) {
      return null;
    }
    if (LoggerFactory.getLogger("dev.plateau") instanceof Logger logger) {
      Level before = logger.getLevel();
      logger.setLevel(Level.WARN);
      return before == null ? "" : before.toString();
    }
    return null;
  }

  private static void restoreLogs(String level) {
    if (level == null) {
      return;
    }
    if (LoggerFactory.getLogger("dev.plateau") instanceof Logger logger) {
      logger.setLevel(level.isEmpty() ? null : Level.toLevel(level));
    }
  }
}
