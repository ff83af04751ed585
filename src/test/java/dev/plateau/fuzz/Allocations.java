package dev.plateau.fuzz;

import java.lang.management.ManagementFactory;

/**
 * Bytes allocated by the current thread, from the JVM's own accounting ({@code
 * com.sun.management.ThreadMXBean}). Fuzz tests measure around one call and compare with a budget
 * derived from the input's real size, so that an allocation sized by a length field (a record
 * claiming 2^40 bytes) fails the test even when the JVM happens to have the memory.
 */
final class Allocations {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  static {
    if (!THREADS.isThreadAllocatedMemorySupported()) {
      throw new IllegalStateException("this JVM does not count allocated bytes per thread");
    }
    THREADS.setThreadAllocatedMemoryEnabled(true);
  }

  private Allocations() {}

  /** The bytes allocated by the current thread since it started. */
  static long current() {
    return THREADS.getCurrentThreadAllocatedBytes();
  }

  /** Fails when {@code allocated} exceeds {@code budget}, saying what was measured. */
  static void assertWithin(long allocated, long budget, String what) {
    if (allocated > budget) {
      throw new AssertionError(
          what + " allocated " + allocated + " bytes; the budget for this input is " + budget);
    }
  }
}
