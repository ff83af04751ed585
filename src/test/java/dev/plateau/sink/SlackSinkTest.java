package dev.plateau.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plateau.detect.Status;
import dev.plateau.format.Sparkline;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SlackSinkTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2025-03-01T12:00:00Z"), ZoneOffset.UTC);

  private Receiver slack;
  private SlackSink sink;

  @BeforeEach
  void start() throws Exception {
    slack = new Receiver();
    sink =
        new SlackSink(
            SinkSettings.of("slack", Secret.fromValue(slack.url("/services/T000/B000/XXXXXXXX"))),
            CLOCK);
  }

  @AfterEach
  void stop() {
    slack.close();
  }

  @Test
  void okIsDeliveredAndTheMessageCarriesTheVerdict() throws Exception {
    slack.answer(200, "ok");

    DeliveryOutcome outcome = sink.deliver(Alerts.alert());

    assertThat(outcome).isEqualTo(new DeliveryOutcome.Delivered(200));
    Receiver.Request r = slack.take();
    assertThat(r.header("content-type")).isEqualTo("application/json");
    JsonNode message = new ObjectMapper().readTree(r.body());
    assertThat(message.path("text").asText())
        .isEqualTo(":white_check_mark: exp1 converged — val_loss best 0.312 at step 4200");
    String blocks = message.path("blocks").toString();
    assertThat(blocks)
        .contains("exp1/seed-1") // run
        .contains("val_loss") // tag
        .contains("converged (was training)") // status
        .contains("0.312 at step 4200") // best value and step
        .contains("*Decided at step*\\n5000") // decided step
        .contains("relative improvement 0.2%") // reason
        .contains("`" + sparklineOf(Alerts.payload().path("values")) + "`");
    assertThat(message.path("blocks").get(0).path("type").asText()).isEqualTo("header");
    assertThat(message.path("blocks").get(1).path("fields").get(0).path("type").asText())
        .isEqualTo("mrkdwn");
  }

  private static String sparklineOf(JsonNode values) {
    double[] v = new double[values.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = values.get(i).asDouble();
    }
    return Sparkline.of(v, v.length, 40);
  }

  @Test
  void textFromThePayloadHasAmpersandAndAngleBracketsEscaped() throws Exception {
    slack.answer(200, "ok");
    var payload = Alerts.payload();
    payload.put("run", "a<b>&c");
    payload.put("reason", "loss < 0.1 & <!channel>");

    sink.deliver(Alerts.alert(payload));

    String body = slack.take().bodyText();
    assertThat(body)
        .contains("a&lt;b&gt;&amp;c")
        .contains("loss &lt; 0.1 &amp; &lt;!channel&gt;")
        .doesNotContain("<!channel>")
        .doesNotContain("a<b>");
  }

  @Test
  void invalidTokenIsRejectedWithSlacksErrorAndAHint() throws Exception {
    slack.answer(403, "invalid_token");

    DeliveryOutcome outcome = sink.deliver(Alerts.alert());

    assertThat(outcome).isInstanceOf(DeliveryOutcome.Rejected.class);
    assertThat(((DeliveryOutcome.Rejected) outcome).reason())
        .contains("slack (http://127.0.0.1)", "HTTP 403", "invalid_token", "create a new one");
  }

  @Test
  void noServiceIsRejected() throws Exception {
    slack.answer(404, "no_service");

    assertThat(sink.deliver(Alerts.alert())).isInstanceOf(DeliveryOutcome.Rejected.class);
  }

  @Test
  void archivedChannelIsRejected() throws Exception {
    slack.answer(410, "channel_is_archived");

    DeliveryOutcome outcome = sink.deliver(Alerts.alert());

    assertThat(((DeliveryOutcome.Rejected) outcome).reason()).contains("410", "archived");
  }

  @Test
  void invalidPayloadIsRejectedWithTheBody() throws Exception {
    slack.answer(400, "invalid_payload");

    DeliveryOutcome outcome = sink.deliver(Alerts.alert());

    assertThat(((DeliveryOutcome.Rejected) outcome).reason())
        .contains("HTTP 400", "invalid_payload");
  }

  @Test
  void rateLimitIsRetriedAfterSlacksRetryAfter() throws Exception {
    slack.answer(429, "rate_limited", Map.of("Retry-After", "30"));

    DeliveryOutcome outcome = sink.deliver(Alerts.alert());

    assertThat(outcome).isInstanceOf(DeliveryOutcome.RetryLater.class);
    assertThat(((DeliveryOutcome.RetryLater) outcome).notBefore())
        .isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void serverErrorIsRetriedLater() throws Exception {
    slack.answer(500, "rollup_error");

    DeliveryOutcome outcome = sink.deliver(Alerts.alert());

    assertThat(outcome).isInstanceOf(DeliveryOutcome.RetryLater.class);
    assertThat(((DeliveryOutcome.RetryLater) outcome).notBefore()).isNull();
  }

  @Test
  void sendsAtMostOneMessagePerSecond() {
    assertThat(sink.minInterval()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void byDefaultTakesEveryStatusButTraining() {
    assertThat(sink.accepts(Status.CONVERGED)).isTrue();
    assertThat(sink.accepts(Status.STALLED)).isTrue();
    assertThat(sink.accepts(Status.TRAINING)).isFalse();
  }
}
