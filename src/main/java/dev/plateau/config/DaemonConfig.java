package dev.plateau.config;

import java.time.Duration;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The {@code daemon} and {@code state} sections: how {@code plateau watch} runs.
 *
 * @param pollInterval how often files are checked for new data ({@code daemon.poll_interval})
 * @param parkAfter how long an idle experiment stays in memory; zero: always ({@code
 *     daemon.park_after})
 * @param checkpointInterval how often quiet rounds commit at most; zero: every round ({@code
 *     daemon.checkpoint_interval})
 * @param judgeThreads threads that judge experiments; 0: one per available core ({@code
 *     daemon.judge_threads}, {@code auto})
 * @param pollOnly whether file-change events are left unused ({@code daemon.poll_only})
 * @param stateDir where the state databases live ({@code state.dir}), or null: beside the logdir,
 *     else {@code ~/.plateau}
 */
public record DaemonConfig(
    Duration pollInterval,
    Duration parkAfter,
    Duration checkpointInterval,
    int judgeThreads,
    boolean pollOnly,
    @Nullable String stateDir) {
  static final Set<String> DAEMON_KEYS =
      Set.of("poll_interval", "park_after", "checkpoint_interval", "judge_threads", "poll_only");
  static final Set<String> STATE_KEYS = Set.of("dir");

  /** The most judge threads: far more than cores only costs memory. */
  public static final int MAX_JUDGE_THREADS = 256;

  private static final Duration LEAST_INTERVAL = Duration.ofMillis(10);

  /** Polling every 2 s, parking after 1 min, a checkpoint every 30 s, one judge a core. */
  public static DaemonConfig defaults() {
    return new DaemonConfig(
        Duration.ofSeconds(2), Duration.ofMinutes(1), Duration.ofSeconds(30), 0, false, null);
  }

  static DaemonConfig parse(ConfigNode daemon, ConfigNode state) throws ConfigException {
    daemon.allowOnly(DAEMON_KEYS);
    state.allowOnly(STATE_KEYS);
    DaemonConfig d = defaults();
    return new DaemonConfig(
        interval(daemon.get("poll_interval"), d.pollInterval(), false),
        interval(daemon.get("park_after"), d.parkAfter(), true),
        interval(daemon.get("checkpoint_interval"), d.checkpointInterval(), true),
        judgeThreads(daemon.get("judge_threads")),
        daemon.get("poll_only").bool(false),
        blankIsNull(state.get("dir").string(null)));
  }

  /** An interval of at least 10 ms; with {@code zeroIsOff}, also 0 or {@code off}: zero. */
  private static Duration interval(ConfigNode node, Duration fallback, boolean zeroIsOff)
      throws ConfigException {
    if (node.isMissing()) {
      return fallback;
    }
    if (zeroIsOff && node.raw() instanceof String text && text.strip().equalsIgnoreCase("off")) {
      return Duration.ZERO;
    }
    double seconds = node.durationSeconds(0);
    Duration read = Duration.ofNanos(Math.round(seconds * 1e9));
    if (zeroIsOff && read.isZero()) {
      return read;
    }
    if (!(seconds < 1e9) || read.compareTo(LEAST_INTERVAL) < 0) {
      throw node.error(
          "must be at least 10ms" + (zeroIsOff ? " (or 0 / off)" : "") + ", got " + node.raw());
    }
    return read;
  }

  private static int judgeThreads(ConfigNode node) throws ConfigException {
    if (node.isMissing()) {
      return 0;
    }
    if (node.raw() instanceof String text && text.strip().equalsIgnoreCase("auto")) {
      return 0;
    }
    return (int) node.integer(0, 1, MAX_JUDGE_THREADS);
  }

  private static @Nullable String blankIsNull(@Nullable String text) {
    return text == null || text.isBlank() ? null : text;
  }
}
