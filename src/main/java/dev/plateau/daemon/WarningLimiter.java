package dev.plateau.daemon;

import java.util.HashMap;
import java.util.Map;

/**
 * At most {@code perWindow} warnings per key (a file) per window of time; the rest are counted and
 * reported once when the next window opens. A file that goes bad in many places cannot flood the
 * log, and nothing is silently dropped.
 */
final class WarningLimiter {
  private final int perWindow;
  private final long windowMillis;
  private final Map<String, long[]> windows = new HashMap<>(); // start, count, suppressed

  WarningLimiter(int perWindow, long windowMillis) {
    this.perWindow = perWindow;
    this.windowMillis = windowMillis;
  }

  /** What to log for a new warning about {@code key} at {@code nowMillis}: a decision. */
  record Decision(boolean log, long suppressedBefore) {}

  Decision offer(String key, long nowMillis) {
    long[] w = windows.computeIfAbsent(key, k -> new long[] {nowMillis, 0, 0});
    long suppressed = 0;
    if (nowMillis - w[0] >= windowMillis) {
      suppressed = w[2];
      w[0] = nowMillis;
      w[1] = 0;
      w[2] = 0;
    }
    if (w[1] < perWindow) {
      w[1]++;
      return new Decision(true, suppressed);
    }
    w[2]++;
    return new Decision(false, suppressed);
  }
}
