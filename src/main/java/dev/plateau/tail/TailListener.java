package dev.plateau.tail;

import dev.plateau.series.ScalarPoint;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/** Receives what a {@link LogdirTailer} reads, on the polling thread, in file order. */
public interface TailListener {

  /** A scalar point, in the order it stands in its file. */
  void scalar(ScalarPoint point);

  /** A SessionLog START: the job restarted at {@code step}. */
  default void sessionStart(String run, String file, long step) {}

  /**
   * A file is read again from its start (it shrank or was replaced); its points will arrive again.
   */
  default void fileReset(String run, String file, String reason) {}

  /**
   * Every file of {@code run} was forgotten and its directory no longer exists: the run was deleted
   * or renamed (a run whose directory cannot be listed is not gone).
   */
  default void runGone(String run, Path directory) {}

  /**
   * The file ends inside a record (the writer has not finished it, or the file was cut). Reported
   * once per position; reading resumes there when the file grows.
   */
  default void incompleteTail(String run, String file, long offset, long available) {}

  /**
   * Something could not be read; reading goes on. The tailer does not log problems itself: by
   * default they are logged as warnings here, and a listener that reports them its own way (such as
   * {@code plateau dump} on standard error) overrides this.
   */
  default void problem(TailProblem problem) {
    LoggerFactory.getLogger(TailListener.class).warn(problem.message());
  }
}
