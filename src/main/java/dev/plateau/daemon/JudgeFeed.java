package dev.plateau.daemon;

import dev.plateau.series.ScalarPoint;
import dev.plateau.tail.TailListener;
import dev.plateau.tail.TailProblem;
import dev.plateau.verdict.LogdirJudge;
import java.nio.file.Path;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds what the tailer reads into the judge: points (bringing parked experiments back first), new
 * sessions, and the runs that start over ({@link RunResets}: a file reset, a run directory
 * deleted). Warnings are limited per file, and steps going back per series, so that a writer that
 * always logs step 0 cannot flood the log.
 */
final class JudgeFeed implements TailListener {
  // Logs as the watcher, whose part this is: its lines keep the logger name people filter on.
  private static final Logger log = LoggerFactory.getLogger(Watcher.class);

  private final Path logdir;
  private final LogdirJudge judge;
  private final ExperimentParking parking;
  private final Clock clock;
  private final RunResets resets;
  private final WarningLimiter warnings = new WarningLimiter(5, 60_000);
  private final WarningLimiter rewinds = new WarningLimiter(5, 60_000);
  private double newestWallTime = Double.NaN;

  JudgeFeed(
      Path logdir, LogdirJudge judge, ExperimentParking parking, Clock clock, RunResets resets) {
    this.logdir = logdir;
    this.judge = judge;
    this.parking = parking;
    this.clock = clock;
    this.resets = resets;
  }

  /** A read begins: the newest wall time is that of its points. */
  void startRead() {
    newestWallTime = Double.NaN;
  }

  /** The newest wall time of a point of this read (seconds), NaN before the first. */
  double newestWallTime() {
    return newestWallTime;
  }

  @Override
  public void problem(TailProblem problem) {
    WarningLimiter.Decision d = warnings.offer(problem.file().toString(), clock.millis());
    if (d.suppressedBefore() > 0) {
      log.warn(
          "{}: {} more warnings in the last minute were not logged",
          problem.file(),
          d.suppressedBefore());
    }
    if (d.log()) {
      log.atWarn()
          .addKeyValue("file", problem.file())
          .addKeyValue("problem", problem.kind())
          .addKeyValue("offset", problem.offset())
          .log(problem.message());
    }
  }

  @Override
  public void scalar(ScalarPoint point) {
    if (Double.isNaN(newestWallTime) || point.wallTime() > newestWallTime) {
      newestWallTime = point.wallTime();
    }
    resets.readAgain(parking.touch(point.run()));
    if (!resets.readsAgain(point.run())) {
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
      log.info(
          "{}: {}: {} more steps going back in the last minute were not logged",
          logdir,
          key,
          d.suppressedBefore());
    }
    if (d.log()) {
      log.atInfo()
          .addKeyValue("logdir", logdir)
          .addKeyValue("run", point.run())
          .addKeyValue("tag", point.tag())
          .addKeyValue("file", point.file())
          .addKeyValue("step", point.step())
          .log(
              "{}: {} goes back from step {} to step {} (file {}); its points from step {} on are"
                  + " replaced, as after a restart from a checkpoint",
              logdir,
              key,
              last,
              point.step(),
              point.file(),
              point.step());
    }
  }

  @Override
  public void fileReset(String run, String file, String reason) {
    // The file's points come again, but the run's later files were read after them: fed alone,
    // the restart rule would take the repeated steps for a rewind and drop the later points.
    // Reading the whole run again keeps every file's points in order.
    resets.readAgain(run);
  }

  @Override
  public void runGone(String run, Path directory) {
    log.atInfo()
        .addKeyValue("logdir", logdir)
        .addKeyValue("run", run)
        .addKeyValue("file", directory)
        .log(
            "{}: run '{}' is gone ({} no longer exists); it is no longer judged",
            logdir,
            run,
            directory);
    resets.gone(run);
  }

  @Override
  public void sessionStart(String run, String file, long step) {
    resets.readAgain(parking.touch(run));
    judge.sessionStart(run, step);
  }
}
