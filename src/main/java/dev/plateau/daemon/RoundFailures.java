package dev.plateau.daemon;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says once what keeps a logdir's rounds from succeeding, not on every round (a deleted logdir
 * failed five times a second): the first failure, and each new kind of failure, at its level; the
 * same failure again at DEBUG; and at INFO when rounds succeed again, with how many failed. The
 * polling thread's only.
 */
final class RoundFailures {
  private static final Logger log = LoggerFactory.getLogger(Daemon.class);

  private record Failing(String what, long rounds) {}

  private final Map<Path, Failing> failing = new HashMap<>();

  /** The logdir's round failed for {@code what}; an ERROR unless it is a wait ({@code waiting}). */
  void failed(Path logdir, String what, boolean waiting) {
    Failing before = failing.get(logdir);
    long rounds = before == null ? 1 : before.rounds() + 1;
    failing.put(logdir, new Failing(what, rounds));
    if (before != null && before.what().equals(what)) {
      log.debug("{}: round {} in a row not done: {}", logdir, rounds, what);
    } else if (waiting) {
      log.warn("{}: {}", logdir, what);
    } else {
      log.error(
          "{}: this round failed ({}); trying again every round (said again only if it changes)",
          logdir,
          what);
    }
  }

  /** The logdir's round succeeded. */
  void succeeded(Path logdir) {
    Failing before = failing.remove(logdir);
    if (before != null) {
      log.info("{}: rounds succeed again, after {} that did not", logdir, before.rounds());
    }
  }

  /** Logdirs whose last round failed. */
  int failing() {
    return failing.size();
  }
}
