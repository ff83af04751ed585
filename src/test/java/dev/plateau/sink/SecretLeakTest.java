package dev.plateau.sink;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The URL of an incoming webhook is its credential: whatever happens, reasons and logs must not
 * contain it, even when the receiver echoes the request path in its answers.
 */
class SecretLeakTest {
  private static final String TOKEN = "Xq7TokenZZ9secretPath";
  private static final String QUERY_TOKEN = "qs-abcdef123456";
  private static final String SIGNING_KEY = "q83vEjRWeJASNFZ4kKvN7xI0VniQq83vEjRWeJASNFY=";
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2025-03-01T12:00:00Z"), ZoneOffset.UTC);

  private final List<String> texts = new ArrayList<>();
  private Receiver receiver;
  private ListAppender<ILoggingEvent> logs;
  private Logger sinkLogger;
  private Level previousLevel;

  @BeforeEach
  void start() throws Exception {
    receiver = new Receiver().echoPath();
    sinkLogger = (Logger) LoggerFactory.getLogger("dev.plateau.sink");
    previousLevel = sinkLogger.getLevel();
    sinkLogger.setLevel(Level.DEBUG);
    logs = new ListAppender<>();
    logs.start();
    sinkLogger.addAppender(logs);
  }

  @AfterEach
  void stop() {
    sinkLogger.detachAppender(logs);
    sinkLogger.setLevel(previousLevel);
    receiver.close();
  }

  @Test
  void noOutcomeOrLogOfAnySinkContainsTheUrlsTokenOrTheSigningSecret() throws Exception {
    String path = "/services/T000/B000/" + TOKEN + "?token=" + QUERY_TOKEN;
    SinkSettings settings =
        SinkSettings.of("hook", Secret.fromValue(receiver.url(path)))
            .withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(300));
    List<AlertSink> sinks =
        List.of(
            new WebhookSink(settings, Secret.fromValue("whsec_" + SIGNING_KEY), CLOCK),
            new SlackSink(settings, CLOCK));
    for (AlertSink sink : sinks) {
      texts.add(sink.toString());
      for (int status : new int[] {200, 301, 400, 403, 404, 408, 410, 429, 500, 503}) {
        receiver.answer(status, "error for", Map.of("Retry-After", "3"));
        record(sink.deliver(Alerts.alert()));
      }
    }
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    SinkSettings refused =
        SinkSettings.of("hook", Secret.fromValue("http://127.0.0.1:" + closedPort + path));
    record(new WebhookSink(refused, null, CLOCK).deliver(Alerts.alert()));
    record(new SlackSink(refused, CLOCK).deliver(Alerts.alert()));
    receiver.hang();
    for (AlertSink sink : sinks) {
      record(sink.deliver(Alerts.alert()));
    }
    texts.add(settings.toString());
    logs.list.forEach(e -> texts.add(e.getFormattedMessage()));

    assertThat(texts).hasSizeGreaterThan(20);
    assertThat(texts).anySatisfy(t -> assertThat(t).contains("error for ***"));
    for (String text : texts) {
      assertThat(text).doesNotContain(TOKEN, QUERY_TOKEN, SIGNING_KEY, "/services/");
    }
  }

  private void record(DeliveryOutcome outcome) {
    if (outcome instanceof DeliveryOutcome.RetryLater r) {
      texts.add(r.reason());
    } else if (outcome instanceof DeliveryOutcome.Rejected r) {
      texts.add(r.reason());
    } else {
      texts.add(outcome.toString());
    }
  }
}
