package dev.plateau.daemon;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plateau.detect.Status;
import dev.plateau.sink.FlagOutcome;
import dev.plateau.sink.FlagSink;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flags written through a {@link FlagSink}, and written again until they are: a flag that fails (a
 * full disk, permission denied, a read-only mount) is kept and tried again after a delay that
 * doubles from {@link #FIRST_DELAY} up to {@link #MAX_DELAY}, for as long as it takes, since a job
 * polling for its flag never stops without it. A newer status for the experiment replaces what
 * waits. The sink logs a failure once (WARN) and says here when a waiting flag is written (INFO).
 * Thread-safe: start-up's restore thread and the polling thread both apply.
 */
public final class RetriedFlags implements FlagApplier {
  private static final Logger log = LoggerFactory.getLogger(RetriedFlags.class);
  static final Duration FIRST_DELAY = Duration.ofSeconds(1);
  static final Duration MAX_DELAY = Duration.ofMinutes(1);

  private record Waiting(Status status, ObjectNode content, int failures, long dueMillis) {}

  private final FlagSink sink;
  private final Clock clock;
  private final Map<String, Waiting> waiting = new LinkedHashMap<>();
  private long failures;

  public RetriedFlags(FlagSink sink, Clock clock) {
    this.sink = sink;
    this.clock = clock;
  }

  @Override
  public synchronized void apply(String experiment, Status status, ObjectNode content) {
    waiting.remove(experiment);
    attempt(experiment, status, content, 0, clock.millis());
  }

  @Override
  public @Nullable String flagPath(String experiment, Status status) {
    if (status == Status.TRAINING) {
      return null;
    }
    try {
      return sink.flagPathFor(experiment, status);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @Override
  public synchronized void retry(long nowMillis) {
    if (waiting.isEmpty()) {
      return;
    }
    List<Map.Entry<String, Waiting>> due = new ArrayList<>();
    for (Map.Entry<String, Waiting> e : waiting.entrySet()) {
      if (e.getValue().dueMillis() <= nowMillis) {
        due.add(e);
      }
    }
    for (Map.Entry<String, Waiting> e : due) {
      Waiting w = e.getValue();
      waiting.remove(e.getKey());
      if (attempt(e.getKey(), w.status(), w.content(), w.failures(), nowMillis)) {
        log.info(
            "flag for '{}' ({}) written after {} failed {}",
            e.getKey(),
            w.status().jsonName(),
            w.failures(),
            w.failures() == 1 ? "attempt" : "attempts");
      }
    }
  }

  /** Writes the flag; on failure keeps it waiting. Returns whether it was written. */
  private boolean attempt(
      String experiment, Status status, ObjectNode content, int failedBefore, long nowMillis) {
    FlagOutcome outcome = sink.apply(experiment, status, content);
    if (!(outcome instanceof FlagOutcome.Failed)) {
      return true;
    }
    failures++;
    int failed = failedBefore + 1;
    waiting.put(
        experiment,
        new Waiting(status, content, failed, nowMillis + delayAfter(failed).toMillis()));
    return false;
  }

  /** The delay after {@code failed} failures in a row: 1 s, 2 s, 4 s ... at most 1 min. */
  static Duration delayAfter(int failed) {
    long millis = FIRST_DELAY.toMillis() << Math.min(failed - 1, 20);
    return Duration.ofMillis(Math.min(millis, MAX_DELAY.toMillis()));
  }

  @Override
  public void knowDirectories(Function<String, Path> directories) {
    sink.knowDirectories(directories);
  }

  @Override
  public synchronized int pending() {
    return waiting.size();
  }

  @Override
  public synchronized long failures() {
    return failures;
  }
}
