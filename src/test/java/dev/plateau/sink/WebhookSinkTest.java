package dev.plateau.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plateau.detect.Status;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookSinkTest {
  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  // 32 random bytes, as `openssl rand -base64 32` makes them.
  private static final String KEY_BASE64 = "q83vEjRWeJASNFZ4kKvN7xI0VniQq83vEjRWeJASNFY=";
  private static final Secret SIGNING = Secret.fromValue("whsec_" + KEY_BASE64);

  private Receiver receiver;

  @BeforeEach
  void start() throws Exception {
    receiver = new Receiver();
  }

  @AfterEach
  void stop() {
    receiver.close();
  }

  private WebhookSink sink(Secret signing) {
    SinkSettings settings =
        SinkSettings.of("webhook-1", Secret.fromValue(receiver.url("/hooks/plateau")));
    return new WebhookSink(settings, signing, CLOCK);
  }

  @Test
  void postsThePayloadBytesWithStandardWebhooksHeaders() throws Exception {
    Alert alert = Alerts.alert();
    receiver.answer(204, "");

    DeliveryOutcome outcome = sink(SIGNING).deliver(alert);

    assertThat(outcome).isEqualTo(new DeliveryOutcome.Delivered(204));
    Receiver.Request r = receiver.take();
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.path()).isEqualTo("/hooks/plateau");
    assertThat(r.body()).isEqualTo(new ObjectMapper().writeValueAsBytes(alert.payload()));
    assertThat(new ObjectMapper().readTree(r.body())).isEqualTo(alert.payload());
    assertThat(r.header("content-type")).isEqualTo("application/json");
    assertThat(r.header("user-agent")).startsWith("plateau/");
    assertThat(r.header("webhook-id")).isEqualTo("alrt_7f3a9c");
    assertThat(r.header("webhook-timestamp")).isEqualTo(Long.toString(NOW.getEpochSecond()));
  }

  @Test
  void signatureVerifiesWithAnIndependentHmacOverIdTimestampAndBody() throws Exception {
    receiver.answer(200, "");

    sink(SIGNING).deliver(Alerts.alert());

    Receiver.Request r = receiver.take();
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(Base64.getDecoder().decode(KEY_BASE64), "HmacSHA256"));
    mac.update(
        (r.header("webhook-id") + "." + r.header("webhook-timestamp") + ".")
            .getBytes(StandardCharsets.UTF_8));
    String expected = "v1," + Base64.getEncoder().encodeToString(mac.doFinal(r.body()));
    assertThat(r.header("webhook-signature")).isEqualTo(expected);
  }

  @Test
  void withoutASigningSecretNoSignatureIsSent() throws Exception {
    receiver.answer(200, "");

    sink(null).deliver(Alerts.alert());

    Receiver.Request r = receiver.take();
    assertThat(r.header("webhook-signature")).isNull();
    assertThat(r.header("webhook-id")).isEqualTo("alrt_7f3a9c");
  }

  @Test
  void serverErrorIsRetriedLaterWithoutAWish() throws Exception {
    receiver.answer(500, "oops");

    DeliveryOutcome outcome = sink(SIGNING).deliver(Alerts.alert());

    assertThat(outcome).isInstanceOf(DeliveryOutcome.RetryLater.class);
    DeliveryOutcome.RetryLater later = (DeliveryOutcome.RetryLater) outcome;
    assertThat(later.notBefore()).isNull();
    assertThat(later.reason()).contains("webhook-1", "HTTP 500", "oops");
  }

  @Test
  void tooManyRequestsHonoursRetryAfterInSeconds() throws Exception {
    receiver.answer(429, "slow down", Map.of("Retry-After", "7"));

    DeliveryOutcome outcome = sink(SIGNING).deliver(Alerts.alert());

    assertThat(outcome).isInstanceOf(DeliveryOutcome.RetryLater.class);
    assertThat(((DeliveryOutcome.RetryLater) outcome).notBefore()).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void retryAfterAsHttpDateIsMeasuredFromTheInjectedClock() throws Exception {
    String date =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(120).atZone(ZoneOffset.UTC));
    receiver.answer(503, "maintenance", Map.of("Retry-After", date));

    DeliveryOutcome outcome = sink(SIGNING).deliver(Alerts.alert());

    assertThat(((DeliveryOutcome.RetryLater) outcome).notBefore())
        .isEqualTo(Duration.ofSeconds(120));
  }

  @Test
  void retryAfterBeyondTheCapIsCappedAtOneHour() throws Exception {
    receiver.answer(503, "", Map.of("Retry-After", "999999"));

    DeliveryOutcome outcome = sink(SIGNING).deliver(Alerts.alert());

    assertThat(((DeliveryOutcome.RetryLater) outcome).notBefore()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void requestTimeoutStatusIsRetriedLater() throws Exception {
    receiver.answer(408, "");

    assertThat(sink(SIGNING).deliver(Alerts.alert()))
        .isInstanceOf(DeliveryOutcome.RetryLater.class);
  }

  @Test
  void notFoundIsRejectedWithTheStatusAndTheBody() throws Exception {
    receiver.answer(404, "no such hook\nsee docs");

    DeliveryOutcome outcome = sink(SIGNING).deliver(Alerts.alert());

    assertThat(outcome).isInstanceOf(DeliveryOutcome.Rejected.class);
    assertThat(((DeliveryOutcome.Rejected) outcome).reason())
        .contains("webhook-1 (http://127.0.0.1)", "HTTP 404", "no such hook see docs");
  }

  @Test
  void redirectIsRejectedNotFollowed() throws Exception {
    receiver.answer(301, "", Map.of("Location", receiver.url("/elsewhere")));

    DeliveryOutcome outcome = sink(SIGNING).deliver(Alerts.alert());

    assertThat(outcome).isInstanceOf(DeliveryOutcome.Rejected.class);
    assertThat(((DeliveryOutcome.Rejected) outcome).reason()).contains("HTTP 301", "redirect");
    receiver.take();
  }

  @Test
  void longResponseBodyIsCutToOneKibibyteInTheReason() throws Exception {
    receiver.answer(422, "x".repeat(100_000));

    DeliveryOutcome outcome = sink(SIGNING).deliver(Alerts.alert());

    String reason = ((DeliveryOutcome.Rejected) outcome).reason();
    assertThat(reason).contains("x".repeat(1024)).doesNotContain("x".repeat(1025)).endsWith("…");
  }

  @Test
  void connectionRefusedIsRetriedLater() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    SinkSettings settings =
        SinkSettings.of("webhook-1", Secret.fromValue("http://127.0.0.1:" + closedPort + "/x"));

    DeliveryOutcome outcome = new WebhookSink(settings, SIGNING, CLOCK).deliver(Alerts.alert());

    assertThat(outcome).isInstanceOf(DeliveryOutcome.RetryLater.class);
    assertThat(((DeliveryOutcome.RetryLater) outcome).reason()).contains("webhook-1");
  }

  @Test
  void receiverThatHangsIsRetriedLaterAfterTheRequestTimeout() throws Exception {
    receiver.hang();
    SinkSettings settings =
        SinkSettings.of("webhook-1", Secret.fromValue(receiver.url("/slow")))
            .withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(300));

    long start = System.nanoTime();
    DeliveryOutcome outcome = new WebhookSink(settings, SIGNING, CLOCK).deliver(Alerts.alert());
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(outcome).isInstanceOf(DeliveryOutcome.RetryLater.class);
    assertThat(((DeliveryOutcome.RetryLater) outcome).reason()).contains("300 ms");
    assertThat(took)
        .isGreaterThanOrEqualTo(Duration.ofMillis(300))
        .isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void alertIdThatCannotBeAHeaderIsRejectedInsteadOfThrown() throws Exception {
    Alert alert = Alert.stored("id\r\nX-Injected: 1", "exp1", Alerts.payload());

    DeliveryOutcome outcome = sink(SIGNING).deliver(alert);

    assertThat(outcome).isInstanceOf(DeliveryOutcome.Rejected.class);
    assertThat(((DeliveryOutcome.Rejected) outcome).reason()).contains("webhook-1");
  }

  @Test
  void acceptsTheFilteredStatusesOnly() {
    SinkSettings settings =
        SinkSettings.of("webhook-1", Secret.fromValue(receiver.url("/")))
            .withFilter(StatusFilter.parse(java.util.List.of("converged", "diverged")));
    WebhookSink sink = new WebhookSink(settings, null, CLOCK);

    assertThat(sink.accepts(Status.CONVERGED)).isTrue();
    assertThat(sink.accepts(Status.DIVERGED)).isTrue();
    assertThat(sink.accepts(Status.STALLED)).isFalse();
    assertThat(sink.name()).isEqualTo("webhook-1");
    assertThat(sink.minInterval()).isZero();
  }

  @Test
  void urlThatIsNotHttpFailsAtConstructionWithoutQuotingIt() {
    assertThatThrownBy(
            () ->
                new WebhookSink(
                    SinkSettings.of("webhook-1", Secret.fromValue("ftp://host/s3cr3t-path")),
                    null,
                    CLOCK))
        .isInstanceOf(SinkConfigException.class)
        .hasMessageContaining("webhook-1")
        .hasMessageNotContaining("s3cr3t");
  }
}
