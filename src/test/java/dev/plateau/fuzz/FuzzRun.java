package dev.plateau.fuzz;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the inputs a fuzz test ran and reports them when the class is done, so that a build log
 * shows whether fuzzing really explored (thousands of inputs) or only replayed the corpus.
 */
final class FuzzRun {
  private final String name;
  private final AtomicLong inputs = new AtomicLong();
  private final long startNanos = System.nanoTime();

  FuzzRun(Class<?> test) {
    this.name = test.getSimpleName();
  }

  /** Called once per input. */
  void count() {
    inputs.incrementAndGet();
  }

  long inputs() {
    return inputs.get();
  }

  /** Prints one line: the test, the mode, how many inputs ran and how fast. */
  void report() {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    String mode = "1".equals(System.getenv("JAZZER_FUZZ")) ? "fuzzing" : "regression";
    System.out.printf(
        "fuzz: %s (%s): %d inputs in %.1f s, %.0f/s%n", name, mode, inputs(), seconds, inputs() / seconds);
  }
}
