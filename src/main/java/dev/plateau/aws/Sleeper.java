package dev.plateau.aws;

import java.time.Duration;

/** Waits between attempts; tests pass one that does not wait. */
@FunctionalInterface
public interface Sleeper {
  /** The real one. */
  Sleeper THREAD = d -> Thread.sleep(d.toMillis());

  void sleep(Duration duration) throws InterruptedException;
}
