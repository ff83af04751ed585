package dev.plateau.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.plateau.testing.FakeClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** What bad requests leave in the log: no stack traces, and not a line each. */
class ClientErrorLoggingTest {
  static final int BAD_REQUESTS = 300;

  /** Chunk sizes past an int and past a long: the JDK's server, reading them, threw. */
  static final List<String> HUGE_CHUNKS = List.of("FFFFFFFFFFFF", "FFFFFFFFFFFFFFFF", "7FFFFFFF");

  final Logger logger = (Logger) LoggerFactory.getLogger("dev.plateau.server");
  final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  final FakeClock time = FakeClock.atNow();

  @BeforeEach
  void capture() {
    logs.start();
    logger.addAppender(logs);
  }

  @AfterEach
  void release() {
    logger.detachAppender(logs);
  }

  @Test
  void hugeChunkSizesAreRefusedUnreadWithoutAnExceptionAndLoggedOnceAMinuteWithACount(
      @TempDir Path temp) throws Exception {
    try (RunningServer running =
        new RunningServer(
            temp, temp.resolve("logs"), "127.0.0.1", null, HttpLimits.DEFAULTS, time.ticker())) {
      logs.list.clear();
      for (int i = 0; i < BAD_REQUESTS; i++) {
        RawHttp.Response r =
            RawHttp.send(
                running.port(),
                "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + HUGE_CHUNKS.get(i % HUGE_CHUNKS.size())
                    + "\r\nabc");
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.closed()).as("closed without reading the body").isTrue();
      }
      assertThat(logs.list).noneMatch(e -> e.getThrowableProxy() != null);
      assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().contains("Exception"));
      assertThat(logs.list).as("lines for %d bad requests", BAD_REQUESTS).hasSize(1);
      assertThat(logs.list.get(0).getFormattedMessage())
          .startsWith(
              "HTTP client errors: 413 requests to this server have no body (GET /healthz from 127.0.0.1:");

      time.advance(StatusServer.LOG_EVERY);
      assertThat(RawHttp.get(running.port(), "/healthz").status())
          .as("a turn of the loop")
          .isEqualTo(200);
      await("the second throttled line logged")
          .atMost(Duration.ofSeconds(30))
          .until(() -> logs.list.size() == 2);
      assertThat(logs.list.get(1).getFormattedMessage())
          .isEqualTo(
              "HTTP client errors in the last 60 s, not logged one by one: "
                  + (BAD_REQUESTS - 1)
                  + " (413 requests to this server have no body: "
                  + (BAD_REQUESTS - 1)
                  + ")");
      assertThat(logs.list).allMatch(e -> e.getLevel().toString().equals("INFO"));
    }
  }
}
