package dev.plateau.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class SlackMessageTest {

  @Test
  void longTextsAreCutToSlacksLimits() {
    ObjectNode payload = Alerts.payload();
    payload.put("reason", "r".repeat(10_000));
    payload.put("run", "n".repeat(5_000));
    payload.put("experiment", "e".repeat(500));

    ObjectNode message = SlackMessage.of(Alerts.alert(payload));

    assertThat(message.path("text").asText().length()).isLessThanOrEqualTo(SlackMessage.TEXT_MAX);
    for (JsonNode block : message.path("blocks")) {
      switch (block.path("type").asText()) {
        case "header" ->
            assertThat(block.path("text").path("text").asText().length()).isLessThanOrEqualTo(150);
        case "section" -> {
          assertThat(block.path("text").path("text").asText().length()).isLessThanOrEqualTo(3000);
          assertThat(block.path("fields").size()).isLessThanOrEqualTo(10);
          for (JsonNode field : block.path("fields")) {
            assertThat(field.path("text").asText().length()).isLessThanOrEqualTo(2000);
          }
        }
        default -> {}
      }
    }
    assertThat(message.toString()).contains("rrr…");
  }

  @Test
  void cuttingNeverSplitsAnEscapedEntity() {
    String escaped = SlackMessage.escape("aaaaaaa&bbb");

    assertThat(SlackMessage.cut(escaped, 10)).isEqualTo("aaaaaaa…");
    assertThat(SlackMessage.cut(escaped, 13)).isEqualTo("aaaaaaa&amp;…");
  }

  @Test
  void anAlertReadBackWithAStatusThisVersionDoesNotKnowIsStillAMessage() {
    ObjectNode payload = Alerts.payload();
    payload.put("status", "finished"); // written by a newer version, or edited

    Alert stored = Alert.stored("msg_1", "exp1", payload);
    ObjectNode message = SlackMessage.of(stored);

    assertThat(stored.status()).isNull();
    assertThat(message.path("text").asText()).startsWith(":information_source: exp1 finished");
  }

  @Test
  void nonFiniteValuesAndMissingFieldsAreShownNotFatal() {
    ObjectNode payload = Alerts.payload();
    payload.put("status", "diverged");
    payload.put("best_value", "NaN");
    payload.putNull("best_step");
    payload.remove("previous_status");
    payload.putArray("values").add(1.0).add(2.0).add("NaN").add("Infinity");

    ObjectNode message = SlackMessage.of(Alerts.alert(payload));

    assertThat(message.path("text").asText())
        .isEqualTo(":rotating_light: exp1 diverged — val_loss best NaN at step –");
    assertThat(message.toString()).contains("`▁█××`");
  }

  @Test
  void valuesAreShownWithFourSignificantDigits() {
    assertThat(SlackMessage.format(0.31234567)).isEqualTo("0.3123");
    assertThat(SlackMessage.format(4200)).isEqualTo("4200");
    assertThat(SlackMessage.format(1.5e-6)).isEqualTo("1.500e-06");
  }
}
