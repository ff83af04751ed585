package dev.plateau.cli;

import dev.plateau.config.DurationText;
import dev.plateau.daemon.Daemon;
import dev.plateau.daemon.Watcher;
import dev.plateau.detect.StopPolicy;
import dev.plateau.verdict.ExperimentVerdict;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code watch --until-done} and {@code --timeout}: after each round, stops the daemon once every
 * watched experiment can stop (after the first scan), or once the time is up, keeping {@code
 * check}'s exit code for the experiments then (1, training, when there are none yet).
 */
final class UntilDone implements Runnable {
  /** The watch command's log, whichever of its parts speaks (the log names the logger). */
  private static final Logger log = LoggerFactory.getLogger(WatchCommand.class);

  private final Daemon daemon;
  private final StopPolicy stops;
  private final boolean untilDone;
  private final DurationText timeout;
  private final long deadlineMillis;
  private final Clock clock;
  private volatile int exitCode = CheckCommand.EXIT_CONVERGED;

  /**
   * @param untilDone whether to stop once every experiment can stop
   * @param timeout {@code --timeout}, or null for none
   * @param deadlineMillis when the timeout is up, from {@link #deadline}
   */
  UntilDone(
      Daemon daemon,
      StopPolicy stops,
      boolean untilDone,
      DurationText timeout,
      long deadlineMillis,
      Clock clock) {
    this.daemon = daemon;
    this.stops = stops;
    this.untilDone = untilDone;
    this.timeout = timeout;
    this.deadlineMillis = deadlineMillis;
    this.clock = clock;
  }

  /** When {@code timeout} from now is up, in the clock's milliseconds; never for no timeout. */
  static long deadline(DurationText timeout, Clock clock) {
    return timeout == null ? Long.MAX_VALUE : clock.millis() + timeout.duration().toMillis();
  }

  /** Whether there is anything to wait for: {@code --until-done}, a timeout, or both. */
  boolean ends() {
    return untilDone || deadlineMillis != Long.MAX_VALUE;
  }

  /** The command's exit code: 0 until the daemon was stopped here. */
  int exitCode() {
    return exitCode;
  }

  @Override
  public void run() {
    List<ExperimentVerdict> experiments = new ArrayList<>();
    for (Watcher w : daemon.watchers()) {
      experiments.addAll(w.published());
    }
    boolean done =
        untilDone
            && daemon.metrics().ready()
            && !experiments.isEmpty()
            && (CheckCommand.exitCode(experiments, stops) != CheckCommand.EXIT_TRAINING);
    boolean late = clock.millis() >= deadlineMillis;
    if (done || late) {
      exitCode =
          experiments.isEmpty()
              ? CheckCommand.EXIT_TRAINING
              : CheckCommand.exitCode(experiments, stops);
      log.info(
          "{}: {} experiment(s); exiting with {}",
          done ? "every watched experiment can stop" : "the timeout (" + timeout + ") has passed",
          experiments.size(),
          exitCode);
      daemon.requestStop();
    }
  }
}
