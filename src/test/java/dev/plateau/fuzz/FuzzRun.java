package dev.plateau.fuzz;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the inputs a fuzz test ran, and how often each outcome of interest was reached (a config
 * that loaded, a series that converged ...), and reports them when the class is done: the build log
 * then shows whether fuzzing explored (thousands of inputs, every outcome reached) or only replayed
 * the corpus.
 */
final class FuzzRun {
  private final String name;
  private final LongAdder inputs = new LongAdder();
  private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
  private final long startNanos = System.nanoTime();

  FuzzRun(Class<?> test) {
    this.name = test.getSimpleName();
  }

  /** Called once per input. */
  void count() {
    inputs.increment();
  }

  /** Notes that an input reached {@code outcome}. */
  void reached(String outcome) {
    outcomes.computeIfAbsent(outcome, o -> new LongAdder()).increment();
  }

  /** Prints one line: the test, the mode, how many inputs ran, how fast, and the outcomes. */
  void report() {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    String mode = "1".equals(System.getenv("JAZZER_FUZZ")) ? "fuzzing" : "regression";
    Map<String, Long> reached = new TreeMap<>();
    outcomes.forEach((outcome, count) -> reached.put(outcome, count.sum()));
    System.out.printf(
        "fuzz: %s (%s): %d inputs in %.1f s (%.0f/s); reached %s%n",
        name, mode, inputs.sum(), seconds, inputs.sum() / seconds, reached);
  }
}
