package dev.plateau.detect;

/** Human-readable durations for reasons: "45s", "12m", "3h 5m", "2d 4h". */
final class Durations {
  private Durations() {}

  static String describe(double seconds) {
    long s = Math.round(seconds);
    if (s < 120) {
      return s + "s";
    }
    long m = s / 60;
    if (m < 120) {
      return m + "m";
    }
    long h = m / 60;
    if (h < 48) {
      return h + "h " + (m % 60) + "m";
    }
    return (h / 24) + "d " + (h % 24) + "h";
  }
}
