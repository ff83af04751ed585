package dev.plateau.sink;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reads an HTTP {@code Retry-After} header (RFC 9110 §10.2.3): delay-seconds ("120") or an
 * HTTP-date ("Wed, 21 Oct 2015 07:28:00 GMT"), as a duration from now, capped.
 */
final class RetryAfter {
  private RetryAfter() {}

  /**
   * The wait asked for, between zero (a date in the past) and {@code cap}; null when the header is
   * absent or unreadable (then the backoff policy decides).
   */
  static Duration parse(String header, Instant now, Duration cap) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String value = header.strip();
    Duration wait;
    if (value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      // Longer digit strings than a long holds are "forever": the cap applies.
      wait = value.length() > 18 ? cap : Duration.ofSeconds(Long.parseLong(value));
    } else {
      try {
        Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        wait = Duration.between(now, at);
      } catch (DateTimeParseException e) {
        return null;
      }
    }
    if (wait.isNegative()) {
      return Duration.ZERO;
    }
    return wait.compareTo(cap) > 0 ? cap : wait;
  }
}
