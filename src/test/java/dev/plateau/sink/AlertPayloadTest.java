package dev.plateau.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plateau.detect.Mode;
import dev.plateau.detect.Status;
import dev.plateau.detect.Verdict;
import dev.plateau.testing.VerdictFields;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertPayloadTest {
  private static final Verdict SERIES =
      new Verdict(
          "exp/val",
          "loss",
          Mode.MIN,
          Status.CONVERGED,
          "plateau",
          10L,
          8L,
          0.5,
          12,
          13,
          Map.of(),
          "the series' reason");

  @Test
  void payloadIsTheVerdictObjectWithTheExperimentsStatusThenTheAlertFieldsInOrder() {
    ObjectNode payload =
        AlertPayload.of(
            SERIES,
            Status.OVERFITTING,
            "the experiment's reason",
            new AlertPayload.Origin("/logs", "exp", "h", Instant.parse("2026-01-01T00:00:00Z")),
            new AlertPayload.Change(Status.CONVERGED, 3, Instant.parse("2025-12-31T23:30:00Z")),
            new double[] {1.0, Double.NaN},
            "msg_1");

    List<String> names = new ArrayList<>();
    payload.fieldNames().forEachRemaining(names::add);
    List<String> expected = new ArrayList<>(VerdictFields.SERIES);
    expected.addAll(
        List.of(
            "logdir",
            "experiment",
            "host",
            "time",
            "previous_status",
            "transitions",
            "last_message_time",
            "values",
            "id"));
    assertThat(names).containsExactlyElementsOf(expected);
    assertThat(payload.path("status").asText()).isEqualTo("overfitting");
    assertThat(payload.path("reason").asText()).isEqualTo("the experiment's reason");
    assertThat(payload.path("values").toString()).isEqualTo("[1.0,\"NaN\"]");
    assertThat(payload.path("time").asText()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(payload.path("previous_status").asText()).isEqualTo("converged");
    assertThat(payload.path("transitions").asLong()).isEqualTo(3);
    assertThat(payload.path("last_message_time").asText()).isEqualTo("2025-12-31T23:30:00Z");
  }

  @Test
  void aFirstMessageHasANullLastMessageTime() {
    ObjectNode payload =
        AlertPayload.of(
            SERIES,
            Status.CONVERGED,
            "why",
            new AlertPayload.Origin("/logs", "exp", "h", Instant.parse("2026-01-01T00:00:00Z")),
            new AlertPayload.Change(Status.TRAINING, 1, null),
            new double[0],
            "msg_1");

    assertThat(payload.has("last_message_time")).isTrue();
    assertThat(payload.get("last_message_time").isNull()).isTrue();
  }

  @Test
  void statusOnlyContentKeepsTheSeriesReasonAndNamesTheExperiment() {
    ObjectNode content = AlertPayload.statusOnly(SERIES, "exp", Status.CONVERGED);

    assertThat(content.path("reason").asText()).isEqualTo("the series' reason");
    assertThat(content.path("experiment").asText()).isEqualTo("exp");
    assertThat(AlertPayload.statusOnly(null, "exp", Status.STALLED).toString())
        .isEqualTo("{\"experiment\":\"exp\",\"status\":\"stalled\"}");
  }
}
