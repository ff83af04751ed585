package dev.plateau.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.testing.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThrottledLogTest {
  final FakeClock time = FakeClock.atNow();
  final List<String> lines = new ArrayList<>();
  final ThrottledLog log =
      new ThrottledLog(lines::add, "HTTP client errors", Duration.ofMinutes(1), time.ticker());

  @Test
  void theFirstIsLoggedAtOnceAndTheRestOfTheIntervalInOneLineWithCountsByKind() {
    log.record("413 no body", "GET /healthz from 127.0.0.1:1");
    for (int i = 0; i < 299; i++) {
      log.record("413 no body", "GET /healthz from 127.0.0.1:" + i);
    }
    log.record("421 not loopback", "GET /api/runs from 127.0.0.1:2");
    time.advance(Duration.ofSeconds(59));
    log.flush();
    assertThat(lines)
        .containsExactly(
            "HTTP client errors: 413 no body (GET /healthz from 127.0.0.1:1); more within 60 s are counted and logged together");
    time.advance(Duration.ofSeconds(1));
    log.flush();
    assertThat(lines)
        .hasSize(2)
        .last()
        .isEqualTo(
            "HTTP client errors in the last 60 s, not logged one by one: 300 (413 no body: 299, 421 not loopback: 1)");
  }

  @Test
  void aFloodCostsOneLineAnIntervalAndAfterAQuietIntervalTheNextIsLoggedAtOnce() {
    for (int minute = 0; minute < 10; minute++) {
      for (int i = 0; i < 1000; i++) {
        log.record("400 bad", "x");
      }
      time.advance(Duration.ofMinutes(1));
    }
    log.flush();
    assertThat(lines).hasSize(11);
    time.advance(Duration.ofMinutes(1));
    log.flush();
    assertThat(lines).as("a quiet interval logs nothing").hasSize(11);
    log.record("404 not found", "GET /x from a");
    assertThat(lines)
        .hasSize(12)
        .last()
        .asString()
        .startsWith("HTTP client errors: 404 not found (GET /x from a)");
  }
}
