package dev.plateau.cli;

import dev.plateau.write.EventFileWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Training jobs for the soak test: writer threads, each keeping a few runs going at once and
 * appending a point to each per tick (flushed, as a writer that calls flush() every epoch), then
 * starting a new run when one ends, until the deadline. The runs are of every kind Plateau decides
 * on: converging, diverging into NaN, reaching a target, restarted from a checkpoint (after a pause
 * longer than the daemon's park-after time, a new file opening with a SessionLog START at an
 * earlier step), still training, and a Keras-style pair of train and validation runs that overfits.
 * Every curve is drawn from a seeded random source.
 */
final class SoakWriters {
  /** What a run does. */
  enum Kind {
    CONVERGING,
    DIVERGING,
    TARGET,
    RESTARTED,
    TRAINING,
    OVERFITTING
  }

  private final Path logdir;
  private final int threads;
  private final int runsPerThread;
  private final long seed;
  private final long deadlineNanos;
  private final long pauseNanos;
  private final List<Thread> running = new ArrayList<>();
  private final AtomicInteger runs = new AtomicInteger();
  private final AtomicInteger files = new AtomicInteger();
  private final AtomicLong points = new AtomicLong();
  private volatile Throwable failure;

  /**
   * @param threads writer threads
   * @param runsPerThread runs each thread keeps going at once
   * @param writeFor how long new runs are started; runs under way then are finished
   * @param pause the least time a restarted job is silent before it resumes (up to 3 s more)
   */
  SoakWriters(
      Path logdir,
      int threads,
      int runsPerThread,
      long seed,
      java.time.Duration writeFor,
      java.time.Duration pause) {
    this.logdir = logdir;
    this.threads = threads;
    this.runsPerThread = runsPerThread;
    this.seed = seed;
    this.deadlineNanos = System.nanoTime() + writeFor.toNanos();
    this.pauseNanos = pause.toNanos();
  }

  void start() {
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread writer = new Thread(() -> write(thread), "soak-writer-" + t);
      writer.setDaemon(true);
      writer.start();
      running.add(writer);
    }
  }

  boolean alive() {
    return running.stream().anyMatch(Thread::isAlive);
  }

  /** Waits for every writer to finish its runs; rethrows a writer's failure. */
  void join() throws InterruptedException {
    for (Thread t : running) {
      t.join();
    }
    if (failure != null) {
      throw new IllegalStateException("a soak writer failed", failure);
    }
  }

  int runs() {
    return runs.get();
  }

  int files() {
    return files.get();
  }

  long points() {
    return points.get();
  }

  private void write(int thread) {
    Random random = new Random(seed * 31 + thread);
    List<Job> jobs = new ArrayList<>();
    int started = 0;
    try {
      while (true) {
        boolean more = System.nanoTime() < deadlineNanos;
        while (more && jobs.size() < runsPerThread) {
          Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
          String name = String.format("w%d-r%03d-%s", thread, started++, kind.name().toLowerCase());
          jobs.add(new Job(logdir.resolve(name), kind, new Random(random.nextLong())));
          runs.incrementAndGet();
        }
        if (jobs.isEmpty()) {
          return;
        }
        for (int i = jobs.size() - 1; i >= 0; i--) {
          if (!jobs.get(i).next()) {
            jobs.remove(i).close();
          }
        }
        Thread.sleep(20 + random.nextInt(60));
      }
    } catch (Throwable e) {
      failure = e;
    } finally {
      for (Job job : jobs) {
        job.close();
      }
    }
  }

  /** One run (or a train/validation pair) being written, a point per tick. */
  private final class Job {
    private final Path dir;
    private final Kind kind;
    private final Random random;
    private final int length;
    private final double tau;
    private final long restartAt;
    private final long restartFrom;
    private final long pauseNanos;
    private long resumeAtNanos = -1;
    private EventFileWriter main;
    private EventFileWriter train;
    private long step;
    private int written;
    private int file;

    Job(Path dir, Kind kind, Random random) throws IOException {
      this.dir = dir;
      this.kind = kind;
      this.random = random;
      this.tau = 8 + random.nextInt(12);
      this.length =
          switch (kind) {
            case DIVERGING -> 60 + random.nextInt(40);
            case TARGET -> 100 + random.nextInt(40);
            case RESTARTED -> 200 + random.nextInt(40);
            default -> 150 + random.nextInt(70);
          };
      this.restartAt = 110 + random.nextInt(30);
      this.restartFrom = 50 + random.nextInt(40);
      this.pauseNanos = SoakWriters.this.pauseNanos + random.nextInt(3000) * 1_000_000L;
      if (kind == Kind.OVERFITTING) {
        main = open(dir.resolve("validation"));
        train = open(dir.resolve("train"));
      } else {
        main = open(dir);
      }
    }

    private EventFileWriter open(Path runDir) throws IOException {
      files.incrementAndGet();
      return EventFileWriter.create(runDir, now(), "soak", file++);
    }

    private double now() {
      return System.currentTimeMillis() / 1000.0;
    }

    private double noise(double scale) {
      return scale * random.nextGaussian();
    }

    /** Appends the next point; false when the run is over. */
    boolean next() throws IOException {
      if (written >= length) {
        return false;
      }
      if (kind == Kind.RESTARTED && step == restartAt && resumeAtNanos < 0) {
        // The job dies; the scheduler runs it again a little later (long enough for the daemon
        // to park the experiment), from an older checkpoint, in a new file, as TF1 does.
        main.close();
        main = null;
        resumeAtNanos = System.nanoTime() + pauseNanos;
      }
      if (main == null) {
        if (System.nanoTime() < resumeAtNanos) {
          return true;
        }
        main = open(dir);
        step = restartFrom;
        main.sessionStart(step, now());
      }
      double t = step;
      switch (kind) {
        case CONVERGING -> loss(0.5 + 3 * Math.exp(-t / tau) + noise(0.01));
        case DIVERGING -> {
          double blowUp = length - 8;
          loss(
              t < blowUp
                  ? 0.5 + 3 * Math.exp(-t / tau) + noise(0.01)
                  : t < blowUp + 3 ? 50 * (t - blowUp + 1) : Double.NaN);
        }
        case TARGET ->
            main.simpleValue(
                "val_acc", step, now(), (float) (0.97 - 0.8 * Math.exp(-t / tau) + noise(0.003)));
        case RESTARTED -> {
          boolean second = file > 1;
          loss(
              second
                  ? 0.3 + 3.2 * Math.exp(-t / tau) + noise(0.01)
                  : 0.5 + 3 * Math.exp(-t / tau) + noise(0.01));
        }
        case TRAINING -> loss(6 - 0.02 * t + noise(0.01));
        case OVERFITTING -> {
          double wall = now();
          train.simpleValue(
              "epoch_loss", step, wall, (float) (0.05 + 2 * Math.exp(-t / 30) + noise(0.002)));
          train.flush();
          double rise = Math.max(0, t - 50) * 0.01;
          main.simpleValue(
              "epoch_loss",
              step,
              wall,
              (float) (0.5 + 2 * Math.exp(-t / 15) + rise + noise(0.005)));
        }
      }
      main.flush();
      points.addAndGet(train == null ? 1 : 2);
      step++;
      written++;
      return true;
    }

    private void loss(double value) throws IOException {
      main.simpleValue("val_loss", step, now(), (float) value);
    }

    void close() {
      try {
        if (main != null) {
          main.close();
        }
        if (train != null) {
          train.close();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
